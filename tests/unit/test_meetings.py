"""When a set meets next, when meeting reminders, weekly prompts and digests go out, and whose turn
it is to present. Expected instants are worked out by hand from the 2026 clock changes:
Europe/London is on BST from 29 March to 25 October, America/Los_Angeles on PDT from 8 March to
1 November."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from bot.domain.meetings import (
    bid_error,
    digest_moment_after,
    meeting_reminder_moments,
    months_before,
    next_meeting_after,
    not_yet_presented,
    prompt_moment_after,
    week_key,
)
from bot.domain.sets import Cadence

LONDON = "Europe/London"
LA = "America/Los_Angeles"
FRIDAY = 4


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


# --- next_meeting_after ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cadence", "meeting", "tz", "now", "expected"),
    [
        # The plain steps, each just after the meeting ended.
        (Cadence.WEEKLY, "2026-11-30T10:00", LONDON, "2026-11-30T11:00", "2026-12-07T10:00"),
        (Cadence.FORTNIGHTLY, "2026-12-21T10:00", LONDON, "2026-12-21T11:00", "2027-01-04T10:00"),
        (Cadence.FOUR_WEEKLY, "2026-11-12T10:00", LONDON, "2026-11-12T11:00", "2026-12-10T10:00"),
        # The meeting's own instant counts as passed; the next one must be strictly after now.
        (Cadence.WEEKLY, "2026-11-30T10:00", LONDON, "2026-11-30T10:00", "2026-12-07T10:00"),
        (Cadence.WEEKLY, "2026-11-23T10:00", LONDON, "2026-11-30T10:00", "2026-12-07T10:00"),
        # Weekly across the clock changes: 10:00 local holds, so the UTC hour moves.
        (Cadence.WEEKLY, "2026-03-23T10:00", LONDON, "2026-03-23T11:00", "2026-03-30T09:00"),  # GMT → BST
        (Cadence.WEEKLY, "2026-10-19T09:00", LONDON, "2026-10-19T10:00", "2026-10-26T10:00"),  # BST → GMT
        (Cadence.WEEKLY, "2026-03-05T18:00", LA, "2026-03-05T19:00", "2026-03-12T17:00"),  # PST → PDT
        (Cadence.WEEKLY, "2026-10-29T17:00", LA, "2026-10-29T18:00", "2026-11-05T18:00"),  # PDT → PST
        (Cadence.FORTNIGHTLY, "2026-03-16T10:00", LONDON, "2026-03-16T11:00", "2026-03-30T09:00"),
        # Four-weekly across a month end, a month end into BST, and a year end.
        (Cadence.FOUR_WEEKLY, "2026-01-29T10:00", LONDON, "2026-01-29T11:00", "2026-02-26T10:00"),
        (Cadence.FOUR_WEEKLY, "2026-03-12T10:00", LONDON, "2026-03-12T11:00", "2026-04-09T09:00"),
        (Cadence.FOUR_WEEKLY, "2026-12-17T10:00", LONDON, "2026-12-17T11:00", "2027-01-14T10:00"),
        # Monthly on the same ordinal weekday.
        (Cadence.MONTHLY_WEEKDAY, "2026-01-13T10:00", LONDON, "2026-01-13T11:00", "2026-02-10T10:00"),  # 2nd Tue
        (Cadence.MONTHLY_WEEKDAY, "2026-03-10T10:00", LONDON, "2026-03-10T11:00", "2026-04-14T09:00"),  # into BST
        (Cadence.MONTHLY_WEEKDAY, "2026-12-07T10:00", LONDON, "2026-12-07T11:00", "2027-01-04T10:00"),  # 1st Mon
        (Cadence.MONTHLY_WEEKDAY, "2026-12-16T10:00", LONDON, "2026-12-16T11:00", "2027-01-20T10:00"),  # 3rd Wed
        (Cadence.MONTHLY_WEEKDAY, "2026-01-22T10:00", LONDON, "2026-01-22T11:00", "2026-02-26T10:00"),  # 4th Thu
        # A fifth occurrence becomes the last such weekday of the next month.
        (Cadence.MONTHLY_WEEKDAY, "2026-01-30T10:00", LONDON, "2026-01-30T11:00", "2026-02-27T10:00"),  # 5th Fri
        (Cadence.MONTHLY_WEEKDAY, "2026-01-31T10:00", LONDON, "2026-01-31T11:00", "2026-02-28T10:00"),  # 31 Jan
        (Cadence.MONTHLY_WEEKDAY, "2026-03-31T09:00", LONDON, "2026-03-31T10:00", "2026-04-28T09:00"),  # 5th Tue
        (Cadence.MONTHLY_WEEKDAY, "2026-12-31T10:00", LONDON, "2026-12-31T11:00", "2027-01-28T10:00"),  # year end
        # The ordinal comes from the local date: Tuesday 18:00 in LA is already Wednesday in UTC.
        (Cadence.MONTHLY_WEEKDAY, "2026-01-14T02:00", LA, "2026-01-14T03:00", "2026-02-11T02:00"),
    ],
)
def test_the_next_meeting_follows_the_cadence_at_the_same_local_time(
    cadence: Cadence, meeting: str, tz: str, now: str, expected: str
) -> None:
    assert next_meeting_after(cadence=cadence, meeting_at=utc(meeting), tz=tz, now=utc(now)) == utc(expected)


@pytest.mark.parametrize(
    ("cadence", "meeting", "now", "expected"),
    [
        # Down from 2 November to 25 November: the 9th, 16th and 23rd are skipped.
        (Cadence.WEEKLY, "2026-11-02T10:00", "2026-11-25T08:00", "2026-11-30T10:00"),
        (Cadence.FORTNIGHTLY, "2026-11-02T10:00", "2026-11-25T08:00", "2026-11-30T10:00"),
        # 8 January, then 5 February and 5 March pass unseen; 2 April is in BST.
        (Cadence.FOUR_WEEKLY, "2026-01-08T10:00", "2026-03-20T00:00", "2026-04-02T09:00"),
        # 2nd Tuesday: 10 February, 10 March and 14 April pass unseen; 12 May is in BST.
        (Cadence.MONTHLY_WEEKDAY, "2026-01-13T10:00", "2026-04-20T00:00", "2026-05-12T09:00"),
        # A fifth Friday moves to the last Friday (27 February, the 4th) and then keeps that ordinal:
        # 27 March, 24 April, then 22 May (the 4th Friday, though May has a fifth on the 29th).
        (Cadence.MONTHLY_WEEKDAY, "2026-01-30T10:00", "2026-05-01T00:00", "2026-05-22T09:00"),
    ],
)
def test_meetings_that_passed_while_the_app_was_down_are_skipped(
    cadence: Cadence, meeting: str, now: str, expected: str
) -> None:
    assert next_meeting_after(cadence=cadence, meeting_at=utc(meeting), tz=LONDON, now=utc(now)) == utc(expected)


@pytest.mark.parametrize("cadence", [Cadence.WEEKLY, Cadence.FOUR_WEEKLY, Cadence.MONTHLY_WEEKDAY])
def test_catching_up_lands_where_the_app_would_have_been_meeting_by_meeting(cadence: Cadence) -> None:
    first, now = utc("2026-01-30T10:00"), utc("2026-12-01T00:00")
    step = first
    while step <= now:
        following = next_meeting_after(cadence=cadence, meeting_at=step, tz=LONDON, now=step)
        assert following is not None
        step = following
    assert next_meeting_after(cadence=cadence, meeting_at=first, tz=LONDON, now=now) == step


@pytest.mark.parametrize("now", ["2026-12-07T10:00", "2027-06-01T00:00"])
def test_a_manual_cadence_has_no_next_meeting(now: str) -> None:
    meeting = utc("2026-12-07T10:00")
    assert next_meeting_after(cadence=Cadence.MANUAL, meeting_at=meeting, tz=LONDON, now=utc(now)) is None


# --- meeting_reminder_moments ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("meeting", "tz", "day_before", "hour_before"),
    [
        # Monday 30 March 10:00 BST: the day before is Sunday the 29th, already in BST.
        ("2026-03-30T09:00", LONDON, "2026-03-29T08:00", "2026-03-30T08:00"),
        # Sunday 29 March 10:00 BST: the day before is Saturday the 28th, still in GMT.
        ("2026-03-29T09:00", LONDON, "2026-03-28T09:00", "2026-03-29T08:00"),
        # Monday 26 October 10:00 GMT: the day before is Sunday the 25th, already back in GMT.
        ("2026-10-26T10:00", LONDON, "2026-10-25T09:00", "2026-10-26T09:00"),
        # Monday 9 March 10:00 PDT: 09:00 on Sunday the 8th is after the 02:00 change, so PDT.
        ("2026-03-09T17:00", LA, "2026-03-08T16:00", "2026-03-09T16:00"),
        # Tuesday 13 January 18:00 PST is Wednesday in UTC: the day before is the local Monday.
        ("2026-01-14T02:00", LA, "2026-01-12T17:00", "2026-01-14T01:00"),
    ],
)
def test_meeting_reminders_are_nine_the_day_before_and_an_hour_before(
    meeting: str, tz: str, day_before: str, hour_before: str
) -> None:
    assert meeting_reminder_moments(meeting_at=utc(meeting), tz=tz) == (utc(day_before), utc(hour_before))


# --- prompt_moment_after ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tz", "after", "expected"),
    [
        # London, spring: Friday 27 March is still GMT, Friday 3 April is BST.
        (LONDON, "2026-03-23T00:00", "2026-03-27T15:00"),
        (LONDON, "2026-03-27T14:59", "2026-03-27T15:00"),
        (LONDON, "2026-03-27T15:00", "2026-04-03T14:00"),  # exactly at the moment: next week
        (LONDON, "2026-03-28T00:00", "2026-04-03T14:00"),
        # London, autumn: Friday 23 October is BST, Friday 30 October is GMT.
        (LONDON, "2026-10-23T13:59", "2026-10-23T14:00"),
        (LONDON, "2026-10-23T14:00", "2026-10-30T15:00"),
        # Los Angeles, spring: Friday 6 March is PST (23:00Z), Friday 13 March is PDT (22:00Z).
        (LA, "2026-03-06T22:59", "2026-03-06T23:00"),
        (LA, "2026-03-06T23:00", "2026-03-13T22:00"),
        (LA, "2026-03-06T05:00", "2026-03-06T23:00"),  # Thursday evening locally
        (LA, "2026-03-07T02:00", "2026-03-13T22:00"),  # Saturday in UTC, Friday 18:00 locally
        # Los Angeles, autumn: Friday 30 October is PDT (22:00Z), Friday 6 November is PST (23:00Z).
        (LA, "2026-10-30T21:59", "2026-10-30T22:00"),
        (LA, "2026-10-30T22:00", "2026-11-06T23:00"),
    ],
)
def test_the_weekly_prompt_is_friday_at_three_local(tz: str, after: str, expected: str) -> None:
    assert prompt_moment_after(weekday=FRIDAY, at=time(15, 0), tz=tz, after=utc(after)) == utc(expected)


@pytest.mark.parametrize(
    ("weekday", "at", "after", "expected"),
    [
        (0, time(9, 0), "2026-11-29T12:00", "2026-11-30T09:00"),  # Sunday → the next day
        (6, time(18, 30), "2026-11-30T12:00", "2026-12-06T18:30"),  # Monday → six days on
        (2, time(8, 0), "2026-12-02T07:59", "2026-12-02T08:00"),  # the same day, still to come
    ],
)
def test_the_prompt_falls_on_the_chosen_weekday_and_time(weekday: int, at: time, after: str, expected: str) -> None:
    assert prompt_moment_after(weekday=weekday, at=at, tz=LONDON, after=utc(after)) == utc(expected)


# --- week_key --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "key"),
    [
        (date(2026, 11, 27), "2026-W48"),
        (date(2026, 1, 5), "2026-W02"),  # two digits
        (date(2025, 12, 29), "2026-W01"),  # a December Monday in next year's first week
        (date(2026, 12, 31), "2026-W53"),
        (date(2027, 1, 3), "2026-W53"),  # a January Sunday still in last year's week
        (date(2027, 1, 4), "2027-W01"),
    ],
)
def test_weeks_are_iso_weeks(day: date, key: str) -> None:
    assert week_key(day) == key


def test_one_week_key_covers_monday_to_sunday() -> None:
    monday = date(2026, 11, 23)
    assert {week_key(monday + timedelta(days=n)) for n in range(7)} == {"2026-W48"}
    assert week_key(monday + timedelta(days=7)) == "2026-W49"


# --- digest_moment_after ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tz", "after", "expected"),
    [
        (LONDON, "2026-11-23T08:59", "2026-11-23T09:00"),
        (LONDON, "2026-11-23T09:00", "2026-11-30T09:00"),  # strictly after
        (LONDON, "2026-03-29T12:00", "2026-03-30T08:00"),  # the first Monday in BST
        (LONDON, "2026-10-21T12:00", "2026-10-26T09:00"),  # the first Monday back in GMT
        (LA, "2026-11-23T09:00", "2026-11-23T17:00"),
        ("Pacific/Auckland", "2026-11-22T19:00", "2026-11-22T20:00"),  # Monday 09:00 NZDT is Sunday in UTC
    ],
)
def test_the_digest_is_monday_at_nine_local(tz: str, after: str, expected: str) -> None:
    assert digest_moment_after(tz=tz, after=utc(after)) == utc(expected)


# --- not_yet_presented -----------------------------------------------------------------------------

T0 = utc("2026-11-01T10:00")


def day(n: int) -> datetime:
    return T0 + timedelta(days=n)


@pytest.mark.parametrize(
    ("members", "rounds", "waiting"),
    [
        (["a", "b", "c"], [], ["a", "b", "c"]),
        (["a", "b", "c"], [("b", day(1))], ["a", "c"]),
        (["a", "b", "c"], [("b", day(1)), ("b", day(2))], ["a", "c"]),  # presenting twice is one turn
        (["a", "b", "c"], [("a", day(1)), ("b", day(2)), ("c", day(3))], ["a", "b", "c"]),  # cycle done
        (["a", "b", "c"], [("a", day(1)), ("b", day(2)), ("c", day(3)), ("b", day(4))], ["a", "c"]),
        # Time order, not list order: c on day 4 completes the cycle, so everyone is waiting again.
        (["a", "b", "c"], [("c", day(4)), ("a", day(1)), ("b", day(2)), ("a", day(3))], ["a", "b", "c"]),
        # Former members neither count towards the cycle nor block it from completing.
        (["a", "b", "c"], [("gone", day(1)), ("a", day(2))], ["b", "c"]),
        (["a", "b"], [("a", day(1)), ("gone", day(2)), ("b", day(3))], ["a", "b"]),
        # Someone who joined mid-cycle is still owed a turn before it completes.
        (["a", "b", "c", "d"], [("a", day(1)), ("b", day(2)), ("c", day(3))], ["d"]),
        # The members' order is kept.
        (["c", "a", "b"], [("a", day(1))], ["c", "b"]),
        ([], [("a", day(1))], []),
    ],
)
def test_the_presenter_rotation(members: list[str], rounds: list[tuple[str, datetime]], waiting: list[str]) -> None:
    assert not_yet_presented(members, rounds) == waiting


def test_bids_need_words_and_a_limit() -> None:
    assert bid_error("") is not None
    assert bid_error("x" * 301) == "Keep the bid to 300 characters or fewer (this one has 301)."
    assert bid_error("x" * 300) is None


def test_months_before_keeps_the_day_or_the_months_end() -> None:
    assert months_before(date(2027, 3, 30), 3) == date(2026, 12, 30)
    assert months_before(date(2027, 5, 31), 3) == date(2027, 2, 28)
    assert months_before(date(2027, 1, 15), 12) == date(2026, 1, 15)
