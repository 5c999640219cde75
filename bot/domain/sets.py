"""Rules about a set's settings and size, free of Slack and of storage."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum

from bot.domain.ground_rules import DEFAULT_GROUND_RULES, ground_rules_error
from bot.domain.timezones import (
    DEFAULT_TIMEZONE,
    is_valid_timezone,
    local_to_utc,
    local_today,
    picked_date,
    utc_to_local,
)

NAME_MAX = 80
RECOMMENDED_MIN_MEMBERS = 4
RECOMMENDED_MAX_MEMBERS = 6
FIRST_MEETING_IN_DAYS = 14
DEFAULT_MEETING_TIME = time(10, 0)
DEFAULT_PROMPT_WEEKDAY = 4  # Friday
DEFAULT_PROMPT_TIME = time(15, 0)
DEFAULT_REMINDER_LEAD_DAYS = 2
MAX_REMINDER_LEAD_DAYS = 7
RETENTION_CHOICES = (0, 3, 6, 12, 24)  # months; 0 keeps everything
LONGEST_PAUSE = timedelta(days=366)
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
CADENCE_DAYS: dict[Cadence, int] = {
    Cadence.WEEKLY: 7,
    Cadence.FORTNIGHTLY: 14,
    Cadence.FOUR_WEEKLY: 28,
    Cadence.MONTHLY_WEEKDAY: 28,
}


class SettingField(StrEnum):
    """The parts of a set's settings a person fills in; errors are keyed by these."""

    NAME = "name"
    TIMEZONE = "timezone"
    CADENCE = "cadence"
    MEETING_DATE = "meeting_date"
    MEETING_TIME = "meeting_time"
    PROMPT_WEEKDAY = "prompt_weekday"
    PROMPT_TIME = "prompt_time"
    LEAD_DAYS = "lead_days"
    PAUSED_UNTIL = "paused_until"
    GROUND_RULES = "ground_rules"
    RETENTION = "retention"


@dataclass(frozen=True)
class SetSettings:
    name: str
    timezone: str
    cadence: Cadence
    meeting_date: date
    meeting_time: time
    prompt_weekday: int
    prompt_time: time
    reminder_lead_days: int = DEFAULT_REMINDER_LEAD_DAYS
    paused_until: date | None = None  # no prompts or digests before this date (the set's zone)
    ground_rules: str | None = None  # None: the default rules
    retention_months: int = 0  # 0: keep everything

    def is_paused(self, now: datetime) -> bool:
        return is_paused(self.paused_until, timezone=self.timezone, now=now)

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
    lead_days: str | None = None
    paused_until: str | None = None
    ground_rules: str | None = None
    retention: str | None = None


def is_paused(paused_until: date | None, *, timezone: str, now: datetime) -> bool:
    """A set is paused until the start of `paused_until` in its own time zone."""
    return paused_until is not None and local_today(now, timezone) < paused_until


def pause_error(until: date | None, *, today: date, meeting_day: date | None) -> str | None:
    """Why a set cannot be paused until `until`, in plain words; None when it can."""
    if until is None:
        return "Give the date the set starts again, as YYYY-MM-DD."
    if until <= today:
        return "That date is not in the future: give the first day the set starts again."
    if until > today + LONGEST_PAUSE:
        return "Pause for at most a year."
    if meeting_day is not None and meeting_day < until:
        return (
            f"The next meeting ({meeting_day:%A} {meeting_day.day} {meeting_day:%B}) falls in the pause: "
            "move the meeting, or end the pause before it."
        )
    return None


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
    reminder_lead_days: int = DEFAULT_REMINDER_LEAD_DAYS,
    paused_until: date | None = None,
    ground_rules: str | None = None,
    retention_months: int = 0,
) -> SetSettings:
    """A stored set's settings as the form shows them (meeting in the set's own wall-clock time)."""
    if next_meeting_at is not None:
        meeting = utc_to_local(next_meeting_at, timezone)
        meeting_date, meeting_time = meeting.date(), meeting.time().replace(second=0, microsecond=0)
    else:  # not yet set: the date and time a new set starts with
        fallback = default_settings(channel_name=name, timezone=timezone, now=now)
        meeting_date, meeting_time = fallback.meeting_date, fallback.meeting_time
    return SetSettings(
        name=name,
        timezone=timezone,
        cadence=Cadence(cadence) if cadence in Cadence.__members__.values() else DEFAULT_CADENCE,
        meeting_date=meeting_date,
        meeting_time=meeting_time,
        prompt_weekday=prompt_weekday,
        prompt_time=prompt_time,
        reminder_lead_days=reminder_lead_days,
        paused_until=paused_until if is_paused(paused_until, timezone=timezone, now=now) else None,
        ground_rules=ground_rules,
        retention_months=retention_months,
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
    meeting_date = picked_date(form.meeting_date)
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

    lead_text = str(DEFAULT_REMINDER_LEAD_DAYS) if form.lead_days is None else form.lead_days.strip()
    lead_days = int(lead_text) if lead_text.isdigit() and len(lead_text) <= 2 else None
    if lead_days is None or lead_days > MAX_REMINDER_LEAD_DAYS:
        errors[SettingField.LEAD_DAYS] = f"Pick how many days ahead to remind members (0 to {MAX_REMINDER_LEAD_DAYS})."
        lead_days = None
    elif cadence is not Cadence.MANUAL and lead_days >= CADENCE_DAYS.get(cadence, 28):
        errors[SettingField.LEAD_DAYS] = (
            f"With meetings {cadence.label.lower()}, remind members fewer than {CADENCE_DAYS[cadence]} days ahead."
        )

    paused_until: date | None = None
    if (form.paused_until or "").strip():
        paused_until = picked_date(form.paused_until)
        problem = pause_error(
            paused_until,
            today=local_today(now, tz),
            meeting_day=meeting_date if SettingField.MEETING_DATE not in errors else None,
        )
        if problem:
            errors[SettingField.PAUSED_UNTIL] = problem

    rules = (form.ground_rules or "").strip()
    rules_problem = ground_rules_error(rules)
    if rules_problem:
        errors[SettingField.GROUND_RULES] = rules_problem
    retention_text = (form.retention or "0").strip()
    retention = int(retention_text) if retention_text in {str(m) for m in RETENTION_CHOICES} else None
    if retention is None:
        errors[SettingField.RETENTION] = "Pick how long the set keeps what is said in it."

    if errors:
        return errors
    if (
        meeting_date is None
        or meeting_time is None
        or weekday is None
        or prompt_time is None
        or lead_days is None
        or retention is None
    ):
        raise AssertionError("every field was checked above")
    return SetSettings(
        name=name,
        timezone=tz,
        cadence=cadence,
        meeting_date=meeting_date,
        meeting_time=meeting_time,
        prompt_weekday=weekday,
        prompt_time=prompt_time,
        reminder_lead_days=lead_days,
        paused_until=paused_until,
        ground_rules=None if not rules or rules == DEFAULT_GROUND_RULES else rules,
        retention_months=retention or 0,
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
