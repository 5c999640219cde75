"""Every callback, action and block id the app uses, in one place."""

from __future__ import annotations

from enum import StrEnum

COMMAND = "/als"


class CallbackId(StrEnum):
    SETUP = "sets.setup"


class BlockId(StrEnum):
    SET_NAME = "sets.name"
    SET_TIMEZONE = "sets.timezone"
    SET_CADENCE = "sets.cadence"
    SET_MEETING_DATE = "sets.meeting_date"
    SET_MEETING_TIME = "sets.meeting_time"
    SET_PROMPT_WEEKDAY = "sets.prompt_weekday"
    SET_PROMPT_TIME = "sets.prompt_time"


class ActionId(StrEnum):
    SET_NAME = "sets.name"
    SET_TIMEZONE = "sets.timezone"
    SET_CADENCE = "sets.cadence"
    SET_MEETING_DATE = "sets.meeting_date"
    SET_MEETING_TIME = "sets.meeting_time"
    SET_PROMPT_WEEKDAY = "sets.prompt_weekday"
    SET_PROMPT_TIME = "sets.prompt_time"
