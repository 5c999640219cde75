"""The shared pace's record: created on first use, read under a lock that a second instance waits
for, and written back only by the transaction that took the turns."""

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
            assert await uow.pace.hold("T1", ["D1", "D2"]) == ({"D1": NEVER, "D2": NEVER}, NEVER)
            await uow.pace.book("T1", {"D1": 1001.5, "D2": 1002.0}, tat=1000.25)
        async with db.write() as uow:
            assert await uow.pace.hold("T1", ["D2", "D1", "D3"]) == ({"D1": 1001.5, "D2": 1002.0, "D3": NEVER}, 1000.25)
            await uow.pace.book("T1", {"D3": 1003.0}, tat=1000.5)  # only what was booked changes
            assert await uow.pace.hold("T2", ["D1"]) == ({"D1": NEVER}, NEVER)  # another workspace, another record
        async with db.read() as uow:
            rows = [
                tuple(r)
                for r in (await uow.session.execute(select(PostPace.team_id, PostPace.target, PostPace.free_at))).all()
            ]
        assert sorted(rows) == [
            ("T1", WORKSPACE, 1000.5),
            ("T1", "D1", 1001.5),
            ("T1", "D2", 1002.0),
            ("T1", "D3", 1003.0),
            ("T2", WORKSPACE, NEVER),
            ("T2", "D1", NEVER),
        ]
    finally:
        await db.dispose()


async def test_a_second_instance_reads_the_record_only_after_the_first_has_booked(database_url: str) -> None:
    """Two engines, as two processes would have: the second hold waits for the first transaction,
    then sees its booking (on PostgreSQL by the row lock, on SQLite by the single writer)."""
    first, second = Database.from_url(database_url), Database.from_url(database_url)
    try:
        async with first.write() as uow:  # the rows exist before the race, as they do after a first post
            await uow.pace.hold("T1", ["D1"])
        holding, seen = asyncio.Event(), []

        async def one() -> None:
            async with first.write() as uow:
                await uow.pace.hold("T1", ["D1"])
                holding.set()
                await asyncio.sleep(0.3)  # the other instance tries meanwhile
                await uow.pace.book("T1", {"D1": 2001.0}, tat=2000.0)

        async def two() -> None:
            await holding.wait()
            async with second.write() as uow:
                seen.append(await uow.pace.hold("T1", ["D1"]))

        await asyncio.gather(one(), two())
        assert seen == [({"D1": 2001.0}, 2000.0)]
    finally:
        await first.dispose()
        await second.dispose()
