"""Each instance's connection pool stays within 20 connections, so that several instances fit in
PostgreSQL's default max_connections (100). The three-process test (tests/e2e/test_instances.py)
also counts them in pg_stat_activity."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest
from sqlalchemy import event, text
from sqlalchemy.pool import QueuePool

from storage.database import Database

MAX_CONNECTIONS_PER_INSTANCE = 20


async def test_each_instance_pool_is_bounded_at_20(database_url: str) -> None:
    """On SQLite, reads have a pool of their own (storage.sqlite_reader), bounded the same way."""
    db = Database.from_url(database_url)
    try:
        for engine in db.engines:
            assert isinstance(engine.pool, QueuePool)
            assert engine.pool.size() + engine.pool._max_overflow <= MAX_CONNECTIONS_PER_INSTANCE
        pool = (db.reader_engine or db.engine).pool
        assert isinstance(pool, QueuePool)
        # and the bound holds under load: 40 transactions at once never hold more than that
        peak = 0

        async def hold() -> None:
            nonlocal peak
            async with db.read() as uow:
                await uow.session.execute(text("SELECT 1"))
                await asyncio.sleep(0.05)
                peak = max(peak, pool.checkedout())

        await asyncio.gather(*(hold() for _ in range(40)))
        assert 1 < peak <= MAX_CONNECTIONS_PER_INSTANCE
    finally:
        await db.dispose()


async def test_connections_are_kept_for_the_next_requests_not_opened_for_each(database_url: str) -> None:
    """Twenty rounds of ten reads at once, each holding its connection over a few turns of the
    event loop (as a request does while it waits for the database), open ten connections, not a
    new one for each read beyond what the pool keeps (105 on either backend with five kept)."""
    db = Database.from_url(database_url)
    engine = db.reader_engine or db.engine
    opened = 0

    def count(*_: object) -> None:
        nonlocal opened
        opened += 1

    event.listen(engine.sync_engine, "connect", count)
    try:

        async def read(n: int) -> int:
            async with db.read() as uow:
                value = int((await uow.session.execute(text("SELECT :n"), {"n": str(n)})).scalar_one())
                for _ in range(3):
                    await asyncio.sleep(0)
                return value

        for _ in range(20):
            assert await asyncio.gather(*(read(n) for n in range(10))) == list(range(10))
        assert opened == 10
    finally:
        await db.dispose()


async def test_a_connection_given_back_in_a_transaction_is_rolled_back(database_url: str) -> None:
    """On SQLite the pool does not roll back a connection whose unit of work has ended its own
    transaction (each call into SQLite's thread costs about as much as a small query), but one
    given back with a transaction still open is rolled back: no write lock and no half-done write
    outlives it."""
    if not database_url.startswith("sqlite"):
        pytest.skip("PostgreSQL connections are reset as SQLAlchemy resets them")
    db = Database.from_url(database_url)
    now = datetime(2026, 12, 5, tzinfo=UTC)
    try:
        async with db.engine.connect() as conn:
            driver = (await conn.get_raw_connection()).driver_connection
            assert driver is not None
            await driver.execute("BEGIN IMMEDIATE")
            await driver.execute(
                "INSERT INTO processed_event (event_id, received_at) VALUES ('left-open', '2026-12-05 00:00:00')"
            )
            assert driver.in_transaction
        assert not driver.in_transaction
        async with db.write() as uow:  # would wait for the write lock, and fail, had it been kept
            assert await uow.events.add_if_new("after", now)
        async with db.read() as uow:
            stored = (await uow.session.execute(text("SELECT event_id FROM processed_event"))).scalars().all()
        assert stored == ["after"]
    finally:
        await db.dispose()
