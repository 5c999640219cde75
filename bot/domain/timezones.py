"""Wall-clock times in a set's or a member's time zone, converted with zoneinfo."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

DEFAULT_TIMEZONE = "UTC"
PICKED_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")  # how a datepicker's selected_date comes


@cache
def all_timezones() -> tuple[str, ...]:
    """IANA names people pick from (no legacy aliases such as 'US/Eastern' or 'posixrules')."""
    names = {n for n in available_timezones() if "/" in n and not n.startswith(("Etc/", "SystemV/", "US/"))}
    return tuple(sorted(names | {"UTC"}))


def is_valid_timezone(name: str) -> bool:
    if not name or name != name.strip() or name.startswith("/") or ".." in name:
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def zone(name: str) -> ZoneInfo:
    return ZoneInfo(name) if is_valid_timezone(name) else ZoneInfo(DEFAULT_TIMEZONE)


def local_to_utc(day: date, at: time, tz: str) -> datetime:
    """The instant a wall-clock time happens in `tz`.

    A time skipped by a DST change (02:30 on a spring-forward night) happens at the same distance
    after the gap; a repeated time (autumn) is taken at its first occurrence.
    """
    # zoneinfo reads a skipped time with the offset from before the change (fold=0), which lands
    # it after the gap, and a repeated time at its first occurrence.
    return datetime.combine(day, at, tzinfo=zone(tz)).astimezone(UTC)


def utc_to_local(at: datetime, tz: str) -> datetime:
    return at.astimezone(zone(tz))


def local_today(now: datetime, tz: str) -> date:
    return utc_to_local(now, tz).date()


def utc_offset_label(tz: str, now: datetime) -> str:
    offset = utc_to_local(now, tz).utcoffset() or timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}:{rest:02d}"


def search_timezones(query: str, now: datetime, limit: int = 100) -> list[tuple[str, str]]:
    """(value, label) pairs for a type-ahead: names containing the query, best matches first."""
    needle = query.strip().lower().replace(" ", "_")
    names = all_timezones()
    if needle:
        matches = [n for n in names if needle in n.lower()]
        matches.sort(key=lambda n: (not n.lower().split("/")[-1].startswith(needle), n))
    else:
        matches = list(names)
    return [(n, f"{n.replace('_', ' ')} ({utc_offset_label(n, now)})") for n in matches[:limit]]


def picked_date(value: str | None) -> date | None:
    """The day a datepicker sent (YYYY-MM-DD), or None for anything else: no day picked, or a
    payload Slack did not make (with more after the date, or another of the forms ISO allows)."""
    if value is None or not PICKED_DATE.fullmatch(value):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:  # 2026-02-30
        return None
