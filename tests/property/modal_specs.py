"""For every modal (CallbackId): its input fields, and what in its private_metadata and its submitter
makes a submission valid (in set A) or invalid on its own.

Each spec has three parts that can be made invalid, independently: a field, the metadata, the
actor. Whatever is not made invalid is drawn from what is valid in set A or from garbage that is
valid nowhere, so one invalid part is enough to make the whole submission invalid.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from hypothesis import strategies as st

from bot.domain.ground_rules import GROUND_RULES_MAX
from bot.domain.meetings import BID_MAX
from bot.domain.reflection import REFLECTION_MAX as WEEKLY_REFLECTION_MAX
from bot.domain.reflection import Visibility
from bot.domain.reminders import ACTION_MAX, DONE_LOOKS_LIKE_MAX, NOTE_MAX
from bot.domain.rounds import (
    ANSWER_MAX,
    CONTEXT_MAX,
    PROBLEM_MAX,
    PROMPT_MAX,
    QUESTION_MAX,
    QUESTION_MIN,
    REFLECTION_MAX,
    HelpWanted,
)
from bot.domain.sets import MAX_REMINDER_LEAD_DAYS, NAME_MAX, RETENTION_CHOICES, Cadence
from handlers.blocks.ground_rules import AGREE
from handlers.ids import ActionId, BlockId, CallbackId
from tests.property.forms import (
    Field,
    checkboxes,
    choice,
    in_days,
    optional_date,
    optional_text,
    required_date,
    required_text,
    required_time,
)
from tests.property.registry import VIEWS
from tests.property.strategies import garbage_users, json_values, text
from tests.property.world import OTHER_TEAM, PENDING_TOKEN, World

Actor = tuple[Any, Any]  # the payload's "user" and "team"


def actor(user: Any, team: Any) -> Actor:
    return (
        {"id": user, "username": "someone", "name": "someone", "team_id": team},
        {"id": team, "domain": "standin"},
    )


@dataclass(frozen=True)
class Spec:
    callback: CallbackId
    fields: tuple[Field, ...]
    metadata: Callable[[World], st.SearchStrategy[str]]  # valid in set A
    bad_metadata: Callable[[World], st.SearchStrategy[str]] | None
    actors: Callable[[World], st.SearchStrategy[Actor]]  # valid in set A
    bad_actors: Callable[[World], st.SearchStrategy[Actor]] | None
    notes: tuple[str, ...] = field(default=())


# ---- metadata ----------------------------------------------------------------------------------


def meta(**values: Any) -> str:
    return json.dumps(values, separators=(",", ":"))


def garbage_metadata() -> st.SearchStrategy[str]:
    """private_metadata that is not the app's at all: text, other JSON, 100 kB."""
    return st.one_of(text(), json_values().map(json.dumps), st.just(""), st.just("{}"), st.just("null"))


# Values the app must not take for a row id.
def not_an_id() -> st.SearchStrategy[Any]:
    return st.one_of(
        st.integers(max_value=0),
        st.integers(min_value=2**53),
        st.sampled_from(["1", "2", " 1", "1.0", "", "one", False, True, 2**63, 2**64 + 1, 10**30]),
        st.floats(allow_nan=False, allow_infinity=False),
        st.lists(st.integers(0, 3), max_size=2),
        st.none(),
        st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
    )


# Taken for a round instead of the form's round picker only when truthy.
TRUTHY_NOT_AN_ID = st.one_of(
    st.integers(min_value=-(2**62), max_value=-1), st.sampled_from(["1", "one", " 3"]), st.floats(min_value=0.5)
)


def id_metadata(
    key: str, valid: Callable[[World], int], foreign: Callable[[World], tuple[int, ...]], **extra: Any
) -> tuple[Callable[[World], st.SearchStrategy[str]], Callable[[World], st.SearchStrategy[str]]]:
    def good(world: World) -> st.SearchStrategy[str]:
        return st.just(meta(**{key: valid(world)}, **extra))

    def bad(world: World) -> st.SearchStrategy[str]:
        wrong = st.sampled_from(foreign(world)) | not_an_id()
        return st.one_of(wrong.map(lambda v: meta(**{key: v}, **extra)), st.just(meta(**extra)), garbage_metadata())

    return good, bad


# ---- actors ------------------------------------------------------------------------------------


