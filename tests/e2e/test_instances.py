"""Several app processes on one PostgreSQL database, as in production: they share the sending
(each reminder reaches Slack once, even when one of them is killed with SIGKILL mid-sweep), each
keeps its connection pool within bounds, and an event Slack delivers twice, to two of them, is
handled once. PostgreSQL only: SQLite is single-instance (test_sqlite_single_instance.py)."""

from __future__ import annotations

import asyncio
import os
import signal
from collections import Counter
from contextlib import AsyncExitStack
from datetime import UTC, datetime
from pathlib import Path

import psutil
import pytest
from sqlalchemy import select

from bench.population import SetShape, morning_zone
from scheduler.outbox import CLAIM_BATCH
from slack_standin import SlackDriver, SlackStandin
from storage.database import Database
from storage.models import OutboxMessage
from tests.e2e.harness import SIGNING_SECRET
from tests.e2e.instance_helpers import (
    Instance,
    add_due_reminders,
    add_people,
    instance,
    instance_env,
    pid_of,
    standin_for,
    wait_for,
)

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not os.environ.get("TEST_DATABASE_URL"), reason="needs PostgreSQL (TEST_DATABASE_URL)"),
]

INSTANCES = 3
SHAPE_SETS, SHAPE_MEMBERS, PER_SET = 400, 5, 5  # 2,000 reminders, one to each of 2,000 people
MAX_CONNECTIONS_PER_INSTANCE = 20  # the bound; storage/database.py keeps up to 20, no overflow


async def claims(db: Database) -> list[tuple[str, str, str | None, int]]:
    """(key, status, claimed_by, attempts) of every outbox row."""
    async with db.read() as uow:
        query = select(OutboxMessage.key, OutboxMessage.status, OutboxMessage.claimed_by, OutboxMessage.attempts)
        return [tuple(row) for row in (await uow.session.execute(query)).all()]  # type: ignore[misc]


async def count_connections(db: Database, instances: list[Instance], peak: Counter[int], stop: asyncio.Event) -> None:
    """Every 0.1 s, each instance's connections as PostgreSQL lists them in pg_stat_activity
    (matched to the process's own connections to the server's port by their local port: the same
    local port can also serve a connection elsewhere, to the stand-in); keeps the highest count
    seen per process."""
    server_port = int(await db.scalar("SELECT inet_server_port()"))
    while not stop.is_set():
        rows = await db.scalar("SELECT array_agg(client_port) FROM pg_stat_activity WHERE datname = current_database()")
        ports = set(rows or [])
        for one in instances:
            try:
                connections = psutil.Process(one.pid).net_connections(kind="tcp")
            except psutil.NoSuchProcess:
                continue
            mine = {c.laddr.port for c in connections if c.laddr and c.raddr and c.raddr.port == server_port}
            peak[one.pid] = max(peak[one.pid], len(mine & ports))
        await asyncio.sleep(0.1)


