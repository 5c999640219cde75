"""Exactly once: restarts, crashes between Slack accepting a message and the database recording
it, duplicate sweeps, 429s and 5xx, and members Slack will not let us message."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import update

from scheduler.pacing import Pacer
from scheduler.sweep import run_sweep
from storage.models import OutboxMessage
from storage.repositories.outbox import SENDING
from tests.e2e.commit_helpers import commit, dms, keys_sent, outbox_rows
from tests.e2e.harness import Harness, running_app
from tests.e2e.setup_helpers import make_set

LEAD = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)  # 09:00 London, two days before the 27th


async def four_commitments(h: Harness) -> list[str]:
    people, _ = await make_set(h)
    london = [m for m in people.members if h.ws.users[m.id].tz == "Europe/London"]
    for member in people.members:
        h.ws.users[member.id].tz = "Europe/London"
    async with h.db.write() as uow:
        for member in people.members:
            cached = await uow.users.get(h.ws.team_id, member.id)
            if cached is not None:
                cached.tz = "Europe/London"
    del london
    for member in people.members:
        await commit(h, member.id, people.channel.id, f"{member.name}'s commitment", date(2026, 11, 27))
    return [m.id for m in people.members]


async def test_a_restart_mid_day_sends_nothing_twice(database_url: str) -> None:
    async with running_app(database_url) as h:
        members = await four_commitments(h)
        await h.sweep(LEAD)
        assert len(keys_sent(h)) == 4
        workspace = h.ws
    async with running_app(database_url, now=LEAD + timedelta(minutes=1), workspace=workspace) as again:
        before = len(keys_sent(again))
        for minutes in (1, 30, 120):
            await again.sweep(LEAD + timedelta(minutes=minutes))
        assert len(keys_sent(again)) == before == 0  # the new process sent nothing at all
        assert sum(len(dms(again, m)) for m in members) == 4
        await again.sweep(datetime(2026, 11, 27, 9, 0, tzinfo=UTC))
        assert sum(len(dms(again, m)) for m in members) == 8


async def test_a_crash_after_slack_accepted_but_before_recording_is_not_repeated(harness: Harness) -> None:
    h = harness
    members = await four_commitments(h)
    from scheduler.sweep import plan

    h.clock.set(LEAD)
    await plan(h.deps, now=LEAD)
    # A sender claims the rows, Slack accepts two of its messages, and the process dies before it
    # records anything: two rows stay "sending" under a lease that nobody will renew.
    async with h.db.write() as uow:
        claimed = list(await uow.outbox.claim(me="crashed", now=LEAD, lease=timedelta(minutes=2), limit=10))
    assert len(claimed) == 4
    for row in claimed[:2]:
        await h.running.bolt.client.chat_postMessage(
            channel=row.user_id,
            text="reminder",
            metadata={"event_type": "als_outbox", "event_payload": {"key": row.key}},
        )
    # Within the lease nobody touches them.
    report = await h.sweep(LEAD + timedelta(minutes=1))
    assert report.claimed == 0
    # After it, another sender takes over: it finds the two in Slack by their key and sends the rest.
    report = await h.sweep(LEAD + timedelta(minutes=3))
    assert (report.claimed, report.recovered, report.sent) == (4, 2, 2)
    assert sorted(Counter(keys_sent(h)).values()) == [1, 1, 1, 1]
    assert sum(len(dms(h, m)) for m in members) == 4
    assert {r.status for r in await outbox_rows(h)} == {"sent"}
    assert len(h.standin.calls_to("conversations.history")) == 4  # checked before every second attempt


async def test_two_sweeps_at_once_send_each_message_once(harness: Harness) -> None:
    h = harness
    members = await four_commitments(h)
    h.clock.set(LEAD)
    from scheduler.sweep import run_sweep

    reports = await asyncio.gather(
        run_sweep(h.deps, h.running.bolt.client, now=LEAD, me="one"),
        run_sweep(h.deps, h.running.bolt.client, now=LEAD, me="two"),
    )
    await h.idle()
    assert sum(r.sent for r in reports) == 4
    assert sorted(Counter(keys_sent(h)).values()) == [1, 1, 1, 1]
    assert sum(len(dms(h, m)) for m in members) == 4


async def test_a_429_and_a_500_still_deliver_exactly_once(harness: Harness) -> None:
    h = harness
    await four_commitments(h)
    h.standin.fail_next("chat.postMessage", status=429, retry_after=1)
    h.standin.fail_next("chat.postMessage", status=500)
    report = await h.sweep(LEAD)
    assert report.sent == 4
    statuses = [c.status for c in h.standin.calls_to("chat.postMessage")]
    assert statuses.count(429) == 1 and statuses.count(500) == 1
    assert sorted(Counter(keys_sent(h)).values()) == [1, 1, 1, 1]


async def test_slack_down_for_longer_than_the_retries_is_tried_again_later_once(harness: Harness) -> None:
    h = harness
    members = await four_commitments(h)
    h.standin.fail_next("chat.postMessage", status=503, times=16)  # each try and its 3 retries, for all 4
    report = await h.sweep(LEAD)
    assert (report.sent, report.retrying) == (0, 4)
    waiting = [r for r in await outbox_rows(h) if r.status == "pending"]
    assert waiting and all(r.due_at > LEAD for r in waiting)  # backed off
    await h.sweep(LEAD + timedelta(minutes=10))
    assert sorted(Counter(keys_sent(h)).values()) == [1, 1, 1, 1]
    assert sum(len(dms(h, m)) for m in members) == 4
    assert {r.status for r in await outbox_rows(h)} == {"sent"}


async def test_a_deactivated_member_does_not_stall_the_others(harness: Harness) -> None:
    h = harness
    members = await four_commitments(h)
    h.ws.users[members[1]].deleted = True  # deactivated in Slack since committing
    report = await h.sweep(LEAD)
    assert (report.sent, report.failed) == (3, 1)
    rows = {r.user_id: r for r in await outbox_rows(h)}
    assert (rows[members[1]].status, rows[members[1]].last_error) == ("failed", "account_inactive")
    await h.sweep(LEAD + timedelta(hours=2))
    assert len(h.standin.calls_to("chat.postMessage", ok=False)) == 1  # not retried over and over
    assert all(len(dms(h, m)) == 1 for m in members if m != members[1])


async def test_a_sender_that_died_before_sending_is_taken_over(harness: Harness) -> None:
    h = harness
    members = await four_commitments(h)
    from scheduler.sweep import plan

    await plan(h.deps, now=LEAD)
    async with h.db.write() as uow:
        await uow.outbox.claim(me="died-early", now=LEAD, lease=timedelta(minutes=2), limit=10)
        assert {r.status for r in await uow.outbox.list_by_status(SENDING)} == {SENDING}
    await h.sweep(LEAD + timedelta(minutes=5))
    assert sum(len(dms(h, m)) for m in members) == 4
    assert sorted(Counter(keys_sent(h)).values()) == [1, 1, 1, 1]


async def test_a_message_that_cannot_be_composed_does_not_stop_the_rest_of_its_batch(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    """A batch is composed in one read; when one row's composing fails (here a kind the app does not
    know how to write), that row is tried again later and the rows after it still go out."""
    h = harness
    members = await four_commitments(h)
    from scheduler.sweep import plan

    await plan(h.deps, now=LEAD)
    rows = sorted(await outbox_rows(h), key=lambda r: (r.due_at, r.id))
    broken = rows[1]
    async with h.db.write() as uow:
        await uow.session.execute(
            update(OutboxMessage).where(OutboxMessage.id == broken.id).values(kind="reminder.no-such-kind")
        )
    report = await h.sweep(LEAD)
    assert (report.claimed, report.sent, report.retrying) == (4, 3, 1)
    assert all(len(dms(h, m)) == 1 for m in members if m != broken.user_id)
    assert dms(h, broken.user_id or "") == []
    after = {r.id: r for r in await outbox_rows(h)}[broken.id]
    assert (after.status, after.last_error, after.attempts) == ("pending", "ValueError", 1)
    assert [r.getMessage() for r in caplog.records if r.levelname == "ERROR"] == [
        f"outbox row {broken.id} (reminder.no-such-kind) failed: ValueError"
    ]


async def test_a_post_slack_took_but_answered_with_a_5xx_is_not_repeated(harness: Harness) -> None:
    """Slack posts the first reminder and then answers 503, as a server can. The scheduler's posts
    are not retried inside the Web API client (which could not know that the message is there):
    the attempt is given back, and the next attempt finds the message in the conversation's history
    by its key and records it, without posting it again."""
    h = harness
    members = await four_commitments(h)
    h.standin.fail_next("chat.postMessage", status=503, after_handling=True)
    pacer = Pacer(posts_per_minute=6000)
    h.clock.set(LEAD)
    first = await run_sweep(h.deps, h.running.bolt.client, now=LEAD, me="test-sender", pacer=pacer)
    assert (first.sent, first.retrying) == (3, 1)
    later = LEAD + timedelta(minutes=10)
    h.clock.set(later)
    second = await run_sweep(h.deps, h.running.bolt.client, now=later, me="test-sender", pacer=pacer)
    await h.idle()
    assert (second.sent, second.recovered) == (0, 1)
    posts = [
        c.args["metadata"]["event_payload"]["key"]
        for c in h.standin.calls_to("chat.postMessage", ok=None)
        if (c.args.get("metadata") or {}).get("event_type") == "als_outbox"
    ]
    assert len(posts) == len(set(posts)) == 4  # each posted once, the one answered 503 included
    in_slack = Counter(m.metadata["event_payload"]["key"] for member in members for m in dms(h, member) if m.metadata)
    assert sorted(in_slack.values()) == [1, 1, 1, 1]
    assert {r.status for r in await outbox_rows(h)} == {"sent"}
