"""Rules about a set's settings and size, free of Slack and of storage."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum

from bot.domain.timezones import DEFAULT_TIMEZONE, is_valid_timezone, local_to_utc, local_today, utc_to_local

NAME_MAX = 80
RECOMMENDED_MIN_MEMBERS = 4
RECOMMENDED_MAX_MEMBERS = 6
FIRST_MEETING_IN_DAYS = 14
DEFAULT_MEETING_TIME = time(10, 0)
DEFAULT_PROMPT_WEEKDAY = 4  # Friday
DEFAULT_PROMPT_TIME = time(15, 0)
DEFAULT_REMINDER_LEAD_DAYS = 2
LONGEST_PLANNING_HORIZON = timedelta(days=366)

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


class Cadence(StrEnum):
    WEEKLY = "weekly"
    FORTNIGHTLY = "fortnightly"
    FOUR_WEEKLY = "four_weekly"
    MONTHLY_WEEKDAY = "monthly_weekday"
    MANUAL = "manual"

    @property
    def label(self) -> str:
        return CADENCE_LABELS[self]


CADENCE_LABELS: dict[Cadence, str] = {
    Cadence.WEEKLY: "Every week",
    Cadence.FORTNIGHTLY: "Every two weeks",
    Cadence.FOUR_WEEKLY: "Every four weeks",
    Cadence.MONTHLY_WEEKDAY: "Monthly, on the same weekday",
    Cadence.MANUAL: "I'll set each date myself",
}
DEFAULT_CADENCE = Cadence.FOUR_WEEKLY


class SettingField(StrEnum):
    """The parts of a set's settings a person fills in; errors are keyed by these."""

    NAME = "name"
    TIMEZONE = "timezone"
    CADENCE = "cadence"
    MEETING_DATE = "meeting_date"
    MEETING_TIME = "meeting_time"
    PROMPT_WEEKDAY = "prompt_weekday"
    PROMPT_TIME = "prompt_time"


@dataclass(frozen=True)
class SetSettings:
    name: str
    timezone: str
    cadence: Cadence
    meeting_date: date
    meeting_time: time
    prompt_weekday: int
    prompt_time: time

    @property
    def next_meeting_at(self) -> datetime:
        return local_to_utc(self.meeting_date, self.meeting_time, self.timezone)


@dataclass(frozen=True)
class SettingsForm:
    """What came back from the settings form, as text; None where a field was left empty."""

    name: str | None = None
    timezone: str | None = None
    cadence: str | None = None
    meeting_date: str | None = None
    meeting_time: str | None = None
    prompt_weekday: str | None = None
    prompt_time: str | None = None


def default_settings(*, channel_name: str, timezone: str | None, now: datetime) -> SetSettings:
    """Settings that make a working set when the form is submitted untouched."""
    tz = timezone if timezone and is_valid_timezone(timezone) else DEFAULT_TIMEZONE
    name = (channel_name or "").strip().lstrip("#")[:NAME_MAX] or "Action learning set"
    return SetSettings(
        name=name,
        timezone=tz,
        cadence=DEFAULT_CADENCE,
        meeting_date=local_today(now, tz) + timedelta(days=FIRST_MEETING_IN_DAYS),
        meeting_time=DEFAULT_MEETING_TIME,
        prompt_weekday=DEFAULT_PROMPT_WEEKDAY,
        prompt_time=DEFAULT_PROMPT_TIME,
    )


def settings_of_stored(
    *,
    name: str,
    timezone: str,
    cadence: str,
    next_meeting_at: datetime | None,
    prompt_weekday: int,
    prompt_time: time,
    now: datetime,
) -> SetSettings:
    """A stored set's settings as the form shows them (meeting in the set's own wall-clock time)."""
    meeting = utc_to_local(next_meeting_at, timezone) if next_meeting_at else None
    fallback = default_settings(channel_name=name, timezone=timezone, now=now)
    return SetSettings(
        name=name,
        timezone=timezone,
        cadence=Cadence(cadence) if cadence in Cadence.__members__.values() else DEFAULT_CADENCE,
        meeting_date=meeting.date() if meeting else fallback.meeting_date,
        meeting_time=meeting.time().replace(second=0, microsecond=0) if meeting else fallback.meeting_time,
        prompt_weekday=prompt_weekday,
        prompt_time=prompt_time,
    )


