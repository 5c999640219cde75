"""Every button (and the time zone type-ahead) with generated block_actions payloads: values that are
garbage or ids of rows in another set or workspace, people who may not press it, and every part of
the payload (user, team, channel, container, message, actions) missing or of the wrong shape.

Buttons that only open a modal must never change the database. Buttons that change something are
given at least one invalid part (the value or the presser), except in a share of "free" examples
pressed by the right person with the right value (in any payload shape), which must be answered
without errors all the same.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from handlers.ids import ActionId
from tests.property.conftest import Live
from tests.property.modal_specs import actor, facilitator, generic_bad_actors, member
from tests.property.payloads import FRESH_RESPONSE_URL, FRESH_TRIGGER, Case
from tests.property.registry import ACTIONS, OPTIONS
from tests.property.strategies import garbage_users, json_values, text
from tests.property.world import World

FREE_SHARE = 20  # percent of examples left to chance
Who = Callable[[World], str]


@dataclass(frozen=True)
class Button:
    action: ActionId
    value: Callable[[World], str]  # what the button carries in set A
    foreign: Callable[[World], list[str]]  # the same kind of value, for rows the presser cannot touch
    pressers: tuple[Who, ...]  # who may press it in set A
    writes: bool  # whether pressing it (validly) changes the database


def _ids(name: str, suffix: str = "") -> Callable[[World], list[str]]:
    return lambda w: [f"{getattr(w.b, name)}{suffix}", f"{getattr(w.c, name)}{suffix}"]


def _everyone(world: World) -> str:
    return world.a.members[2]


PRESENTER, ASKER = member(0), member(1)  # of set A's open round and its question; member 0 owns the commitment
BUTTONS = (
    Button(ActionId.ASK_BUTTON, lambda w: str(w.a.open_round), _ids("open_round"), (member(1), member(2)), False),
    Button(ActionId.EXPLORE, lambda w: str(w.a.open_round), _ids("open_round"), (PRESENTER, facilitator), True),
    Button(ActionId.CLOSE, lambda w: str(w.a.open_round), _ids("open_round"), (PRESENTER, facilitator), True),
    Button(ActionId.REFLECT, lambda w: str(w.a.reflecting_round), _ids("reflecting_round"), (member(1),), False),
    Button(ActionId.ANSWER_BUTTON, lambda w: str(w.a.question), _ids("question"), (PRESENTER,), False),
    Button(ActionId.STILL_THINKING, lambda w: str(w.a.question), _ids("question"), (PRESENTER,), True),
    Button(ActionId.GOLDEN, lambda w: str(w.a.question), _ids("question"), (PRESENTER,), True),
    Button(ActionId.EDIT, lambda w: str(w.a.question), _ids("question"), (ASKER,), False),
    Button(ActionId.WITHDRAW, lambda w: str(w.a.question), _ids("question"), (ASKER,), False),
    Button(ActionId.DONE, lambda w: f"{w.a.commitment}:dm", _ids("commitment", ":dm"), (PRESENTER,), True),
    Button(ActionId.SNOOZE, lambda w: f"{w.a.commitment}:home", _ids("commitment", ":home"), (PRESENTER,), True),
    Button(ActionId.UPDATE, lambda w: f"{w.a.commitment}:summary", _ids("commitment", ":dm"), (PRESENTER,), False),
    Button(ActionId.DROP, lambda w: f"{w.a.commitment}:dm", _ids("commitment", ":summary"), (PRESENTER,), False),
    Button(ActionId.AWAY_BUTTON, lambda w: "", lambda w: ["away"], (_everyone,), False),
    # Nobody in this world is away, so "I'm back" has nothing to change.
    Button(ActionId.BACK_BUTTON, lambda w: "", lambda w: ["back"], (_everyone,), False),
    Button(ActionId.REFLECT_ON_PROMPT, lambda w: str(w.a.prompt), _ids("prompt"), (member(0), member(3)), False),
    Button(ActionId.BID_BUTTON, lambda w: "bid", lambda w: ["bid"], (member(1), facilitator), False),
    Button(
        ActionId.SET_MEETING_BUTTON,
        lambda w: w.a.channel,
        lambda w: [w.b.channel, w.c.channel, w.plain_channel],
        (facilitator,),
        False,
    ),
)
assert {b.action.value for b in BUTTONS} == ACTIONS, "every button with a listener is tried"
INPUTS_WITHOUT_LISTENERS = sorted(a.value for a in ActionId if a.value not in ACTIONS)

GARBAGE_VALUES = st.one_of(
    text(),
    st.sampled_from(["", "0", "-1", "1.0", "\uff11", "12345678901234567890", "1:nowhere", ":dm", "1:", "bid"]),
)
NOT_A_STRING = st.one_of(
    st.none(), st.integers(), st.lists(st.integers(), max_size=2), st.dictionaries(st.text(), st.text())
)
MISSING = object()


def _button_parts(world: World, button: Button) -> tuple[st.SearchStrategy[Any], ...]:
    value = st.just(button.value(world))
    bad_value = st.one_of(st.sampled_from(button.foreign(world)), GARBAGE_VALUES)
    pressers = st.sampled_from([actor(p(world), world.team) for p in button.pressers])
    role_less = [u for u in world.a.people if u not in {p(world) for p in button.pressers}]
    bad_pressers = generic_bad_actors(world) | st.sampled_from(
        [actor(u, world.team) for u in role_less] or [actor("", "")]
    )
    return value, bad_value, pressers, bad_pressers


def _shapes(world: World) -> dict[str, st.SearchStrategy[Any]]:
    """Where the button was, in every shape: as Slack sends it, missing, or wrong."""
    ts = st.sampled_from(["1764151200.000100", "", "not-a-ts"])
    channel_id = st.sampled_from([world.a.channel, world.b.channel, "D0DIRECT01", ""]) | text(big=False)
    element = st.fixed_dictionaries(
        {"action_id": st.sampled_from([ActionId.DONE.value, "other"]), "value": GARBAGE_VALUES | NOT_A_STRING}
    )
    anything = json_values(big=False)
    block = st.fixed_dictionaries({"type": st.just("actions"), "elements": st.lists(element, max_size=3) | anything})
    blocks = st.lists(block | anything, max_size=3) | anything
    garbage = json_values(big=False).filter(lambda v: not isinstance(v, dict))
    return {
        "channel": st.one_of(
            st.builds(lambda c: {"id": c, "name": "leaders-set"}, channel_id), garbage, st.just(MISSING)
        ),
        "container": st.one_of(
            st.builds(
                lambda c, t: {"type": "message", "channel_id": c, "message_ts": t, "is_ephemeral": False},
                channel_id,
                ts,
            ),
            st.just({"type": "view", "view_id": "V0HOME0001"}),
            st.dictionaries(text(big=False), json_values(big=False), max_size=2),
            garbage,
            st.just(MISSING),
        ),
        "message": st.one_of(
            st.builds(lambda t, b: {"type": "message", "ts": t, "text": "x", "blocks": b}, ts, blocks),
            garbage,
            st.just(MISSING),
        ),
        "response_url": st.sampled_from([FRESH_RESPONSE_URL, MISSING]),
    }


def _press(
    world: World, button: Button, shapes: dict[str, st.SearchStrategy[Any]]
) -> st.SearchStrategy[tuple[str, Case]]:
    value, bad_value, pressers, bad_pressers = _button_parts(world, button)
    # For a presser who may not press it: anything but another set's rows, which that presser may
    # well be allowed to touch (the facilitator of set B, pressing on set B's round).
    not_foreign = value | GARBAGE_VALUES | NOT_A_STRING | st.just(MISSING)
    any_presser = pressers | st.builds(actor, garbage_users(), st.just(world.team))

    @st.composite
    def press(draw: st.DrawFn) -> tuple[str, Case]:
        free = draw(st.integers(0, 99)) < FREE_SHARE
        broken = None if free else draw(st.sampled_from(["value", "presser"]))
        carried = draw(bad_value if broken == "value" else not_foreign if broken == "presser" else value)
        user, team = draw(bad_pressers if broken == "presser" else pressers if free else any_presser)
        action: dict[str, Any] = {
            "action_id": button.action.value,
            "block_id": draw(st.sampled_from(["rounds.actions", "questions.actions", "commitments.buttons.1"])),
            "type": "button",
            "value": carried,
            "text": {"type": "plain_text", "text": "Press"},
            "action_ts": "1764252000.123456",
        }
        if carried is MISSING:
            del action["value"]
        parts = {k: draw(s) for k, s in shapes.items()}
        payload = _payload(world, user=user, team=team, actions=[action], parts=parts)
        invalid = broken is not None or not button.writes
        well_formed = all(
            isinstance(payload.get(k, {}), dict) for k in ("user", "team", "channel", "container", "message")
        ) and bool(payload.get("user", {}).get("id"))
        return button.action.value, Case(
            payload=payload, invalid=invalid, actor=_user_id(user), well_formed=well_formed
        )

    return press()


def _payload(world: World, *, user: Any, team: Any, actions: Any, parts: dict[str, Any]) -> dict[str, Any]:
    payload = {
        "type": "block_actions",
        "user": user,
        "team": team,
        "api_app_id": world.app_id,
        "token": "standin-verification-token",
        "trigger_id": FRESH_TRIGGER,
        "actions": actions,
        "state": {"values": {}},
        "enterprise": None,
        "is_enterprise_install": False,
        **parts,
    }
    return {k: v for k, v in payload.items() if v is not MISSING and (v is not None or k == "enterprise")}


def _user_id(user: Any) -> str:
    return str(user.get("id")) if isinstance(user, dict) else ""


def _unroutable(world: World, shapes: dict[str, st.SearchStrategy[Any]]) -> st.SearchStrategy[tuple[str, Case]]:
    """block_actions Bolt cannot route to any listener: it should say so with a 4xx, not fail."""
    actions = st.one_of(
        st.just(MISSING),
        st.just([]),
        st.sampled_from([*INPUTS_WITHOUT_LISTENERS, "nope", ""]).map(lambda a: [{"action_id": a, "value": "1"}]),
        st.lists(
            st.dictionaries(st.sampled_from(["value", "block_id", "type"]), text(big=False)), min_size=1, max_size=2
        ),
        st.just([{"action_id": 5, "value": "1"}]),
    )

    @st.composite
    def unroutable(draw: st.DrawFn) -> tuple[str, Case]:
        user, team = draw(st.builds(actor, st.sampled_from(world.a.people), st.just(world.team)))
        parts = {k: draw(s) for k, s in shapes.items()}
        payload = _payload(world, user=user, team=team, actions=draw(actions), parts=parts)
        return "unroutable", Case(payload=payload, routable=False, invalid=True, actor=_user_id(user))

    return unroutable()


def _suggestions(world: World) -> st.SearchStrategy[tuple[str, Case]]:
    """The set-up form's time zone type-ahead, with any query."""
    (action_id,) = OPTIONS

    @st.composite
    def suggestion(draw: st.DrawFn) -> tuple[str, Case]:
        user, team = draw(st.builds(actor, st.sampled_from(world.users) | garbage_users(), st.just(world.team)))
        payload = {
            "type": "block_suggestion",
            "user": user,
            "team": team,
            "container": {"type": "view", "view_id": "V0SETUP001"},
            "api_app_id": world.app_id,
            "token": "standin-verification-token",
            "action_id": action_id,
            "block_id": action_id,
            "value": draw(text() | NOT_A_STRING),
            "view": {"id": "V0SETUP001", "type": "modal", "callback_id": "sets.setup", "state": {"values": {}}},
        }
        return "options", Case(payload=payload, invalid=True, actor=_user_id(user), well_formed=bool(_user_id(user)))

    return suggestion()


def presses(world: World) -> list[st.SearchStrategy[tuple[str, Case]]]:
    """One strategy per button, then the type-ahead and the presses no listener takes."""
    shapes = _shapes(world)
    return [*(_press(world, b, shapes) for b in BUTTONS), _suggestions(world), _unroutable(world, shapes)]


def test_every_button_refuses_what_it_should_and_changes_nothing(live: Live) -> None:
    per_action: Counter[str] = Counter()
    groups = presses(live.world)
    for strategy in groups:  # each its share of the examples, so that every button is pressed

        @live.settings(parts=len(groups))
        @given(press=strategy)
        def example(press: tuple[str, Case]) -> None:
            action, case = press
            per_action[action] += 1
            live.run(live.delivery.deliver(case))

        example()
    print(f"{live.delivery.sent} requests, {live.delivery.changed} of them changed the database:", dict(per_action))
    assert len(per_action) == len(BUTTONS) + 2, per_action
