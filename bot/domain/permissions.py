"""Who may do what in a set: one table, read by one function. Nothing else decides.

A person's roles come from the set and from the thing they act on: the set's facilitator, an
active member, the presenter of the round, the asker of the question, the owner of the commitment.
Everyone else (people outside the channel, former members) has no role and may do nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum


class Role(StrEnum):
    FACILITATOR = "facilitator"
    MEMBER = "member"
    PRESENTER = "presenter"  # of the round acted on
    ASKER = "asker"  # of the question acted on
    OWNER = "owner"  # of the commitment acted on


class Action(StrEnum):
    SETUP = "setup"  # change an existing set with /als setup
    SETTINGS = "settings"
    PAUSE = "pause"
    RESUME = "resume"
    EXPORT = "export"
    PRESENT = "present"
    ASK = "ask"
    ANSWER = "answer"
    STILL_THINKING = "still_thinking"
    MARK_GOLDEN = "mark_golden"
    EDIT_QUESTION = "edit_question"
    WITHDRAW_QUESTION = "withdraw_question"
    MOVE_ON = "move_on"  # clarifying → exploratory
    CLOSE = "close"
    REFLECT_ON_ROUND = "reflect_on_round"
    REFLECT = "reflect"  # the weekly reflection
    COMMIT = "commit"
    UPDATE_COMMITMENT = "update_commitment"  # done, snooze, update, drop
    BID = "bid"
    EXPORT_MINE = "export_mine"
    FORGET_ME = "forget_me"


FACILITATOR, MEMBER, PRESENTER, ASKER, OWNER = Role

WHO_MAY: dict[Action, frozenset[Role]] = {
    Action.SETUP: frozenset({FACILITATOR}),
    Action.SETTINGS: frozenset({FACILITATOR}),
    Action.PAUSE: frozenset({FACILITATOR}),
    Action.RESUME: frozenset({FACILITATOR}),
    Action.EXPORT: frozenset({FACILITATOR}),
    Action.PRESENT: frozenset({MEMBER}),
    Action.ASK: frozenset({MEMBER}),
    Action.ANSWER: frozenset({PRESENTER}),
    Action.STILL_THINKING: frozenset({PRESENTER}),
    Action.MARK_GOLDEN: frozenset({PRESENTER}),
    Action.EDIT_QUESTION: frozenset({ASKER}),
    Action.WITHDRAW_QUESTION: frozenset({ASKER}),
    Action.MOVE_ON: frozenset({PRESENTER, FACILITATOR}),
    Action.CLOSE: frozenset({PRESENTER, FACILITATOR}),
    Action.REFLECT_ON_ROUND: frozenset({PRESENTER}),
    Action.REFLECT: frozenset({MEMBER}),
    Action.COMMIT: frozenset({MEMBER}),
    Action.UPDATE_COMMITMENT: frozenset({OWNER}),
    Action.BID: frozenset({MEMBER}),
    Action.EXPORT_MINE: frozenset({MEMBER}),
    Action.FORGET_ME: frozenset({MEMBER}),
}

NOT_A_MEMBER = "Only members of this set can do that. The set's members are the people in its channel."

REFUSALS: dict[Action, str] = {
    Action.SETUP: "Only the set's facilitator, <@{facilitator}>, can change its settings.",
    Action.SETTINGS: "Only the set's facilitator, <@{facilitator}>, can change its settings.",
    Action.PAUSE: "Only the set's facilitator, <@{facilitator}>, can change its settings.",
    Action.RESUME: "Only the set's facilitator, <@{facilitator}>, can change its settings.",
    Action.EXPORT: "Only the set's facilitator, <@{facilitator}>, can export the set's history.",
    Action.ANSWER: "Only the presenter answers questions in their round.",
    Action.STILL_THINKING: "Only the presenter answers questions in their round.",
    Action.MARK_GOLDEN: "Only the presenter marks the questions that helped most.",
    Action.EDIT_QUESTION: "Only the person who asked a question can change or withdraw it.",
    Action.WITHDRAW_QUESTION: "Only the person who asked a question can change or withdraw it.",
    Action.MOVE_ON: "Only the presenter or the set's facilitator can do that.",
    Action.CLOSE: "Only the presenter or the set's facilitator can do that.",
    Action.REFLECT_ON_ROUND: "Only the presenter reflects on their round.",
    Action.UPDATE_COMMITMENT: "Only the person who made a commitment can update it.",
}


def may(action: Action, roles: Iterable[Role]) -> bool:
    return not WHO_MAY[action].isdisjoint(roles)


def refusal(action: Action, *, facilitator: str) -> str:
    return REFUSALS.get(action, NOT_A_MEMBER).format(facilitator=facilitator)
