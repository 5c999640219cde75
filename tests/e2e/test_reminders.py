"""Reminder DMs at 09:00 in each member's own zone, across DST changes, never late, never twice;
time away; and the review before each meeting. The sweep runs as its tick would, at set times."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import update

from scheduler.sweep import plan
from storage.models import Commitment, CommitmentNote
from tests.e2e.commit_helpers import commit, dms, outbox_rows
from tests.e2e.harness import Harness
from tests.e2e.setup_helpers import make_set


def local(zone: str, y: int, m: int, d: int, hh: int = 9, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=ZoneInfo(zone)).astimezone(UTC)


async def test_reminders_come_at_nine_in_each_members_own_zone(harness: Harness) -> None:
    h = harness
    people, _ = await make_set(h)
    ada, grace, ravi = people.members[:3]  # London, New York, Kolkata
    for member in (ada, grace, ravi):
        await commit(h, member.id, people.channel.id, f"Commitment of {member.name}", date(2026, 11, 27))
    expected = [
        (ravi, local("Asia/Kolkata", 2026, 11, 25), "Coming up"),  # 03:30Z
        (ada, local("Europe/London", 2026, 11, 25), "Coming up"),  # 09:00Z
        (grace, local("America/New_York", 2026, 11, 25), "Coming up"),  # 14:00Z
        (ravi, local("Asia/Kolkata", 2026, 11, 27), "Today is the day"),
        (ada, local("Europe/London", 2026, 11, 27), "Today is the day"),
        (grace, local("America/New_York", 2026, 11, 27), "Today is the day"),
        (ravi, local("Asia/Kolkata", 2026, 11, 28), "was due yesterday"),
        (ada, local("Europe/London", 2026, 11, 28), "was due yesterday"),
        (grace, local("America/New_York", 2026, 11, 28), "was due yesterday"),
    ]
    for sent_so_far, (member, at, words) in enumerate(expected):
        await h.sweep(at - timedelta(minutes=1))
        assert sum(len(dms(h, m.id)) for m in (ada, grace, ravi)) == sent_so_far, f"early for {member.name} {at}"
        await h.sweep(at)
        assert sum(len(dms(h, m.id)) for m in (ada, grace, ravi)) == sent_so_far + 1
        assert words in dms(h, member.id)[-1].text
    assert local("Asia/Kolkata", 2026, 11, 25) == datetime(2026, 11, 25, 3, 30, tzinfo=UTC)
    assert local("America/New_York", 2026, 11, 25) == datetime(2026, 11, 25, 14, 0, tzinfo=UTC)
    # The overdue note comes once: nothing more in the days after.
    for day in range(29, 31):
        await h.sweep(datetime(2026, 11, day, 15, 0, tzinfo=UTC))
    assert sum(len(dms(h, m.id)) for m in (ada, grace, ravi)) == 9


@pytest.mark.parametrize(
    ("zone", "today", "due", "moments"),
    [
        # Autumn: Europe leaves summer time on 25 October 2026, New York on 1 November.
        (
            "Europe/London",
            datetime(2026, 10, 20, 12, tzinfo=UTC),
            date(2026, 10, 26),
            [
                datetime(2026, 10, 24, 8, 0, tzinfo=UTC),
                datetime(2026, 10, 26, 9, 0, tzinfo=UTC),
                datetime(2026, 10, 27, 9, 0, tzinfo=UTC),
            ],
        ),
        (
            "America/New_York",
            datetime(2026, 10, 20, 12, tzinfo=UTC),
            date(2026, 11, 2),
            [
                datetime(2026, 10, 31, 13, 0, tzinfo=UTC),
                datetime(2026, 11, 2, 14, 0, tzinfo=UTC),
                datetime(2026, 11, 3, 14, 0, tzinfo=UTC),
            ],
        ),
        # Spring: New York moves on 14 March 2027, Europe on 28 March.
        (
            "America/New_York",
            datetime(2027, 3, 1, 12, tzinfo=UTC),
            date(2027, 3, 15),
            [
                datetime(2027, 3, 13, 14, 0, tzinfo=UTC),
                datetime(2027, 3, 15, 13, 0, tzinfo=UTC),
                datetime(2027, 3, 16, 13, 0, tzinfo=UTC),
            ],
        ),
        (
            "Europe/London",
            datetime(2027, 3, 1, 12, tzinfo=UTC),
            date(2027, 3, 29),
            [
                datetime(2027, 3, 27, 9, 0, tzinfo=UTC),
                datetime(2027, 3, 29, 8, 0, tzinfo=UTC),
                datetime(2027, 3, 30, 8, 0, tzinfo=UTC),
            ],
        ),
    ],
    ids=["london-october", "new-york-november", "new-york-march", "london-march"],
)
async def test_nine_oclock_follows_the_clocks_across_dst_changes(
    database_url: str, zone: str, today: datetime, due: date, moments: list[datetime]
) -> None:
    from tests.e2e.harness import running_app

    async with running_app(database_url, now=today) as h:
        people, _ = await make_set(h, values={"sets.meeting_date": (today + timedelta(days=40)).date().isoformat()})
        member = people.members[0]
        h.ws.users[member.id].tz = zone
        async with h.db.write() as uow:  # forget the cached profile so the new zone is read from Slack
            cached = await uow.users.get(h.ws.team_id, member.id)
            assert cached is not None
            cached.tz = zone
        await commit(h, member.id, people.channel.id, "Across the change", due)
        for count, at in enumerate(moments, start=1):
            await h.sweep(at - timedelta(minutes=1))
            assert len(dms(h, member.id)) == count - 1
            await h.sweep(at)
            assert len(dms(h, member.id)) == count
            assert local(zone, at.year, at.month, at.day) == at  # 09:00 on the wall clock there


async def test_a_reminder_whose_moment_had_passed_is_not_sent_late(harness: Harness) -> None:
    h = harness
    people, _ = await make_set(h)
    ada = people.members[0]  # London; the clock says Monday 23 November, 10:00
    await commit(h, ada.id, people.channel.id, "Due tomorrow", date(2026, 11, 24))  # "two days before" was Sunday
    await commit(h, ada.id, people.channel.id, "Due Wednesday", date(2026, 11, 25))  # 09:00 today has passed
    await h.sweep(datetime(2026, 11, 23, 10, 1, tzinfo=UTC))
    assert dms(h, ada.id) == []
    assert await outbox_rows(h) == []  # nothing planned at all, not even as missed
    await h.sweep(datetime(2026, 11, 24, 9, 0, tzinfo=UTC))
    assert [m.text.split(":")[0] for m in dms(h, ada.id)] == ["Today is the day"]


async def test_while_the_app_was_down_same_day_goes_out_and_older_is_recorded_missed(harness: Harness) -> None:
    h = harness
    people, _ = await make_set(h)
    ada, grace = people.members[:2]
    await commit(h, ada.id, people.channel.id, "Ada's", date(2026, 11, 27))
    await commit(h, grace.id, people.channel.id, "Grace's", date(2026, 11, 27))
    # Down from Tuesday until Friday 16:00 UTC: Wednesday's lead reminders are a day old, Friday's
    # due reminders are still today (in London and in New York).
    await h.sweep(datetime(2026, 11, 27, 16, 0, tzinfo=UTC))
    assert [m.text.split(":")[0] for m in dms(h, ada.id)] == ["Today is the day"]
    assert [m.text.split(":")[0] for m in dms(h, grace.id)] == ["Today is the day"]
    rows = {r.key.split(":", 2)[2]: r.status for r in await outbox_rows(h) if r.kind.startswith("reminder")}
    assert rows == {"lead:2026-11-25": "missed", "due:2026-11-27": "sent"}


async def test_away_holds_reminders_and_sends_one_summary_on_return(harness: Harness) -> None:
    h = harness
    people, _ = await make_set(h)
    ada, grace = people.members[:2]
    await commit(h, ada.id, people.channel.id, "First thing", date(2026, 11, 27))
    await commit(h, ada.id, people.channel.id, "Second thing", date(2026, 11, 26))
    await commit(h, grace.id, people.channel.id, "Grace's thing", date(2026, 11, 27))
    reply = await h.driver.command(ada.id, people.channel.id, "away 2026-11-30")
    assert "away until Monday 30 November" in reply.json["text"]
    reply = await h.driver.command(ada.id, people.channel.id, "away 2026-11-01")
    assert "not in the future" in reply.json["text"]
    for day in range(24, 30):
        await h.sweep(datetime(2026, 11, day, 15, 0, tzinfo=UTC))
    assert dms(h, ada.id) == []
    assert len(dms(h, grace.id)) == 3  # others carry on as usual
    held = [r for r in await outbox_rows(h) if r.user_id == ada.id]
    assert {r.status for r in held} == {"held"} and len(held) == 6  # lead, due and overdue of each
    await h.sweep(datetime(2026, 11, 30, 0, 1, tzinfo=UTC))  # Monday, 00:01 in London: back
    [summary] = dms(h, ada.id)
    assert "While you were away" in str(summary.blocks)
    assert "First thing" in summary.text and "Second thing" in summary.text
    assert {r.status for r in await outbox_rows(h) if r.user_id == ada.id and r.kind != "away_summary"} == {"folded"}
    await h.sweep(datetime(2026, 11, 30, 9, 0, tzinfo=UTC))
    assert len(dms(h, ada.id)) == 1
    # A button in the summary works, and redraws the summary.
    await h.driver.click(ada.id, "commitments.done", message=summary)
    await h.idle()
    assert "done :white_check_mark:" in str(dms(h, ada.id)[0].blocks)


async def test_back_ends_time_away_early(harness: Harness) -> None:
    h = harness
    people, _ = await make_set(h)
    ada = people.members[0]
    await commit(h, ada.id, people.channel.id, "Something", date(2026, 11, 27))
    await h.driver.command(ada.id, people.channel.id, "away 2026-12-15")
    await h.sweep(datetime(2026, 11, 25, 9, 0, tzinfo=UTC))
    assert dms(h, ada.id) == []
    reply = await h.driver.command(ada.id, people.channel.id, "back")
    assert "Welcome back" in reply.json["text"]
    await h.sweep(datetime(2026, 11, 25, 9, 30, tzinfo=UTC))
    assert ["While you were away" in str(m.blocks) for m in dms(h, ada.id)] == [True]
    await h.sweep(datetime(2026, 11, 27, 9, 0, tzinfo=UTC))
    assert "Today is the day" in dms(h, ada.id)[-1].text
    reply = await h.driver.command(ada.id, people.channel.id, "back")
    assert "weren't away" in reply.json["text"]


async def test_the_review_comes_the_morning_before_the_meeting(harness: Harness) -> None:
    h = harness
    people, _ = await make_set(h)  # next meeting: Monday 7 December, 10:00 London
    ada, grace = people.members[:2]
    done = await commit(h, ada.id, people.channel.id, "Done already", date(2026, 11, 30))
    await commit(h, ada.id, people.channel.id, "Still open", date(2026, 12, 10))
    await commit(h, grace.id, people.channel.id, "Slipped", date(2026, 12, 1))
    async with h.db.write() as uow:
        found = await uow.commitments.get(h.ws.team_id, done.id)
        assert found is not None
        found[0].status, found[0].closed_at = "done", datetime(2026, 11, 29, tzinfo=UTC)
    channel_messages = len(h.ws.messages_in(people.channel.id, top_level=True))
    await h.sweep(datetime(2026, 12, 6, 8, 59, tzinfo=UTC))
    assert len(h.ws.messages_in(people.channel.id, top_level=True)) == channel_messages
    await h.sweep(datetime(2026, 12, 6, 9, 0, tzinfo=UTC))
    review = h.ws.messages_in(people.channel.id, top_level=True)[-1]
    text = str(review.blocks)
    assert "Meeting tomorrow" in text and "Where our commitments stand" in text
    assert f"*<@{ada.id}>*: 1 done, 1 open, 0 overdue" in text
    assert f"*<@{grace.id}>*: 0 done, 0 open, 1 overdue" in text
    assert "members have no commitments recorded yet" in text  # counted, nobody named
    await h.sweep(datetime(2026, 12, 6, 9, 5, tzinfo=UTC))
    await h.sweep(datetime(2026, 12, 6, 15, 0, tzinfo=UTC))
    assert len([m for m in h.ws.messages_in(people.channel.id) if "The meeting is tomorrow" in m.text]) == 1
    assert [(r.kind, r.status) for r in await outbox_rows(h) if r.kind == "review"] == [("review", "sent")]


async def test_reminders_composed_together_each_say_what_their_own_commitment_is_now(harness: Harness) -> None:
    """A sweep composes its reminders together (one read per table): each still carries its own
    commitment's latest note, and one closed between planning and sending is cancelled alone."""
    h = harness
    people, _ = await make_set(h)
    ada, grace, ravi = people.members[:3]
    due = date(2026, 11, 27)
    noted = await commit(h, ada.id, people.channel.id, "Ada's proposal", due)
    closed = await commit(h, grace.id, people.channel.id, "Grace's review", due)
    quiet = await commit(h, ravi.id, people.channel.id, "Ravi's plan", due)
    other = await commit(h, ravi.id, people.channel.id, "Ravi's later plan", date(2026, 12, 18))
    start = datetime(2026, 11, 20, 12, tzinfo=UTC)
    async with h.db.write() as uow:
        for commitment_id, text, minutes in [
            (noted.id, "first try", 0),
            (noted.id, "numbers are in", 5),
            (noted.id, "a reason, not an update", 10),
            (other.id, "about the later plan", 15),
        ]:
            kind = "dropped" if text.startswith("a reason") else "update"
            await uow.commitments.add_note(
                CommitmentNote(
                    commitment_id=commitment_id,
                    kind=kind,
                    what_happened=text,
                    created_at=start + timedelta(minutes=minutes),
                )
            )
    at = datetime(2026, 11, 25, 14, 0, tzinfo=UTC)  # 09:00 in New York, the last of the three zones
    await plan(h.deps, now=at)
    async with h.db.write() as uow:
        await uow.session.execute(update(Commitment).where(Commitment.id == closed.id).values(status="done"))
    report = await h.sweep(at)
    assert (report.claimed, report.sent, report.skipped) == (3, 2, {"cancelled": 1})
    [to_ada] = dms(h, ada.id)
    assert "Your last note: numbers are in" in str(to_ada.blocks)
    assert "first try" not in str(to_ada.blocks) and "a reason" not in str(to_ada.blocks)
    [to_ravi] = dms(h, ravi.id)
    assert "Ravi's plan" in to_ravi.text and f"{quiet.id}:dm" in str(to_ravi.blocks)
    assert "Your last note" not in str(to_ravi.blocks)  # the later plan's note is not this one's
    assert dms(h, grace.id) == []
    [grace_row] = [r for r in await outbox_rows(h) if r.user_id == grace.id]
    assert (grace_row.status, grace_row.subject_id) == ("cancelled", closed.id)


