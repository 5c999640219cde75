"""The app killed with SIGKILL in the middle of sending a batch of reminders, then started again:
every reminder reaches Slack exactly once. This runs on the real clock, as a real process, with the
real APScheduler tick doing the sweeping."""

from __future__ import annotations

import asyncio
import signal
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.services.commitments import make_commitment
from slack_standin import SlackDriver, SlackStandin
from storage.database import Database
from storage.models import OutboxMessage
from tests.e2e.harness import SIGNING_SECRET, add_set_people
from tests.e2e.processes import app_process, clean_env

pytestmark = pytest.mark.slow

PER_MEMBER = 5
ZONES = [
    "Pacific/Kiritimati",
    "Pacific/Auckland",
    "Asia/Tokyo",
    "Asia/Kolkata",
    "Europe/Moscow",
    "Europe/Berlin",
    "Europe/London",
    "America/Sao_Paulo",
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Los_Angeles",
    "Pacific/Honolulu",
    "Pacific/Pago_Pago",
]


def a_zone_where_the_reminder_is_due(now: datetime) -> str:
    """A zone where today's 09:00 reminder is past and midnight is hours away."""
    return next(z for z in ZONES if 10 <= now.astimezone(ZoneInfo(z)).hour <= 21)


def keys_accepted(standin: SlackStandin) -> Counter[str]:
    keys: Counter[str] = Counter()
    for call in standin.calls_to("chat.postMessage", ok=True):
        metadata = call.args.get("metadata") or {}
        if metadata.get("event_type") == "als_outbox":
            keys[metadata["event_payload"]["key"]] += 1
    return keys


async def test_sigkill_mid_batch_then_restart_loses_nothing_and_repeats_nothing(
    tmp_path: Path, database_url: str
) -> None:
    now = datetime.now(UTC)
    zone = a_zone_where_the_reminder_is_due(now)
    today = now.astimezone(ZoneInfo(zone)).date()
    standin = SlackStandin()
    await standin.start()
    people = add_set_people(standin.workspace)
    for person in (people.facilitator, *people.members):
        standin.workspace.users[person.id].tz = zone
    env = clean_env(
        SLACK_BOT_TOKEN=standin.workspace.bot_token,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=standin.api_url,
        DATABASE_URL=database_url,
        SWEEP_INTERVAL_SECONDS="0.5",
        OUTBOX_LEASE_SECONDS="2",
    )
    try:
        # 1. The set is made through Slack, then the app stops cleanly.
        async with app_process(env, tmp_path) as app:
            await app.wait_healthy()
            driver = SlackDriver(standin, f"http://127.0.0.1:{app.port}", SIGNING_SECRET)
            await driver.command(people.facilitator.id, people.channel.id, "setup")
            await standin.wait_for_call("views.open")
            assert (await driver.submit(people.facilitator.id)).status == 200
            await standin.wait_until(lambda: standin.workspace.messages_in(people.channel.id))
            await driver.close()
            app.signal(signal.SIGTERM)
            assert await app.wait() == 0

        # 2. While it is down, commitments made three days ago fall due today.
        db = Database.from_url(database_url)
        async with db.write() as uow:
            learning_set = await uow.sets.get_by_channel(standin.workspace.team_id, people.channel.id)
            assert learning_set is not None
            for member in people.members:
                for n in range(PER_MEMBER):
                    await make_commitment(
                        uow,
                        learning_set=learning_set,
                        user_id=member.id,
                        round_id=None,
                        action=f"{member.name}: action {n + 1}",
                        done_looks_like="",
                        due_date=today,
                        tz=zone,
                        now=now - timedelta(days=3),
                    )
        expected = len(people.members) * PER_MEMBER

        # 3. Slack answers slowly; the app is killed once some, not all, were sent.
        standin.delay_next("chat.postMessage", 0.3, times=expected)
        async with app_process(env, tmp_path) as app:
            await app.wait_healthy()
            await standin.wait_until(lambda: sum(keys_accepted(standin).values()) >= 6, timeout=20)
            app.signal(signal.SIGKILL)
            assert await app.wait() == -signal.SIGKILL
        await asyncio.sleep(0.5)  # the requests that were in flight land in Slack after the kill
        sent_before_restart = sum(keys_accepted(standin).values())
        assert 6 <= sent_before_restart < expected
        async with db.read() as uow:
            stranded = (await uow.session.scalars(select(OutboxMessage).where(OutboxMessage.status == "sending"))).all()
        assert stranded, "the kill should have left claimed rows behind"
        # Some of the stranded rows are already in Slack: the crash fell between Slack accepting a
        # message and the database recording it, the window only the message metadata can close.
        # (Rows still waiting for their channel's turn, one post a second, are not stranded: a
        # turn beyond the lease gives the row back unattempted.)
        assert any(row.key in keys_accepted(standin) for row in stranded)

        # 4. Started again, it takes over the stranded claims and finishes the batch.
        async with app_process(env, tmp_path) as app:
            await app.wait_healthy()
            await standin.wait_until(lambda: len(keys_accepted(standin)) >= expected, timeout=30)

            async def settled() -> bool:
                async with db.read() as uow:
                    rows = (await uow.session.scalars(select(OutboxMessage))).all()
                return all(r.status not in ("pending", "sending") for r in rows)

            for _ in range(100):
                if await settled():
                    break
                await asyncio.sleep(0.2)
            await asyncio.sleep(1.5)  # a few more ticks: nothing else may go out
            app.signal(signal.SIGTERM)
            assert await app.wait() == 0
            assert app.process.stderr is not None
            log = (await app.process.stderr.read()).decode()
        assert "Traceback" not in log, log[-8000:]

        accepted = keys_accepted(standin)
        assert len(accepted) == expected
        assert set(accepted.values()) == {1}, [k for k, n in accepted.items() if n > 1]
        for member in people.members:
            texts = [m.text for m in standin.workspace.dm_messages(member.id)]
            actions = [n for t in texts for n in range(1, PER_MEMBER + 1) if f"{member.name}: action {n}" in t]
            assert sorted(actions) == list(range(1, PER_MEMBER + 1))  # each of theirs, once
        async with db.read() as uow:
            rows = (await uow.session.scalars(select(OutboxMessage))).all()
        due_today = [r for r in rows if r.status == "sent"]
        assert len(due_today) == expected
        assert len(standin.calls_to("conversations.history")) >= len(stranded)  # checked before resending
        await db.dispose()
    finally:
        await standin.stop()
