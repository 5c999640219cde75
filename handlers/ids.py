"""Every callback, action and block id the app uses, in one place."""

from __future__ import annotations

from enum import StrEnum

COMMAND = "/als"


class CallbackId(StrEnum):
    SETUP = "sets.setup"
    PRESENT = "rounds.present"
    ASK = "rounds.ask"
    ANSWER = "rounds.answer"
    WITHDRAW = "rounds.withdraw"
    REFLECT = "rounds.reflect"


class BlockId(StrEnum):
    SET_NAME = "sets.name"
    SET_TIMEZONE = "sets.timezone"
    SET_CADENCE = "sets.cadence"
    SET_MEETING_DATE = "sets.meeting_date"
    SET_MEETING_TIME = "sets.meeting_time"
    SET_PROMPT_WEEKDAY = "sets.prompt_weekday"
    SET_PROMPT_TIME = "sets.prompt_time"
    PROBLEM = "rounds.problem"
    CONTEXT = "rounds.context"
    WHY = "rounds.why"
    TRIED = "rounds.tried"
    SUCCESS = "rounds.success"
    HELP_WANTED = "rounds.help_wanted"
    ASK_ROUND = "rounds.ask_round"
    QUESTION = "rounds.question"
    AS_IS = "rounds.as_is"
    ANSWER = "rounds.answer_text"
    LEARNED = "rounds.learned"
    DIFFERENTLY = "rounds.differently"
    ROUND_ACTIONS = "rounds.actions"
    QUESTION_ACTIONS = "questions.actions"


class ActionId(StrEnum):
    SET_NAME = "sets.name"
    SET_TIMEZONE = "sets.timezone"
    SET_CADENCE = "sets.cadence"
    SET_MEETING_DATE = "sets.meeting_date"
    SET_MEETING_TIME = "sets.meeting_time"
    SET_PROMPT_WEEKDAY = "sets.prompt_weekday"
    SET_PROMPT_TIME = "sets.prompt_time"
    PROBLEM = "rounds.problem"
    CONTEXT = "rounds.context"
    WHY = "rounds.why"
    TRIED = "rounds.tried"
    SUCCESS = "rounds.success"
    HELP_WANTED = "rounds.help_wanted"
    ASK_ROUND = "rounds.ask_round"
    QUESTION = "rounds.question"
    AS_IS = "rounds.as_is"
    ANSWER = "rounds.answer_text"
    LEARNED = "rounds.learned"
    DIFFERENTLY = "rounds.differently"
    # buttons
    ASK_BUTTON = "rounds.ask_button"
    EXPLORE = "rounds.explore"
    CLOSE = "rounds.close"
    REFLECT = "rounds.reflect_button"
    ANSWER_BUTTON = "questions.answer"
    STILL_THINKING = "questions.still_thinking"
    GOLDEN = "questions.golden"
    EDIT = "questions.edit"
    WITHDRAW = "questions.withdraw"