async def test_the_away_form_takes_only_a_day_the_calendar_could_send(harness: Harness) -> None:
    """The form's date is a datepicker's: a value Slack's calendar would not send (here a date with
    more after it, which `/als away` reads as "the first word") gets an inline error and stores
    nothing; the same day picked properly is taken."""
    h = harness
    people, _ = await make_set(h)
    ada = people.members[0]
    event = {"type": "app_home_opened", "user": ada.id, "channel": "D0ADA", "tab": "home"}
    await h.driver.event(event, event_id="Ev0HOMEAWAY")
    await h.idle()
    opened = len(h.standin.calls_to("views.open"))
    await h.driver.click(ada.id, "commitments.away_button", home=True)
    await h.standin.wait_for_call("views.open", opened + 1)
    reply = await h.driver.submit(ada.id, {"commitments.away_until": "2026-12-01 extra"}, as_client=False)
    assert reply.errors == {"commitments.away_until": "Pick the first day you are back from the calendar."}
    async with h.db.read() as uow:
        assert await uow.commitments.get_away(h.ws.team_id, ada.id) is None
    reply = await h.driver.submit(ada.id, {"commitments.away_until": "2026-12-01"})
    assert reply.json is None
    await h.idle()
    async with h.db.read() as uow:
        away = await uow.commitments.get_away(h.ws.team_id, ada.id)
    assert away is not None and away.until_date == date(2026, 12, 1)
