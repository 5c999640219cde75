"""Each instance's connection pool stays within 20 connections, so that several instances fit in
PostgreSQL's default max_connections (100). The three-process test (tests/e2e/test_instances.py)
also counts them in pg_stat_activity."""

from __future__ import annotations

import asyncio

from sqlalchemy import text
from sqlalchemy.pool import QueuePool

from storage.database import Database

MAX_CONNECTIONS_PER_INSTANCE = 20


async def test_each_instance_pool_is_bounded_at_20(database_url: str) -> None:
    db = Database.from_url(database_url)
    try:
        pool = db.engine.pool
        assert isinstance(pool, QueuePool)
        assert pool.size() + pool._max_overflow <= MAX_CONNECTIONS_PER_INSTANCE
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
