"""`/als commit`, the reminder buttons, status and App Home, over real HTTP."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import func, select

from storage.models import Commitment, CommitmentNote
from tests.e2e.commit_helpers import commit, dms
from tests.e2e.harness import Harness
from tests.e2e.round_helpers import present, reload_round, thread
from tests.e2e.setup_helpers import make_set


async def count(h: Harness, model: type) -> int:
    async with h.db.read() as uow:
        return int(await uow.session.scalar(select(func.count()).select_from(model)) or 0)


async def test_commit_defaults_to_the_next_meeting_and_the_newest_round(harness: Harness) -> None:
    h = harness
    people, _ = await make_set(h)
    ada = people.members[0]
    round_ = await present(h, ada.id, people.channel.id, {"rounds.problem": "Team does not own the plan"})
    await h.driver.command(ada.id, people.channel.id, "commit")
    await h.standin.wait_until(lambda: h.standin.open_views(ada.id))
    view = h.driver.open_view(ada.id).view
    due = next(b for b in view["blocks"] if b.get("block_id") == "commitments.due_date")
    assert due["element"]["initial_date"] == "2026-12-07"  # the set's next meeting
    picker = next(b for b in view["blocks"] if b.get("block_id") == "commitments.round")
    assert picker["element"]["initial_option"]["value"] == str(round_.id)
    reply = await h.driver.submit(
        ada.id,
        {
            "commitments.action": "Ask two people to rewrite a section of the plan",
            "commitments.done_looks_like": "Two sections in their words",
        },
    )
    assert reply.json is None
    await h.idle()
    [stored] = await h_commitments(h)
    assert (stored.user_id, stored.round_id, stored.due_date, stored.status) == (
        ada.id,
        round_.id,
        date(2026, 12, 7),
        "open",
    )
    assert stored.next_reminder_at == datetime(2026, 12, 5, 9, 0, tzinfo=UTC)  # 09:00 London, two days before
    round_ = await reload_round(h, round_.id)
    post = thread(h, people.channel.id, round_)[-1]
    assert f"<@{ada.id}> commits to act" in str(post.blocks)
    assert "Ask two people to rewrite a section of the plan" in str(post.blocks)
    [confirmation] = [e for e in h.standin.ephemerals_for(ada.id) if "Noted" in e.text]
    assert "09:00 your time, 2 days before and on the day" in confirmation.text


async def test_a_commitment_without_a_round_is_posted_in_the_channel(harness: Harness) -> None:
    h = harness
    people, _ = await make_set(h)
    grace = people.members[1]
    stored = await commit(h, grace.id, people.channel.id, "Shadow a colleague for a day", date(2026, 12, 1))
    assert stored.round_id is None
    top = h.ws.messages_in(people.channel.id, top_level=True)[-1]
    assert "Shadow a colleague for a day" in str(top.blocks)
    assert stored.message_ts == top.ts


async def test_bad_commitments_get_inline_errors_and_nothing_is_stored(harness: Harness) -> None:
    h = harness
    people, _ = await make_set(h)
    far_east = h.ws.add_user("Kiri Early", tz="Pacific/Kiritimati")  # UTC+14: already the 24th there
    await h.driver.join(far_east.id, people.channel.id)
    await h.idle()
    posted_before = len(h.ws.messages_in(people.channel.id))
    await h.driver.command(far_east.id, people.channel.id, "commit")
    await h.standin.wait_until(lambda: h.standin.open_views(far_east.id))
    # A newcomer's first contribution opens with the ground rules; then the form itself.
    agreed = await h.driver.submit(far_east.id, {"sets.ground_rules_agree": ["agree"]})
    assert agreed.json["response_action"] == "update"
    cases = [
        ({"commitments.action": "   "}, "commitments.action", "Say what you will do."),
        ({"commitments.action": "x" * 501}, "commitments.action", "500"),
        ({"commitments.action": "Fine", "commitments.due_date": "2026-11-23"}, "commitments.due_date", "passed"),
        ({"commitments.action": "Fine", "commitments.due_date": "2027-11-25"}, "commitments.due_date", "next year"),
        (
            {"commitments.action": "Fine", "commitments.done_looks_like": "y" * 1001},
            "commitments.done_looks_like",
            "1,000",
        ),
    ]
    for values, block, words in cases:
        reply = await h.driver.submit(far_east.id, values, as_client=False)
        assert list(reply.errors) == [block], values
        assert words in reply.errors[block]
    await h.idle()
    assert await count(h, Commitment) == 0
    assert len(h.ws.messages_in(people.channel.id)) == posted_before
    # The 24th is "today" for this member even though it is still the 23rd in London.
    reply = await h.driver.submit(far_east.id, {"commitments.action": "Fine", "commitments.due_date": "2026-11-24"})
    assert reply.json is None


async def test_status_lists_my_open_commitments_verbatim(harness: Harness) -> None:
    h = harness
    people, _ = await make_set(h)
    ada = people.members[0]
    await commit(h, ada.id, people.channel.id, "Talk to *Finance* <about> the budget & the plan", date(2026, 12, 4))
    reply = await h.driver.command(ada.id, people.channel.id, "status")
    assert (
        "Your commitment: Talk to *Finance* <about> the budget & the plan (due Friday 4 December 2026)"
        in (reply.json["text"])
    )


async def due_dm(h: Harness, user_id: str, action: str, due: date) -> None:
    """Make a commitment and bring its reminder DM (two days before, 09:00 London)."""
    people_channel = next(c for c in h.ws.channels.values() if c.name == "leaders-set")
    await commit(h, user_id, people_channel.id, action, due)
    await h.sweep(datetime(due.year, due.month, due.day - 2, 9, 0, tzinfo=UTC))
    assert dms(h, user_id), "no reminder arrived"


async def test_done_updates_the_dm_and_celebrates_in_the_round(harness: Harness) -> None:
    h = harness
    people, _ = await make_set(h)
    ada, grace = people.members[:2]
    round_ = await present(h, ada.id, people.channel.id)
    await due_dm(h, ada.id, "Rewrite one section with the team", date(2026, 12, 4))
    [reminder] = dms(h, ada.id)
    assert "Coming up" in reminder.text and "commitments.done" in str(reminder.blocks)

    await h.driver.click(grace.id, "commitments.done", message=reminder)  # someone else's commitment
    [notice] = await h.standin.wait_until(lambda: h.standin.ephemerals_for(grace.id))
    assert notice.text == "Only the person who made a commitment can update it."

    await h.driver.click(ada.id, "commitments.done", message=reminder)
    await h.idle()
    [commitment] = await h_commitments(h)
    assert commitment.status == "done" and commitment.closed_at == h.clock.now()
    assert commitment.next_reminder_at is None
    [updated] = dms(h, ada.id)
    assert updated.edited and "Done." in updated.text and "commitments.done" not in str(updated.blocks)
    celebration = thread(h, people.channel.id, await reload_round(h, round_.id))[-1]
    assert f":tada: <@{ada.id}> has done what they committed to" in celebration.text
    await h.sweep(datetime(2026, 12, 4, 9, 0, tzinfo=UTC))
    assert len(dms(h, ada.id)) == 1  # no more reminders once done


async def h_commitments(h: Harness) -> list[Commitment]:
    async with h.db.read() as uow:
        return list((await uow.session.scalars(select(Commitment).order_by(Commitment.id))).all())


async def test_snooze_reminds_again_the_next_morning(harness: Harness) -> None:
    h = harness
    people, _ = await make_set(h)
    ada = people.members[0]
    await due_dm(h, ada.id, "Book the workshop room", date(2026, 12, 4))  # DM on the 2nd
    [reminder] = dms(h, ada.id)
    await h.driver.click(ada.id, "commitments.snooze", message=reminder)
    await h.idle()
    [commitment] = await h_commitments(h)
    assert commitment.snoozed_to == date(2026, 12, 3)
    assert "Snoozed" in dms(h, ada.id)[0].text
    await h.sweep(datetime(2026, 12, 3, 8, 59, tzinfo=UTC))
    assert len(dms(h, ada.id)) == 1
    await h.sweep(datetime(2026, 12, 3, 9, 0, tzinfo=UTC))
    assert "As you asked yesterday" in dms(h, ada.id)[-1].text
    assert len(dms(h, ada.id)) == 2


async def test_update_records_what_happened_and_moves_the_date(harness: Harness) -> None:
    h = harness
    people, _ = await make_set(h)
    ada = people.members[0]
    await due_dm(h, ada.id, "Draft the proposal", date(2026, 12, 4))
    [reminder] = dms(h, ada.id)
    opened = len(h.standin.calls_to("views.open"))
    await h.driver.click(ada.id, "commitments.update_button", message=reminder)
    await h.standin.wait_for_call("views.open", opened + 1)
    reply = await h.driver.submit(ada.id, {"commitments.what_happened": "  "}, as_client=False)
    assert reply.errors == {"commitments.what_happened": "Say what happened."}
    reply = await h.driver.submit(ada.id, {"commitments.new_due_date": "2026-11-01", "commitments.what_happened": "x"})
    assert "passed" in reply.errors["commitments.new_due_date"]
    reply = await h.driver.submit(
        ada.id,
        {
            "commitments.what_happened": "Half written; waiting on numbers",
            "commitments.learned": "I start too late",
            "commitments.new_due_date": "2026-12-11",
        },
    )
    assert reply.json is None
    await h.idle()
    [commitment] = await h_commitments(h)
    assert commitment.due_date == date(2026, 12, 11)
    assert commitment.next_reminder_at == datetime(2026, 12, 9, 9, 0, tzinfo=UTC)
    async with h.db.read() as uow:
        note = await uow.commitments.latest_note(commitment.id)
    assert note is not None
    assert (note.what_happened, note.learned, note.new_due_date) == (
        "Half written; waiting on numbers",
        "I start too late",
        date(2026, 12, 11),
    )
    [updated] = dms(h, ada.id)
    assert "Update saved. New date: Friday 11 December" in updated.text
    assert "commitments.done" in str(updated.blocks)  # still open: the buttons stay


async def test_drop_needs_a_reason_and_stops_the_reminders(harness: Harness) -> None:
    h = harness
    people, _ = await make_set(h)
    ada = people.members[0]
    await due_dm(h, ada.id, "Run a survey", date(2026, 12, 4))
    [reminder] = dms(h, ada.id)
    opened = len(h.standin.calls_to("views.open"))
    await h.driver.click(ada.id, "commitments.drop_button", message=reminder)
    await h.standin.wait_for_call("views.open", opened + 1)
    reply = await h.driver.submit(ada.id, {"commitments.drop_reason": " "}, as_client=False)
    assert "Say why" in reply.errors["commitments.drop_reason"]
    assert (await h_commitments(h))[0].status == "open"
    reply = await h.driver.submit(ada.id, {"commitments.drop_reason": "The survey was cancelled company-wide"})
    assert reply.json is None
    await h.idle()
    [commitment] = await h_commitments(h)
    assert (commitment.status, commitment.drop_reason) == ("dropped", "The survey was cancelled company-wide")
    assert "Dropped" in dms(h, ada.id)[0].text
    for day in (4, 5, 6):
        await h.sweep(datetime(2026, 12, day, 9, 0, tzinfo=UTC))
    assert len(dms(h, ada.id)) == 1
    assert await count(h, CommitmentNote) == 1


async def test_app_home_shows_my_commitments_and_sets_once_per_event(harness: Harness) -> None:
    h = harness
    people, _ = await make_set(h)
    ada = people.members[0]
    await commit(h, ada.id, people.channel.id, "Overdue thing", date(2026, 11, 24))
    await commit(h, ada.id, people.channel.id, "Soon thing", date(2026, 11, 30))
    await commit(h, ada.id, people.channel.id, "Later thing", date(2026, 12, 20))
    h.clock.set(datetime(2026, 11, 26, 12, 0, tzinfo=UTC))
    event = {"type": "app_home_opened", "user": ada.id, "channel": "D0ADA", "tab": "home"}
    await h.driver.event(event, event_id="Ev0HOME1")
    await h.driver.event(event, event_id="Ev0HOME1", retry_num=1)
    await h.idle()
    assert len(h.standin.calls_to("views.publish")) == 1
    home = str(h.standin.homes[ada.id]["blocks"])
    assert home.index("Overdue") < home.index("Overdue thing") < home.index("Due soon") < home.index("Soon thing")
    assert home.index("Open") < home.index("Later thing") < home.index("My sets")
    assert f"<#{people.channel.id}>" in home
    await h.driver.event({**event, "tab": "messages"}, event_id="Ev0HOME2")
    await h.idle()
    assert len(h.standin.calls_to("views.publish")) == 1  # the Messages tab needs nothing

    await h.driver.click(ada.id, "commitments.done", home=True)
    await h.idle()
    assert len(h.standin.calls_to("views.publish")) == 2
    home = str(h.standin.homes[ada.id]["blocks"])
    assert "Recently done" in home
