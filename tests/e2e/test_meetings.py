"""Meetings: the reminders the day before and an hour before (commitments, presenter rotation,
bids as the draft agenda), bidding, and the next meeting once one has passed."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from slack_standin.workspace import Message
from tests.e2e.commit_helpers import commit
from tests.e2e.harness import Harness, running_app
from tests.e2e.round_helpers import present
from tests.e2e.setup_helpers import make_set

MEETING = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)  # the default first meeting: Monday 7 December, 10:00 London


def top_level(h: Harness, channel_id: str, starting: str) -> list[Message]:
    return [m for m in h.ws.messages_in(channel_id, top_level=True) if m.text.startswith(starting)]


async def next_meeting(h: Harness, set_id: int) -> datetime | None:
    async with h.db.read() as uow:
        found = await uow.sets.get_by_id(set_id)
    assert found is not None
    return found.next_meeting_at


async def test_reminders_carry_commitments_rotation_and_the_draft_agenda(harness: Harness) -> None:
    h = harness
    people, set_id = await make_set(h)
    ada, grace, ravi, mae = people.members
    reply = await h.driver.command(ada.id, people.channel.id, "bid Present my reorganisation problem")
    assert "Your bid is on the draft agenda" in reply.json["text"]
    await present(h, ada.id, people.channel.id)
    await commit(h, grace.id, people.channel.id, "Talk to two customers", date(2026, 12, 20))

    await h.sweep(datetime(2026, 12, 6, 8, 59, tzinfo=UTC))
    assert not any("The meeting is tomorrow" in m.text for m in h.ws.messages_in(people.channel.id))
    await h.sweep(datetime(2026, 12, 6, 9, 0, tzinfo=UTC))
    (day_before,) = [
        m for m in h.ws.messages_in(people.channel.id, top_level=True) if "The meeting is tomorrow" in m.text
    ]
    blocks = str(day_before.blocks)
    assert "*Open commitments:* 1" in blocks
    assert "*Not yet presented this cycle:* Grace, Ravi, Mae" in blocks
    assert f"<@{ada.id}>: Present my reorganisation problem" in blocks
    assert f"<@{grace.id}>" not in blocks.split("Where our commitments stand")[0].split("Draft agenda")[1]

    # Grace bids from the reminder's button; bidding again replaces her bid.
    for n, topic in enumerate(("Hiring", "Help with a hiring decision"), start=1):
        before = len(h.standin.calls_to("views.open"))
        await h.driver.click(grace.id, "meetings.bid_button", message=day_before)
        await h.standin.wait_for_call("views.open", before + 1)
        reply = await h.driver.submit(grace.id, {"meetings.bid_topic": topic})
        assert reply.json is None, reply.text
        await h.idle()
        assert ("now reads" if n == 2 else "on the draft agenda") in h.standin.ephemerals_for(grace.id)[-1].text

    await h.sweep(MEETING - timedelta(hours=1, minutes=1))
    assert top_level(h, people.channel.id, "Meeting in an hour") == []
    await h.sweep(MEETING - timedelta(hours=1))
    (soon,) = top_level(h, people.channel.id, "Meeting in an hour")
    agenda = str(soon.blocks).split("Draft agenda")[1]
    assert agenda.index(f"<@{ada.id}>: Present my reorganisation") < agenda.index(f"<@{grace.id}>: Help with a hiring")
    assert "Hiring\\n" not in agenda and agenda.count(f"<@{grace.id}>") == 1
    assert "Open commitments: 1" in soon.text
    await h.sweep(MEETING - timedelta(minutes=30))
    assert len(top_level(h, people.channel.id, "Meeting in an hour")) == 1

    # Once it has passed, the next meeting follows the cadence (every four weeks), with no bids yet.
    await h.sweep(MEETING + timedelta(minutes=1))
    assert await next_meeting(h, set_id) == datetime(2027, 1, 4, 10, 0, tzinfo=UTC)
    await h.sweep(datetime(2027, 1, 4, 9, 0, tzinfo=UTC))
    latest = top_level(h, people.channel.id, "Meeting in an hour")[-1]
    assert "no bids yet" in str(latest.blocks)
    del ravi, mae


async def test_the_rotation_starts_again_once_everyone_has_presented(harness: Harness) -> None:
    h = harness
    people, _ = await make_set(h)
    for member in people.members:
        await present(h, member.id, people.channel.id)
    await h.sweep(datetime(2026, 12, 6, 9, 0, tzinfo=UTC))
    (day_before,) = [
        m for m in h.ws.messages_in(people.channel.id, top_level=True) if "The meeting is tomorrow" in m.text
    ]
    assert "everyone has presented this cycle" in str(day_before.blocks)
    assert "Not yet presented" not in str(day_before.blocks)


@pytest.mark.parametrize(
    ("cadence", "first", "then"),
    [
        ("weekly", "2026-11-30", [datetime(2026, 12, 7, 10, tzinfo=UTC), datetime(2026, 12, 14, 10, tzinfo=UTC)]),
        ("fortnightly", "2026-12-21", [datetime(2027, 1, 4, 10, tzinfo=UTC), datetime(2027, 1, 18, 10, tzinfo=UTC)]),
        ("four_weekly", "2026-12-17", [datetime(2027, 1, 14, 10, tzinfo=UTC), datetime(2027, 2, 11, 10, tzinfo=UTC)]),
        # The fifth Monday of November has no match in December: the last Monday stands in.
        (
            "monthly_weekday",
            "2026-11-30",
            [datetime(2026, 12, 28, 10, tzinfo=UTC), datetime(2027, 1, 25, 10, tzinfo=UTC)],
        ),
        # 29 January 2027 is the fifth Friday; February 2027 has four.
        (
            "monthly_weekday",
            "2027-01-29",
            [datetime(2027, 2, 26, 10, tzinfo=UTC), datetime(2027, 3, 26, 10, tzinfo=UTC)],
        ),
    ],
    ids=["weekly", "fortnightly-year-end", "four-weekly-month-ends", "monthly-fifth-monday", "monthly-fifth-friday"],
)
async def test_the_next_meeting_follows_the_cadence_across_month_ends(
    harness: Harness, cadence: str, first: str, then: list[datetime]
) -> None:
    h = harness
    people, set_id = await make_set(h, values={"sets.cadence": cadence, "sets.meeting_date": first})
    meeting = await next_meeting(h, set_id)
    assert meeting is not None
    for expected in then:
        await h.sweep(meeting + timedelta(minutes=1))
        meeting = await next_meeting(h, set_id)
        assert meeting == expected
    del people


async def test_weekly_meetings_keep_their_local_time_across_the_clock_change(database_url: str) -> None:
    async with running_app(database_url, now=datetime(2026, 10, 12, 10, tzinfo=UTC)) as h:
        _, set_id = await make_set(h, values={"sets.cadence": "weekly", "sets.meeting_date": "2026-10-19"})
        assert await next_meeting(h, set_id) == datetime(2026, 10, 19, 9, 0, tzinfo=UTC)  # 10:00 BST
        await h.sweep(datetime(2026, 10, 19, 9, 1, tzinfo=UTC))
        assert await next_meeting(h, set_id) == datetime(2026, 10, 26, 10, 0, tzinfo=UTC)  # 10:00 GMT


async def test_a_manual_cadence_asks_the_facilitator_for_the_next_date(harness: Harness) -> None:
    h = harness
    people, set_id = await make_set(h, values={"sets.cadence": "manual"})
    fran, ada = people.facilitator, people.members[0]
    await h.sweep(MEETING + timedelta(minutes=5))
    assert await next_meeting(h, set_id) is None
    (ask,) = [m for m in h.ws.dm_messages(fran.id) if "When is the next one?" in m.text]
    await h.sweep(MEETING + timedelta(hours=5))
    assert len([m for m in h.ws.dm_messages(fran.id) if "When is the next one?" in m.text]) == 1
    reply = await h.driver.command(ada.id, people.channel.id, "bid Something")
    assert "no next meeting date yet" in reply.json["text"]

    before = len(h.standin.calls_to("views.open"))
    await h.driver.click(fran.id, "meetings.set_date_button", message=ask)
    await h.standin.wait_for_call("views.open", before + 1)
    reply = await h.driver.submit(fran.id, {"sets.meeting_date": "2026-12-21"})
    assert reply.json is None, reply.text
    await h.idle()
    assert await next_meeting(h, set_id) == datetime(2026, 12, 21, 10, 0, tzinfo=UTC)
    # Only the facilitator can answer it.
    await h.driver.click(ada.id, "meetings.set_date_button", message=ask)
    await h.idle()
    assert len(h.standin.calls_to("views.open")) == before + 1


async def test_bad_bids_change_nothing(harness: Harness) -> None:
    h = harness
    people, set_id = await make_set(h)
    reply = await h.driver.command(people.members[0].id, people.channel.id, "bid " + "x" * 301)
    assert "300 characters" in reply.json["text"]
    opened = len(h.standin.calls_to("views.open"))
    await h.driver.command(people.members[0].id, people.channel.id, "bid")
    await h.standin.wait_for_call("views.open", opened + 1)
    reply = await h.driver.submit(people.members[0].id, {"meetings.bid_topic": "   "}, as_client=False)
    assert reply.json["response_action"] == "errors"
    assert "what you want time for" in reply.json["errors"]["meetings.bid_topic"]
    async with h.db.read() as uow:
        meeting = await next_meeting(h, set_id)
        assert meeting is not None
        assert list(await uow.meetings.list_bids(set_id, meeting)) == []