def generic_bad_actors(world: World, *, user_missing: bool = True) -> st.SearchStrategy[Actor]:
    """Submitters who are nobody in set A: unknown, outside, in another set, from another workspace."""
    options: list[st.SearchStrategy[Actor]] = [
        st.builds(actor, garbage_users(), st.just(world.team)),
        st.just(actor(world.outsider, world.team)),
        st.builds(actor, st.sampled_from(world.b.people), st.just(world.team)),
        st.builds(actor, st.sampled_from(world.a.people), st.just(OTHER_TEAM)),
        st.builds(actor, st.sampled_from(world.a.people), text(big=False).filter(lambda t: t != world.team)),
    ]
    if user_missing:  # no user at all, or a user that is not an object
        options.append(
            st.tuples(st.none() | text(big=False) | st.lists(st.just(world.a.members[0])), st.just({"id": world.team}))
        )
    return st.one_of(options)


def people(*users: Callable[[World], str]) -> Callable[[World], st.SearchStrategy[Actor]]:
    return lambda world: st.sampled_from([actor(u(world), world.team) for u in users])


def bad_people(
    *users: Callable[[World], str], user_missing: bool = True
) -> Callable[[World], st.SearchStrategy[Actor]]:
    """The generic bad actors, plus people of set A who lack the role."""

    def strategy(world: World) -> st.SearchStrategy[Actor]:
        generic = generic_bad_actors(world, user_missing=user_missing)
        return generic | st.sampled_from([actor(u(world), world.team) for u in users]) if users else generic

    return strategy


def member(i: int) -> Callable[[World], str]:
    return lambda world: world.a.members[i]


def facilitator(world: World) -> str:
    return world.a.facilitator


ANY_MEMBER = people(facilitator, member(0), member(1), member(2), member(3))


def foreign(name: str) -> Callable[[World], tuple[int, ...]]:
    return lambda world: (getattr(world.b, name), getattr(world.c, name))


def other_rows(name: str, *extra: str) -> Callable[[World], tuple[int, ...]]:
    """Ids of `name` rows in sets B and C, and of the `extra` rows of set A (valid ids, wrong rows)."""
    return lambda world: (getattr(world.b, name), getattr(world.c, name), *(getattr(world.a, e) for e in extra))


def set_a(world: World) -> int:
    return world.a.set_id


# ---- the modals --------------------------------------------------------------------------------

DUE_FIRST, DUE_LAST = in_days(1, 300)
SET_META, BAD_SET_META = id_metadata("set", set_a, other_rows("set_id"))


def _setup_metadata(world: World) -> st.SearchStrategy[str]:
    return st.sampled_from([world.a.channel, world.plain_channel]).map(lambda c: meta(channel=c))


def _setup_bad_metadata(world: World) -> st.SearchStrategy[str]:
    wrong = st.one_of(st.just(""), st.none(), st.integers(), st.lists(st.just(world.a.channel), max_size=1))
    return st.one_of(
        wrong.map(lambda c: meta(channel=c)), st.just(meta()), garbage_metadata().filter(lambda m: "channel" not in m)
    )


def _lead_days(value: str) -> bool:
    text = value.strip()
    return text.isdigit() and len(text) <= 2 and int(text) <= MAX_REMINDER_LEAD_DAYS


def _setup_bad_actors(world: World) -> st.SearchStrategy[Actor]:
    return st.one_of(
        st.builds(actor, garbage_users(), st.just(world.team)),
        st.sampled_from([actor(u, world.team) for u in (world.outsider, *world.b.people, *world.a.members)]),
        # No user, an empty one, or one that is not an object.
        st.tuples(
            st.none() | st.just("") | st.just({}) | text(big=False) | st.lists(st.just(world.a.members[0])),
            st.just({"id": world.team}),
        ),
    )


def _bid_bad_metadata(world: World) -> st.SearchStrategy[str]:
    # Not the plain channel: a valid set-up example may have made a set of it, with set A's
    # facilitator in it, whose bid there is then rightly saved.
    wrong = st.sampled_from([world.b.channel, world.c.channel, "", "C0NOPE"]) | text(big=False)
    return st.one_of(
        wrong.map(lambda c: meta(channel=c)), st.just(meta()), garbage_metadata().filter(lambda m: "channel" not in m)
    )


