"""On a SQLite file, read units of work run on the event loop's thread (storage.sqlite_reader),
writes on aiosqlite's: reads see what was committed, never wait for the write lock, and cannot
write."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Connection, event, func, select, text
from sqlalchemy.exc import OperationalError

from storage.compiled_reads import rows
from storage.database import Database
from storage.models import ProcessedEvent

NOW = datetime(2026, 12, 5, 9, 0, tzinfo=UTC)
EVENTS = select(func.count()).select_from(ProcessedEvent)


@pytest.fixture
def sqlite_url(database_url: str) -> str:
    if not database_url.startswith("sqlite"):
        pytest.skip("PostgreSQL reads and writes share one engine")
    return database_url


async def _thread_of_read(db: Database) -> int:
    async with db.read() as uow:
        connection = await uow.session.connection()
        driver = (await connection.get_raw_connection()).driver_connection
        assert driver is not None
        await driver.create_function("thread_id", 0, threading.get_ident)
        return int((await uow.session.execute(text("SELECT thread_id()"))).scalar_one())


async def test_reads_run_on_the_event_loop_thread_and_writes_do_not(sqlite_url: str) -> None:
    db = Database.from_url(sqlite_url)
    try:
        assert await _thread_of_read(db) == threading.get_ident()
        async with db.write() as uow:
            connection = await uow.session.connection()
            driver = (await connection.get_raw_connection()).driver_connection
            assert driver is not None
            await driver.create_function("thread_id", 0, threading.get_ident)
            writer_thread = (await uow.session.execute(text("SELECT thread_id()"))).scalar_one()
        assert writer_thread != threading.get_ident()
    finally:
        await db.dispose()


async def test_a_read_sees_each_committed_write_and_no_uncommitted_one(sqlite_url: str) -> None:
    db = Database.from_url(sqlite_url)
    try:
        for n in range(1, 4):
            async with db.write() as uow:
                assert await uow.events.add_if_new(f"event-{n}", NOW)
            async with db.read() as uow:
                seen = (await uow.session.execute(text("SELECT count(*) FROM processed_event"))).scalar_one()
            assert seen == n
        async with db.write() as uow:
            assert await uow.events.add_if_new("not-yet", NOW)
            await uow.flush()
            async with db.read() as reader:
                ids = (await reader.session.execute(text("SELECT event_id FROM processed_event"))).scalars().all()
            assert "not-yet" not in ids and len(ids) == 3
    finally:
        await db.dispose()


async def test_a_read_does_not_wait_while_a_writer_holds_the_lock(sqlite_url: str) -> None:
    """The writer holds SQLite's write lock for 0.5 s; a read meanwhile answers with what was
    committed before, well before the writer lets go (the busy timeout is 10 s)."""
    db = Database.from_url(sqlite_url)
    try:
        async with db.write() as uow:
            assert await uow.events.add_if_new("before", NOW)
        holding = asyncio.Event()

        async def hold_the_lock() -> None:
            async with db.write() as uow:
                assert await uow.events.add_if_new("during", NOW)
                await uow.flush()
                holding.set()
                await asyncio.sleep(0.5)

        writer = asyncio.create_task(hold_the_lock())
        await holding.wait()
        started = time.perf_counter()
        async with db.read() as uow:
            ids = (await uow.session.execute(text("SELECT event_id FROM processed_event"))).scalars().all()
        waited = time.perf_counter() - started
        assert not writer.done()
        assert ids == ["before"]
        assert waited < 0.4
        await writer
        async with db.read() as uow:
            ids = (await uow.session.execute(text("SELECT event_id FROM processed_event"))).scalars().all()
        assert sorted(ids) == ["before", "during"]
    finally:
        await db.dispose()


async def test_a_write_in_a_read_unit_of_work_fails_at_once_and_changes_nothing(sqlite_url: str) -> None:
    db = Database.from_url(sqlite_url)
    try:
        async with db.read() as uow:
            with pytest.raises(OperationalError, match="readonly"):
                await uow.events.add_if_new("sneaked-in", NOW)
        async with db.read() as uow:
            count = (await uow.session.execute(text("SELECT count(*) FROM processed_event"))).scalar_one()
        assert count == 0
    finally:
        await db.dispose()


async def test_a_new_database_file_is_read_in_wal_mode_even_when_read_first(tmp_path: Path) -> None:
    """Reading first must not leave the file in rollback-journal mode, where readers wait for
    writers."""
    db = Database.from_url(f"sqlite+aiosqlite:///{tmp_path / 'fresh.db'}")
    try:
        async with db.read() as uow:
            mode = (await uow.session.execute(text("PRAGMA journal_mode"))).scalar_one()
        assert mode == "wal"
    finally:
        await db.dispose()


async def test_requests_reading_at_once_share_a_connection_and_open_no_more(sqlite_url: str) -> None:
    """A read unit of work gives its connection back as it ends. Closed in a task of its own (as
    SQLAlchemy's `async with` closes a session) it would keep it over a turn of the event loop, so
    ten requests at once would take ten connections, five beyond what the pool keeps, each opened
    and closed again: twenty rounds of ten opened 105 connections."""
    db = Database.from_url(sqlite_url)
    opened = 0

    def count(*_: object) -> None:
        nonlocal opened
        opened += 1

    assert db.reader_engine is not None
    event.listen(db.reader_engine.sync_engine, "connect", count)
    try:

        async def read(n: int) -> int:
            async with db.read() as uow:
                return int((await uow.session.execute(text("SELECT :n"), {"n": n})).scalar_one())

        for _ in range(20):
            assert await asyncio.gather(*(read(n) for n in range(10))) == list(range(10))
        assert opened == 1
    finally:
        await db.dispose()


async def test_plain_reads_see_what_was_committed_and_cannot_write(sqlite_url: str) -> None:
    """Database.read_rows runs plain Core queries on a SQLite file of its own engine: it sees each
    committed write, and a write attempted through it fails at once and changes nothing."""
    db = Database.from_url(sqlite_url)

    def count(conn: Connection) -> int:
        return int(conn.execute(text("SELECT count(*) FROM processed_event")).scalar_one())

    def sneak_in(conn: Connection) -> None:
        conn.execute(text("INSERT INTO processed_event (event_id, received_at) VALUES ('x', '2026-12-05')"))

    try:
        assert db.plain_reader_engine is not None
        for n in range(1, 3):
            async with db.write() as uow:
                assert await uow.events.add_if_new(f"event-{n}", NOW)
            assert await db.read_rows(count) == n
        with pytest.raises(OperationalError, match="readonly"):
            await db.read_rows(sneak_in)
        assert await db.read_rows(count) == 2
    finally:
        await db.dispose()


async def test_plain_reads_keep_one_connection_and_a_read_that_finds_it_taken_gets_another(sqlite_url: str) -> None:
    """Plain reads run one after another on the event loop's thread, all on one kept connection; a
    read from another thread while that connection is in use gets one of its own from the pool, and
    both see the same data. dispose() closes the kept connection."""
    db = Database.from_url(sqlite_url)
    assert db.plain_reader_engine is not None
    pool = db.plain_reader_engine.pool
    opened = 0

    def count_opened(*_: object) -> None:
        nonlocal opened
        opened += 1

    event.listen(db.plain_reader_engine, "connect", count_opened)

    def events_and_driver(conn: Connection) -> tuple[int, object]:
        seen = int(conn.execute(text("SELECT count(*) FROM processed_event")).scalar_one())
        return seen, conn.connection.dbapi_connection

    try:
        async with db.write() as uow:
            assert await uow.events.add_if_new("event-1", NOW)
        drivers = {id((await db.read_rows(events_and_driver))[1]) for _ in range(20)}
        assert len(drivers) == 1 and opened == 1

        def read_while_another_reads(conn: Connection) -> tuple[tuple[int, object], tuple[int, object]]:
            other: list[tuple[int, object]] = []
            thread = threading.Thread(target=lambda: other.append(asyncio.run(db.read_rows(events_and_driver))))
            thread.start()
            thread.join(timeout=10)
            assert not thread.is_alive(), "the other thread's read waited for this one"
            return events_and_driver(conn), other[0]

        mine, theirs = await db.read_rows(read_while_another_reads)
        assert mine[0] == theirs[0] == 1
        assert mine[1] is not theirs[1] and id(mine[1]) in drivers
        assert opened == 2
        assert (await db.read_rows(events_and_driver))[1] is mine[1]  # the kept one again
        assert pool.checkedout() == 1  # the kept one; the other went back
    finally:
        await db.dispose()
    assert pool.checkedout() == 0


async def test_a_plain_read_that_fails_ends_its_transaction(sqlite_url: str) -> None:
    """A plain read's transaction is begun on SQLite's driver and ended however the read ends, both
    for reads on the driver's cursor and for reads through SQLAlchemy's execution: a transaction
    left open would keep the next read on an old snapshot (or make its BEGIN fail)."""
    db = Database.from_url(sqlite_url)

    def on_cursor(conn: Connection) -> int:
        return int(rows(conn, EVENTS, {})[0][0])

    def through_sqlalchemy(conn: Connection) -> int:
        return int(conn.execute(EVENTS).scalar_one())

    def failing(read: Callable[[Connection], int]) -> Callable[[Connection], int]:
        def fail(conn: Connection) -> int:
            read(conn)
            raise LookupError("the read failed after reading")

        return fail

    try:
        for n, read in enumerate([on_cursor, through_sqlalchemy, on_cursor, through_sqlalchemy], start=1):
            with pytest.raises(LookupError):
                await db.read_rows(failing(read))
            async with db.write() as uow:
                assert await uow.events.add_if_new(f"event-{n}", NOW)
            assert await db.read_rows(on_cursor) == n
            assert await db.read_rows(through_sqlalchemy) == n
            kept = db._kept
            assert kept is not None and not kept.in_transaction()
            assert kept.connection.dbapi_connection is not None
            assert not kept.connection.dbapi_connection.in_transaction
    finally:
        await db.dispose()
