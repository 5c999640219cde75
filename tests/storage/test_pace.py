"""The shared pace's record: created on first use, read under a lock that a second instance waits
for, and written back only by the transaction that took the turn."""

from __future__ import annotations

import asyncio

from sqlalchemy import select

from storage.database import Database
from storage.models import PostPace
from storage.repositories.pace import NEVER, WORKSPACE


async def test_first_use_creates_the_rows_and_a_booking_is_read_back(database_url: str) -> None:
    db = Database.from_url(database_url)
    try:
        async with db.write() as uow:
            assert await uow.pace.hold("T1", "D1") == (NEVER, NEVER)
            await uow.pace.book("T1", "D1", channel_free=1001.5, tat=1000.25)
        async with db.write() as uow:
            assert await uow.pace.hold("T1", "D1") == (1001.5, 1000.25)
            assert await uow.pace.hold("T1", "D2") == (NEVER, 1000.25)  # the workspace's pace, a new channel
            assert await uow.pace.hold("T2", "D1") == (NEVER, NEVER)  # another workspace is another record
        async with db.read() as uow:
            rows = [tuple(r) for r in (await uow.session.execute(select(PostPace.team_id, PostPace.target))).all()]
        assert sorted(rows) == [("T1", WORKSPACE), ("T1", "D1"), ("T1", "D2"), ("T2", WORKSPACE), ("T2", "D1")]
    finally:
        await db.dispose()


async def test_a_second_instance_reads_the_record_only_after_the_first_has_booked(database_url: str) -> None:
    """Two engines, as two processes would have: the second hold waits for the first transaction,
    then sees its booking (on PostgreSQL by the row lock, on SQLite by the single writer)."""
    first, second = Database.from_url(database_url), Database.from_url(database_url)
    try:
        async with first.write() as uow:  # the rows exist before the race, as they do after a first post
            await uow.pace.hold("T1", "D1")
        holding, seen = asyncio.Event(), []

        async def one() -> None:
            async with first.write() as uow:
                await uow.pace.hold("T1", "D1")
                holding.set()
                await asyncio.sleep(0.3)  # the other instance tries meanwhile
                await uow.pace.book("T1", "D1", channel_free=2001.0, tat=2000.0)

        async def two() -> None:
            await holding.wait()
            async with second.write() as uow:
                seen.append(await uow.pace.hold("T1", "D1"))

        await asyncio.gather(one(), two())
        assert seen == [(2001.0, 2000.0)]
    finally:
        await first.dispose()
        await second.dispose()
