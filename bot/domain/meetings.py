"""When a set's meetings, meeting reminders, weekly prompts and digests happen, and whose turn it is
to present. Wall-clock times in a zone, computed with zoneinfo; nothing here knows Slack or storage."""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta

from bot.domain.sets import Cadence
from bot.domain.timezones import local_to_utc, utc_to_local

REMINDER_TIME = time(9, 0)
BID_MAX = 300
RETENTION_TIME = time(3, 0)
DIGEST_WEEKDAY = 0  # Monday
CADENCE_STEP = {Cadence.WEEKLY: 7, Cadence.FORTNIGHTLY: 14, Cadence.FOUR_WEEKLY: 28}


def _same_weekday_next_month(day: date) -> date:
    """The same ordinal weekday of the next month (the 2nd Tuesday → the 2nd Tuesday); a fifth
    occurrence becomes the month's last such weekday."""
    ordinal = (day.day - 1) // 7 + 1
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    first = date(year, month, 1)
    first_match = first + timedelta(days=(day.weekday() - first.weekday()) % 7)
    last_day = calendar.monthrange(year, month)[1]
    if ordinal >= 5:
        candidate = first_match
        while candidate + timedelta(days=7) <= date(year, month, last_day):
            candidate += timedelta(days=7)
        return candidate
    return first_match + timedelta(days=7 * (ordinal - 1))


def next_meeting_after(*, cadence: Cadence, meeting_at: datetime, tz: str, now: datetime) -> datetime | None:
    """The first meeting after `now` that follows `meeting_at` by the cadence, at the same local
    time (so across a DST change 10:00 stays 10:00). Meetings that passed while nobody looked are
    skipped. A manual cadence has no next meeting until the facilitator sets one."""
    if cadence is Cadence.MANUAL:
        return None
    local = utc_to_local(meeting_at, tz)
    day, at = local.date(), local.time().replace(tzinfo=None)
    while True:
        if cadence is Cadence.MONTHLY_WEEKDAY:
            day = _same_weekday_next_month(day)
        else:
            day += timedelta(days=CADENCE_STEP[cadence])
        following = local_to_utc(day, at, tz)
        if following > now:
            return following


def meeting_reminder_moments(*, meeting_at: datetime, tz: str) -> tuple[datetime, datetime]:
    """(09:00 local the day before the meeting, one hour before it), both UTC."""
    meeting_day = utc_to_local(meeting_at, tz).date()
    return local_to_utc(meeting_day - timedelta(days=1), REMINDER_TIME, tz), meeting_at - timedelta(hours=1)


def prompt_moment_after(*, weekday: int, at: time, tz: str, after: datetime) -> datetime:
    """The first `weekday` (0 = Monday) at local time `at` in `tz` strictly after `after`."""
    day = utc_to_local(after, tz).date()
    day += timedelta(days=(weekday - day.weekday()) % 7)
    while True:
        moment = local_to_utc(day, at, tz)
        if moment > after:
            return moment
        day += timedelta(days=7)


def week_key(local_day: date) -> str:
    """The ISO week a day falls in, e.g. '2026-W48': a set gets one prompt per such week."""
    year, week, _ = local_day.isocalendar()
    return f"{year}-W{week:02d}"


def digest_moment_after(*, tz: str, after: datetime) -> datetime:
    """The next Monday 09:00 in `tz` strictly after `after`."""
    return prompt_moment_after(weekday=DIGEST_WEEKDAY, at=REMINDER_TIME, tz=tz, after=after)


def not_yet_presented(members: Sequence[str], rounds: Sequence[tuple[str, datetime]]) -> list[str]:
    """Presenter rotation: the members (in the given order) who have not presented in the current
    cycle. A cycle ends with the round that gives the last current member their turn; the next
    round starts a new one. Presenters who have left the set do not count."""
    current = set(members)
    if not current:
        return []
    presented: set[str] = set()
    for presenter, _ in sorted(rounds, key=lambda r: r[1]):
        if presenter not in current:
            continue
        presented.add(presenter)
        if presented >= current:
            presented = set()
    return [m for m in members if m not in presented]


def months_before(day: date, months: int) -> date:
    """The same day `months` calendar months earlier (the month's last day when it is shorter)."""
    total = day.year * 12 + (day.month - 1) - months
    year, month = divmod(total, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def retention_moment_after(*, tz: str, after: datetime) -> datetime:
    """The daily clean-up: 03:00 in the set's zone, strictly after `after`."""
    day = utc_to_local(after, tz).date()
    while True:
        moment = local_to_utc(day, RETENTION_TIME, tz)
        if moment > after:
            return moment
        day += timedelta(days=1)


def bid_error(topic: str) -> str | None:
    """What is wrong with a bid for meeting time, in plain words; None when it can be saved."""
    if not topic:
        return "Say in a few words what you want time for."
    if len(topic) > BID_MAX:
        return f"Keep the bid to {BID_MAX} characters or fewer (this one has {len(topic)})."
    return None