SPECS: tuple[Spec, ...] = (
    Spec(
        CallbackId.SETUP,
        (
            required_text(BlockId.SET_NAME, ActionId.SET_NAME, NAME_MAX),
            choice(
                BlockId.SET_TIMEZONE,
                ActionId.SET_TIMEZONE,
                ["Europe/London", "Asia/Kolkata", "UTC"],
                kind="external_select",
            ),
            choice(BlockId.SET_CADENCE, ActionId.SET_CADENCE, [c.value for c in Cadence]),
            required_date(BlockId.SET_MEETING_DATE, ActionId.SET_MEETING_DATE, first=DUE_FIRST, last=DUE_LAST),
            required_time(BlockId.SET_MEETING_TIME, ActionId.SET_MEETING_TIME),
            choice(BlockId.SET_PROMPT_WEEKDAY, ActionId.SET_PROMPT_WEEKDAY, [str(d) for d in range(7)]),
            required_time(BlockId.SET_PROMPT_TIME, ActionId.SET_PROMPT_TIME),
            # Missing or of the wrong type, these two take their defaults: only a wrong choice is invalid.
            choice(
                BlockId.SET_LEAD_DAYS, ActionId.SET_LEAD_DAYS, ["0", "1", "2", "3"], required=False, accepts=_lead_days
            ),
            optional_date(BlockId.SET_PAUSED_UNTIL, ActionId.SET_PAUSED_UNTIL, first=DUE_LAST, last=DUE_LAST),
            optional_text(BlockId.SET_GROUND_RULES, ActionId.SET_GROUND_RULES, GROUND_RULES_MAX),
            choice(BlockId.SET_RETENTION, ActionId.SET_RETENTION, [str(m) for m in RETENTION_CHOICES], required=False),
        ),
        _setup_metadata,
        _setup_bad_metadata,
        people(facilitator),
        # In a channel with no set anyone may set one up (in any workspace): test_modals.py pairs
        # these with set A's channel and workspace, where only its facilitator may.
        _setup_bad_actors,
    ),
    Spec(
        CallbackId.PRESENT,
        (
            required_text(BlockId.PROBLEM, ActionId.PROBLEM, PROBLEM_MAX),
            optional_text(BlockId.CONTEXT, ActionId.CONTEXT, CONTEXT_MAX),
            optional_text(BlockId.WHY, ActionId.WHY, PROMPT_MAX),
            optional_text(BlockId.TRIED, ActionId.TRIED, PROMPT_MAX),
            optional_text(BlockId.SUCCESS, ActionId.SUCCESS, PROMPT_MAX),
            checkboxes(BlockId.HELP_WANTED, ActionId.HELP_WANTED, [h.value for h in HelpWanted]),
        ),
        SET_META,
        BAD_SET_META,
        people(member(1), member(2), member(3), facilitator),
        bad_people(),
    ),
    Spec(
        CallbackId.ASK,
        (
            # Used only when the metadata names no round.
            choice(
                BlockId.ASK_ROUND,
                ActionId.ASK_ROUND,
                ["1", "3", "5", "99", "none", "12345678901234567890", "9" * 40],
                required=False,
                checked=False,
            ),
            required_text(BlockId.QUESTION, ActionId.QUESTION, QUESTION_MAX, minimum=QUESTION_MIN),
            checkboxes(BlockId.AS_IS, ActionId.AS_IS, ["as_is"]),
        ),
        lambda world: st.sampled_from(
            [
                meta(set=world.a.set_id),  # the round comes from the form's round picker
                meta(set=world.a.set_id, round=world.a.open_round),
                meta(set=world.a.set_id, round=world.a.open_round, question=world.a.question),
            ]
        ),
        lambda world: st.one_of(
            (st.sampled_from(other_rows("open_round", "reflecting_round")(world)) | TRUTHY_NOT_AN_ID).map(
                lambda r: meta(set=world.a.set_id, round=r)
            ),
            st.sampled_from(other_rows("question")(world)).map(
                lambda q: meta(set=world.a.set_id, round=world.a.open_round, question=q)
            ),
        ),
        people(member(1), member(2), member(3)),
        bad_people(member(0)),  # the presenter does not ask in their own round
    ),
    Spec(
        CallbackId.ANSWER,
        (required_text(BlockId.ANSWER, ActionId.ANSWER, ANSWER_MAX),),
        *id_metadata("question", lambda w: w.a.question, other_rows("question")),
        people(member(0)),
        bad_people(facilitator, member(1), member(2)),
    ),
    Spec(
        CallbackId.WITHDRAW,
        (),
        *id_metadata("question", lambda w: w.a.question, other_rows("question")),
        people(member(1)),
        bad_people(facilitator, member(0), member(2)),
    ),
    Spec(
        CallbackId.REFLECT,
        (
            required_text(BlockId.LEARNED, ActionId.LEARNED, REFLECTION_MAX),
            optional_text(BlockId.DIFFERENTLY, ActionId.DIFFERENTLY, REFLECTION_MAX),
        ),
        *id_metadata("round", lambda w: w.a.reflecting_round, other_rows("reflecting_round", "open_round")),
        people(member(1)),
        bad_people(facilitator, member(0), member(2)),
    ),
    Spec(
        CallbackId.COMMIT,
        (
            required_text(BlockId.COMMIT_ACTION, ActionId.COMMIT_ACTION, ACTION_MAX),
            required_date(BlockId.COMMIT_DUE, ActionId.COMMIT_DUE, first=DUE_FIRST, last=DUE_LAST),
            optional_text(BlockId.COMMIT_DONE_LOOKS_LIKE, ActionId.COMMIT_DONE_LOOKS_LIKE, DONE_LOOKS_LIKE_MAX),
            # A round that is not the member's own is simply not linked: no choice here is invalid.
            choice(BlockId.COMMIT_ROUND, ActionId.COMMIT_ROUND, ["none", "1", "3", "5"], required=False, checked=False),
        ),
        SET_META,
        BAD_SET_META,
        ANY_MEMBER,
        bad_people(),
    ),
    Spec(
        CallbackId.COMMITMENT_UPDATE,
        (
            required_text(BlockId.WHAT_HAPPENED, ActionId.WHAT_HAPPENED, NOTE_MAX),
            optional_text(BlockId.WHAT_LEARNED, ActionId.WHAT_LEARNED, NOTE_MAX),
            optional_date(BlockId.NEW_DUE, ActionId.NEW_DUE, first=DUE_FIRST, last=DUE_LAST),
        ),
        *id_metadata(
            "commitment", lambda w: w.a.commitment, other_rows("commitment"), surface="dm", channel="D1", ts="1.2"
        ),
        people(member(0)),
        bad_people(facilitator, member(1)),
    ),
    Spec(
        CallbackId.COMMITMENT_DROP,
        (required_text(BlockId.DROP_REASON, ActionId.DROP_REASON, NOTE_MAX),),
        *id_metadata("commitment", lambda w: w.a.commitment, other_rows("commitment"), surface="home"),
        people(member(0)),
        bad_people(facilitator, member(1)),
    ),
    Spec(
        CallbackId.AWAY,
        (required_date(BlockId.AWAY_UNTIL, ActionId.AWAY_UNTIL, first=DUE_FIRST, last=DUE_LAST),),
        lambda world: garbage_metadata(),  # the away form has no metadata: anything goes
        None,
        ANY_MEMBER,
        None,  # anyone may be away, in any workspace: only the date can be wrong
    ),
    Spec(
        CallbackId.REFLECTION,
        (
            required_text(BlockId.REFLECTION_TEXT, ActionId.REFLECTION_TEXT, WEEKLY_REFLECTION_MAX),
            choice(
                BlockId.REFLECTION_VISIBILITY,
                ActionId.REFLECTION_VISIBILITY,
                [v.value for v in Visibility],
                kind="radio_buttons",
            ),
        ),
        *id_metadata("prompt", lambda w: w.a.prompt, other_rows("prompt")),
        ANY_MEMBER,
        bad_people(),
    ),
    Spec(
        CallbackId.BID,
        (required_text(BlockId.BID_TOPIC, ActionId.BID_TOPIC, BID_MAX),),
        lambda world: st.just(meta(channel=world.a.channel)),
        _bid_bad_metadata,
        ANY_MEMBER,
        bad_people(),
    ),
    Spec(
        CallbackId.GROUND_RULES,
        (checkboxes(BlockId.GROUND_RULES_AGREE, ActionId.GROUND_RULES_AGREE, [AGREE], must_tick=AGREE),),
        lambda world: st.just(meta(form=PENDING_TOKEN)),
        lambda world: st.one_of(
            (text(big=False).filter(lambda t: t != PENDING_TOKEN) | st.integers() | st.none()).map(
                lambda t: meta(form=t)
            ),
            garbage_metadata(),
        ),
        people(member(3)),
        bad_people(facilitator, member(0)),
    ),
    Spec(
        CallbackId.FORGET,
        (),
        SET_META,
        BAD_SET_META,
        ANY_MEMBER,
        bad_people(),
    ),
)

assert {s.callback for s in SPECS} == set(CallbackId) == VIEWS, "every modal has a spec"
