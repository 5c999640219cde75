"""Every modal's submission with generated state values, private_metadata and submitter.

Most examples are invalid by construction (one field, the metadata, the submitter, or the whole
state made invalid; everything else drawn from what is valid in set A or from garbage valid
nowhere) and must leave the database as it was. A share ("free") are drawn from what is valid in
set A, hostile text included: they usually change the database, and must be answered without
errors all the same.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from handlers.ids import CallbackId
from tests.property.conftest import Live
from tests.property.forms import MISSING
from tests.property.modal_specs import SPECS, Spec, actor, garbage_metadata, meta
from tests.property.payloads import FRESH_TRIGGER, Case
from tests.property.strategies import garbage_users, json_values, text
from tests.property.world import World

FREE_SHARE = 15  # percent of examples left to chance
BROKEN_VIEW_SHARE = 4  # percent of examples whose view itself is not what Slack sends


STATE_GARBAGE: st.SearchStrategy[Any] = st.one_of(
    st.none(), st.just({}), json_values(big=False).filter(lambda v: not isinstance(v, dict))
)
NOT_A_STRING = st.one_of(
    st.none(), st.integers(), st.lists(st.integers(), max_size=2), st.dictionaries(st.text(), st.integers())
)


def _parts(spec: Spec) -> dict[str, list[str | None]]:
    """What can be made invalid, by kind (each kind is equally likely to be the broken one)."""
    parts: dict[str, list[str | None]] = {}
    fields = [f.block for f in spec.fields if f.invalid is not None]
    if fields:
        parts["field"] = list(fields)
    if any(f.required for f in spec.fields):
        parts["state"] = ["state"]
    if spec.bad_metadata is not None:
        parts["metadata"] = ["metadata"]
    if spec.bad_actors is not None:
        parts["actor"] = ["actor"]
    return parts


def spec_submissions(spec: Spec, world: World) -> st.SearchStrategy[tuple[str, Case]]:
    """Submissions of one modal; strategies are built here once, not in every draw."""
    parts = _parts(spec)
    good_metadata, good_actor = spec.metadata(world), spec.actors(world)
    any_metadata = good_metadata | garbage_metadata() | NOT_A_STRING
    bad_metadata = spec.bad_metadata(world) if spec.bad_metadata else None
    any_actor = good_actor | st.builds(actor, garbage_users(), st.just(world.team))
    bad_actors = spec.bad_actors(world) if spec.bad_actors else None
    names = {f.block for f in spec.fields}
    extra_blocks = st.dictionaries(text(big=False).filter(lambda k: k not in names), json_values(big=False), max_size=2)

    @st.composite
    def submission(draw: st.DrawFn) -> tuple[str, Case]:
        # Decided first: hypothesis often fills the end of a long example with its simplest choices.
        free = draw(st.integers(0, 99)) < FREE_SHARE
        view_broken = draw(st.integers(0, 99)) < BROKEN_VIEW_SHARE
        broken = None if free or not parts else draw(st.sampled_from(parts[draw(st.sampled_from(sorted(parts)))]))
        if broken == "state":  # the whole state missing or of the wrong type: every field is missing
            state: Any = draw(STATE_GARBAGE)
        else:
            values: dict[str, Any] = {}
            for field in spec.fields:
                if broken == field.block:
                    block = draw(field.invalid_block)
                else:
                    block = draw(field.valid_block if free else field.any_block)
                if block is not MISSING:
                    values[field.block] = block
            state = {"values": {**values, **draw(extra_blocks)}}
        if broken == "metadata" and bad_metadata is not None:
            metadata = draw(bad_metadata)
        else:
            metadata = draw(good_metadata if free else any_metadata)
        if broken == "actor" and bad_actors is not None:
            user, team = draw(bad_actors)
            if spec.callback == CallbackId.SETUP:  # only its facilitator may change an existing set
                metadata = meta(channel=world.a.channel)
        else:
            user, team = draw(good_actor if free else any_actor)
        payload = _payload(world, spec, state=state, metadata=metadata, user=user, team=team)
        actor_id = str(user.get("id")) if isinstance(user, dict) else ""
        if view_broken:  # a view Slack never sends: no listener should see it
            payload["view"] = draw(broken_view(payload["view"]))
            return "broken view", Case(payload=payload, routable=False, invalid=True, actor=actor_id)
        well_formed = isinstance(user, dict) and isinstance(user.get("id"), str) and bool(user["id"])
        return spec.callback.value, Case(
            payload=payload, invalid=broken is not None, actor=actor_id, well_formed=well_formed
        )

    return submission()


def broken_view(view: dict[str, Any]) -> st.SearchStrategy[Any]:
    """The view without its type or callback id, with one of another type, or not an object."""
    return st.one_of(
        st.sampled_from(["type", "callback_id"]).map(lambda k: {x: v for x, v in view.items() if x != k}),
        st.tuples(st.sampled_from(["type", "callback_id"]), st.none() | st.integers() | st.lists(st.text())).map(
            lambda kv: {**view, kv[0]: kv[1]}
        ),
        st.none() | st.integers() | st.text() | st.lists(st.text(), max_size=2),
    )


def _payload(world: World, spec: Spec, *, state: Any, metadata: Any, user: Any, team: Any) -> dict[str, Any]:
    view: dict[str, Any] = {
        "id": "V0GENERATED",
        "team_id": world.team,
        "type": "modal",
        "callback_id": spec.callback.value,
        "private_metadata": metadata,
        "state": state,
        "hash": "1.a",
        "title": {"type": "plain_text", "text": "Form"},
        "blocks": [],
        "app_id": world.app_id,
        "root_view_id": "V0GENERATED",
        "previous_view_id": None,
    }
    payload = {
        "type": "view_submission",
        "team": team,
        "user": user,
        "api_app_id": world.app_id,
        "token": "standin-verification-token",
        "trigger_id": FRESH_TRIGGER,
        "view": view,
        "response_urls": [],
        "is_enterprise_install": False,
        "enterprise": None,
    }
    return {k: v for k, v in payload.items() if v is not None or k == "enterprise"}


def test_every_modal_refuses_invalid_submissions_and_changes_nothing(live: Live) -> None:
    per_modal: Counter[str] = Counter()
    for spec in SPECS:  # each modal its share of the examples, so that every one is submitted

        @live.settings(parts=len(SPECS))
        @given(submission=spec_submissions(spec, live.world))
        def example(submission: tuple[str, Case]) -> None:
            callback, case = submission
            per_modal[callback] += 1
            live.run(live.delivery.deliver(case))

        example()
    print(f"{live.delivery.sent} requests, {live.delivery.changed} of them changed the database:", dict(per_modal))
    assert set(per_modal) >= {s.callback.value for s in SPECS}, per_modal