async def test_three_instances_send_each_of_2000_reminders_once_though_one_is_killed(
    tmp_path: Path, postgres_url: str
) -> None:
    now = datetime.now(UTC)
    shape = SetShape(sets=SHAPE_SETS, members=SHAPE_MEMBERS, tz=morning_zone(now))
    standin, accepted = standin_for(shape)
    await standin.start()
    await add_people(postgres_url, shape, now=now)
    expected = await add_due_reminders(postgres_url, shape, now=now, per_set=PER_SET, first_id=1)
    assert expected == 2000
    env = instance_env(
        standin,
        postgres_url,
        SWEEP_INTERVAL_SECONDS="0.5",
        OUTBOX_LEASE_SECONDS="3",
        SCHEDULED_POSTS_PER_MINUTE="6000",  # one reminder per person: only the workspace pace applies
    )
    db = Database.from_url(postgres_url)
    peak: Counter[int] = Counter()
    sampling = asyncio.Event()
    started = asyncio.get_running_loop().time()
    try:
        async with AsyncExitStack() as stack:
            instances = [await stack.enter_async_context(instance(env, tmp_path)) for _ in range(INSTANCES)]
            await asyncio.gather(*(one.app.wait_healthy(30) for one in instances))
            sampler = asyncio.create_task(count_connections(db, instances, peak, sampling))

            # Mid-sweep: once a fifth has gone out, kill an instance that holds claimed rows.
            await wait_for(lambda: accepted.total >= expected // 5, timeout=60)
            holding = Counter(pid_of(by) for _, status, by, _ in await claims(db) if status == "sending" and by)
            victim = next(one for one in instances if holding[one.pid])
            assert await victim.stop(signal.SIGKILL) == -signal.SIGKILL
            killed_after = accepted.total
            stranded = {
                key
                for key, status, by, _ in await claims(db)
                if status == "sending" and by and pid_of(by) == victim.pid
            }
            survivors = [one for one in instances if one is not victim]

            await wait_for(lambda: len(accepted.keys) >= expected, timeout=120)

            async def settled() -> bool:
                return all(status not in ("pending", "sending") for _, status, _, _ in await claims(db))

            await wait_for(settled, timeout=30)
            await asyncio.sleep(1.5)  # three more ticks each: nothing else may go out
            sampling.set()
            await sampler
            for one in survivors:
                assert await one.stop() == 0
        elapsed = asyncio.get_running_loop().time() - started
        rows = await claims(db)
    finally:
        await db.dispose()
        await standin.stop()

    # Exactly once, counted at Slack.
    assert len(accepted.keys) == expected
    assert set(accepted.keys.values()) == {1}, [k for k, n in accepted.keys.items() if n > 1]
    assert len(rows) == expected
    assert {status for _, status, _, _ in rows} == {"sent"}
    # The kill stranded claimed rows; the survivors took them over (a second attempt each) after
    # looking for them in Slack first.
    # At most a batch, plus any row whose lease ran out while the victim was starved of CPU (it
    # gave up on those, leaving them to be claimed again by whoever sweeps next).
    assert 0 < len(stranded) <= 2 * CLAIM_BATCH
    taken_over = {key: pid_of(by) for key, _, by, attempts in rows if key in stranded and by}
    assert set(taken_over) == stranded
    assert set(taken_over.values()) <= {one.pid for one in survivors}
    assert all(attempts >= 2 for key, _, _, attempts in rows if key in stranded)
    assert len(standin.calls_to("conversations.history")) >= len(stranded)
    # The work was shared: both survivors sent a part of it.
    senders = Counter(pid_of(by) for _, _, by, _ in rows if by)
    assert all(senders[one.pid] > 0 for one in survivors), senders
    # Each instance's pool stayed within its bound (and the sampling saw every one of them).
    assert all(0 < peak[one.pid] <= MAX_CONNECTIONS_PER_INSTANCE for one in instances), peak
    logs = "\n".join(line for one in instances for line in one.log)
    assert "Traceback" not in logs
    print(  # numbers for the report (pytest -s)
        f"\n{expected} reminders, {INSTANCES} instances, one killed after {killed_after} had gone out, "
        f"{len(stranded)} claims stranded; drained in {elapsed:.1f} s; peak connections {dict(peak)}; "
        f"sent per instance {dict(senders)}"
    )


async def test_an_event_delivered_to_two_instances_takes_effect_once(tmp_path: Path, postgres_url: str) -> None:
    standin = SlackStandin()
    await standin.start()
    ada = standin.workspace.add_user("Ada Lovelace")
    env = instance_env(standin, postgres_url, SWEEP_INTERVAL_SECONDS="3600")
    try:
        async with instance(env, tmp_path) as one, instance(env, tmp_path) as two:
            await asyncio.gather(one.app.wait_healthy(30), two.app.wait_healthy(30))
            to_one = SlackDriver(standin, one.url, SIGNING_SECRET)
            to_two = SlackDriver(standin, two.url, SIGNING_SECRET)
            event = {"type": "app_home_opened", "user": ada.id, "channel": "D0ADA", "tab": "home"}

            # Slack's retry of an event the first instance handled goes to the second.
            first = await to_one.event(event, event_id="Ev0SCALE01")
            await standin.wait_for_call("views.publish", 1)
            retry = await to_two.event(event, event_id="Ev0SCALE01", retry_num=1)
            # The original and its retry reaching both at the same moment.
            together = await asyncio.gather(
                to_one.event(event, event_id="Ev0SCALE02"), to_two.event(event, event_id="Ev0SCALE02", retry_num=1)
            )
            # Then a new event to each, so each has shown it is past the duplicates.
            await to_one.event(event, event_id="Ev0SCALE03")
            await to_two.event(event, event_id="Ev0SCALE04")
            await standin.wait_for_call("views.publish", 4, timeout=10)
            await asyncio.sleep(0.5)  # room for a duplicate's publish, had one slipped through
            await to_one.close()
            await to_two.close()
            assert await one.stop() == 0
            assert await two.stop() == 0
        db = Database.from_url(postgres_url)
        seen = await db.scalar("SELECT count(*) FROM processed_event WHERE event_id LIKE 'Ev0SCALE%'")
        await db.dispose()
    finally:
        await standin.stop()

    assert [first.status, retry.status, *(r.status for r in together)] == [200, 200, 200, 200]
    assert len(standin.calls_to("views.publish")) == 4  # Ev0SCALE01, 02, 03, 04: once each
    assert seen == 4
    assert len(one.logged("ignored a repeated delivery")) + len(two.logged("ignored a repeated delivery")) == 2
