"""SQLite is single-instance: of two app processes on one SQLite file, only the first runs the
scheduler; the second says so once in its log and serves HTTP. The lock goes with its holder even
when that is killed with SIGKILL, and the next instance to start takes over the sending."""

from __future__ import annotations

import asyncio
import signal
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import aiohttp
import pytest
from sqlalchemy import select

from bench.population import SetShape, channel_id, members_of, morning_zone
from slack_standin import SlackDriver
from storage.database import Database
from storage.models import OutboxMessage
from tests.e2e.harness import SIGNING_SECRET
from tests.e2e.instance_helpers import (
    add_due_reminders,
    add_people,
    instance,
    instance_env,
    standin_for,
    wait_for,
)

pytestmark = pytest.mark.slow

REFUSAL = "is locked), so this one will not: it serves HTTP only"


async def recorded_sent(db: Database, at_least: int) -> bool:
    """Whether at least that many outbox rows are marked sent (a message Slack accepted is recorded
    a moment later)."""
    async with db.read() as uow:
        sent = (await uow.session.scalars(select(OutboxMessage.id).where(OutboxMessage.status == "sent"))).all()
    return len(sent) >= at_least


async def senders_by_key(db: Database) -> dict[str, int | None]:
    """The process id that claimed each outbox row (None if nobody has)."""
    async with db.read() as uow:
        rows = (await uow.session.execute(select(OutboxMessage.key, OutboxMessage.claimed_by))).all()
    return {key: int(by.split(":")[-2]) if by else None for key, by in rows}


async def test_a_second_instance_on_one_sqlite_file_serves_http_but_never_sends(tmp_path: Path) -> None:
    now = datetime.now(UTC)
    shape = SetShape(sets=2, members=3, tz=morning_zone(now))
    url = f"sqlite+aiosqlite:///{tmp_path / 'als.db'}"
    standin, accepted = standin_for(shape)
    await standin.start()
    env = instance_env(standin, url, SWEEP_INTERVAL_SECONDS="0.3", OUTBOX_LEASE_SECONDS="2")
    db = Database.from_url(url)
    try:
        async with instance(env, tmp_path) as first:
            await first.app.wait_healthy()  # it migrated the new file
            await add_people(url, shape, now=now)
            async with instance(env, tmp_path) as second:
                await second.app.wait_healthy()
                await wait_for(lambda: second.logged(REFUSAL), timeout=5)

                # 1. While the first lives, only the first sends.
                batch = await add_due_reminders(url, shape, now=now, per_set=3, first_id=1)
                await wait_for(lambda: accepted.total >= batch, timeout=20)
                # Recorded too, so that the kill below cannot fall between a post and its record
                # (which would be recovered from Slack's history by the third, and counted as its).
                await wait_for(lambda: recorded_sent(db, batch), timeout=5)
                assert set((await senders_by_key(db)).values()) == {first.pid}

                # 2. The first is killed. The second still answers Slack, but sends nothing.
                assert await first.stop(signal.SIGKILL) == -signal.SIGKILL
                more = await add_due_reminders(url, shape, now=now, per_set=3, first_id=1001)
                await asyncio.sleep(2)  # more than six of the second's ticks, had it a scheduler
                async with aiohttp.ClientSession() as session, session.get(f"{second.url}/healthz") as resp:
                    assert resp.status == 200
                driver = SlackDriver(standin, second.url, SIGNING_SECRET)
                reply = await driver.command(members_of(1, shape.members)[0], channel_id(1), "help")
                await driver.close()
                assert reply.status == 200
                assert accepted.total == batch
                assert len(await senders_by_key(db)) == batch  # the new ones not even planned

                # 3. The kill released the lock: a new instance takes it and sends the rest.
                async with instance(env, tmp_path) as third:
                    await third.app.wait_healthy()
                    await wait_for(lambda: accepted.total >= batch + more, timeout=20)
                    await asyncio.sleep(0.6)  # a couple more ticks: nothing more may go out
                    assert await third.stop() == 0
                assert await second.stop() == 0
        senders = await senders_by_key(db)
    finally:
        await db.dispose()
        await standin.stop()

    assert len(second.logged(REFUSAL)) == 1, second.log
    assert not first.logged(REFUSAL)
    assert not third.logged(REFUSAL)
    assert "Traceback" not in "\n".join(second.log + third.log)
    assert len(senders) == batch + more
    assert Counter(senders.values()) == {first.pid: batch, third.pid: more}
    assert len(accepted.keys) == batch + more
    assert set(accepted.keys.values()) == {1}
