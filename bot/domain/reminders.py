"""When reminders about a commitment go out: at 09:00 in the member's own time zone, a few days
before it is due, on the day, once the morning after if it is still open, and the day after a
snooze. All times are computed with zoneinfo from the member's IANA zone, never a stored offset."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum

from bot.domain.timezones import local_to_utc, local_today

REMINDER_TIME = time(9, 0)
LONGEST_COMMITMENT = timedelta(days=366)
ACTION_MAX = 500
DONE_LOOKS_LIKE_MAX = 1000
NOTE_MAX = 2000


class ReminderKind(StrEnum):
    LEAD = "lead"  # a few days before the due date
    DUE = "due"  # on the due date
    OVERDUE = "overdue"  # the morning after, once
    SNOOZE = "snooze"  # the day after the member pressed "Snooze 1 day"


@dataclass(frozen=True)
class Moment:
    kind: ReminderKind
    local_date: date
    at: datetime  # UTC


def reminder_moments(*, due_date: date, lead_days: int, snoozed_to: date | None, tz: str) -> list[Moment]:
    """Every reminder a commitment has, in time order; two on one day collapse into the first kind."""
    days: dict[date, ReminderKind] = {}
    if lead_days > 0:
        days[due_date - timedelta(days=lead_days)] = ReminderKind.LEAD
    days[due_date] = ReminderKind.DUE
    days[due_date + timedelta(days=1)] = ReminderKind.OVERDUE
    if snoozed_to is not None:
        days.setdefault(snoozed_to, ReminderKind.SNOOZE)
    return [Moment(kind, day, local_to_utc(day, REMINDER_TIME, tz)) for day, kind in sorted(days.items())]


def next_moment(moments: list[Moment], *, after: datetime) -> Moment | None:
    """The first reminder strictly after `after`: one whose time had passed is never sent late."""
    return next((m for m in moments if m.at > after), None)


def due_moments(moments: list[Moment], *, cursor: datetime, now: datetime) -> list[Moment]:
    """Reminders from the cursor (the next one not yet planned) up to now."""
    return [m for m in moments if cursor <= m.at <= now]


def still_same_day(moment: Moment, *, now: datetime, tz: str) -> bool:
    """A reminder that could not go out on time still goes the same day (in the member's zone);
    after that it is recorded as missed instead of arriving late."""
    return local_today(now, tz) == moment.local_date


def due_date_error(value: date | None, *, today: date) -> str | None:
    if value is None:
        return "Pick the date you will have done it by."
    if value < today:
        return "That date has passed: pick today or a later date."
    if value > today + LONGEST_COMMITMENT - timedelta(days=1):
        return "Pick a date within the next year."
    return None


def due_phrase(due_date: date, *, today: date) -> str:
    days = (due_date - today).days
    if days == 0:
        return "today"
    if days == 1:
        return "tomorrow"
    if days == -1:
        return "yesterday"
    if days > 1:
        return f"in {days} days, {due_date:%a %-d %b}"
    return f"{-days} days ago, {due_date:%a %-d %b}"


def review_moment(*, next_meeting_at: datetime | None, tz: str, now: datetime) -> datetime | None:
    """09:00 (the set's zone) the day before the next meeting, if that is still to come."""
    if next_meeting_at is None:
        return None
    meeting_day = local_today(next_meeting_at, tz)
    at = local_to_utc(meeting_day - timedelta(days=1), REMINDER_TIME, tz)
    return at if at > now else None