def validate_settings(form: SettingsForm, *, now: datetime) -> SetSettings | dict[SettingField, str]:
    """The settings, or a plain-language message for each field that is wrong."""
    errors: dict[SettingField, str] = {}

    name = " ".join((form.name or "").split())
    if not name:
        errors[SettingField.NAME] = "Give the set a name, such as “Team leads set”."
    elif len(name) > NAME_MAX:
        errors[SettingField.NAME] = f"Keep the name to {NAME_MAX} characters or fewer (this one has {len(name)})."

    tz = (form.timezone or "").strip()
    if not is_valid_timezone(tz):
        errors[SettingField.TIMEZONE] = "Pick a time zone from the list."
        tz = DEFAULT_TIMEZONE

    try:
        cadence = Cadence(form.cadence or "")
    except ValueError:
        errors[SettingField.CADENCE] = "Pick how often the set meets."
        cadence = DEFAULT_CADENCE

    meeting_time = _parse_time(form.meeting_time)
    if meeting_time is None:
        errors[SettingField.MEETING_TIME] = "Pick the time the meeting starts."
    meeting_date = _parse_date(form.meeting_date)
    if meeting_date is None:
        errors[SettingField.MEETING_DATE] = "Pick the date of the next meeting."
    else:
        today = local_today(now, tz)
        if meeting_date < today:
            errors[SettingField.MEETING_DATE] = "That date has passed: pick today or a later date."
        elif local_to_utc(meeting_date, meeting_time or time(23, 59), tz) - now > LONGEST_PLANNING_HORIZON:
            errors[SettingField.MEETING_DATE] = "Pick a date within the next year."
        elif meeting_time is not None and local_to_utc(meeting_date, meeting_time, tz) <= now:
            errors[SettingField.MEETING_TIME] = "That time has already passed today: pick a later time."

    weekday = _parse_weekday(form.prompt_weekday)
    if weekday is None:
        errors[SettingField.PROMPT_WEEKDAY] = "Pick the day for the weekly reflection prompt."
    prompt_time = _parse_time(form.prompt_time)
    if prompt_time is None:
        errors[SettingField.PROMPT_TIME] = "Pick the time for the weekly reflection prompt."

    if errors:
        return errors
    if meeting_date is None or meeting_time is None or weekday is None or prompt_time is None:
        raise AssertionError("every field was checked above")
    return SetSettings(
        name=name,
        timezone=tz,
        cadence=cadence,
        meeting_date=meeting_date,
        meeting_time=meeting_time,
        prompt_weekday=weekday,
        prompt_time=prompt_time,
    )


def size_advice(members_besides_facilitator: int) -> str | None:
    """A note for the facilitator when the set is outside the size practitioners recommend."""
    n = members_besides_facilitator
    people = "person" if n == 1 else "people"
    if n < RECOMMENDED_MIN_MEMBERS:
        return (
            f"This set has {n} {people} besides you. Practitioners recommend "
            f"{RECOMMENDED_MIN_MEMBERS}–{RECOMMENDED_MAX_MEMBERS}: with fewer, each presenter gets few "
            "questions. The set works anyway, and people who join the channel join the set."
        )
    if n > RECOMMENDED_MAX_MEMBERS:
        return (
            f"This set has {n} {people} besides you. Practitioners recommend "
            f"{RECOMMENDED_MIN_MEMBERS}–{RECOMMENDED_MAX_MEMBERS}: in a bigger set it is hard for "
            "everyone to present and be heard. The set works anyway; you might split it into two."
        )
    return None


def _parse_date(value: str | None) -> date | None:
    try:
        return date.fromisoformat((value or "").strip())
    except ValueError:
        return None


def _parse_time(value: str | None) -> time | None:
    text = (value or "").strip()
    if len(text) != 5 or text[2] != ":":
        return None
    try:
        return time.fromisoformat(text)
    except ValueError:
        return None


def _parse_weekday(value: str | None) -> int | None:
    text = (value or "").strip()
    return int(text) if text in {"0", "1", "2", "3", "4", "5", "6"} else None
