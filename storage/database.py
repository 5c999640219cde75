"""Engine and sessions: one unit of work per request or job, SQLite tuned for a single writer."""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any, TypeVar

from sqlalchemy import Engine, event, text
from sqlalchemy.engine import Connection
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlalchemy.pool import ConnectionPoolEntry, PoolResetState

from storage.sqlite_reader import create_plain_reader_engine, create_reader_engine
from storage.unit_of_work import UnitOfWork

T = TypeVar("T")

SQLITE_BUSY_TIMEOUT_MS = 10_000
# Each engine keeps a connection once opened, up to 20 (on PostgreSQL, three instances use 60 of
# the server's default 100). A pool that keeps fewer closes each connection beyond them as it is
# given back and opens another for the next request: on PostgreSQL, ten requests at once opened
# 612 connections for 1,200 reads of `/als status` with 5 kept, and 10 with 20 kept (4.8 -> 3.2 ms
# CPU a request).
POOL_SIZE = 20
MAX_OVERFLOW = 0


def create_engine(url: str) -> AsyncEngine:
    if url.startswith("sqlite"):
        engine = create_async_engine(
            url,
            connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
            pool_reset_on_return=None,  # see _on_reset
            pool_size=POOL_SIZE,
            max_overflow=MAX_OVERFLOW,
        )
        _tune_sqlite(engine.sync_engine)
        return engine
    return create_async_engine(
        url, pool_size=POOL_SIZE, max_overflow=MAX_OVERFLOW, pool_pre_ping=True, pool_recycle=1800
    )


def create_sqlite_reader(url: str) -> AsyncEngine | None:
    """For a SQLite file, an engine for reads that runs them on the event loop's thread
    (storage.sqlite_reader); None otherwise."""
    engine = create_reader_engine(url, pool_reset_on_return=None, pool_size=POOL_SIZE, max_overflow=MAX_OVERFLOW)
    if engine is not None:
        _tune_sqlite(engine.sync_engine, read_only=True)
    return engine


def create_plain_sqlite_reader(url: str) -> Engine | None:
    """For a SQLite file, a synchronous engine for Database.read_rows; None otherwise."""
    engine = create_plain_reader_engine(url, pool_reset_on_return=None, pool_size=POOL_SIZE, max_overflow=MAX_OVERFLOW)
    if engine is not None:
        _tune_sqlite(engine, read_only=True, on_driver=True)
    return engine


def _tune_sqlite(engine: Engine, *, read_only: bool = False, on_driver: bool = False) -> None:
    """WAL, a busy timeout, foreign keys, and transactions that SQLite can run without surprises.

    The driver's own transaction handling is switched off so that SQLAlchemy emits BEGIN itself:
    writers take the lock up front with BEGIN IMMEDIATE (waiting up to the busy timeout) instead of
    failing halfway when a read lock cannot be upgraded. A `read_only` engine's connections refuse
    to write (`query_only`), after making sure the file is in WAL mode, where readers never wait.
    With `on_driver` (the plain reader, whose connections are sqlite3's own), BEGIN goes straight to
    the driver's cursor: 5 µs against 45 through `exec_driver_sql`; a reader's plain BEGIN takes no
    lock, so there is nothing for SQLAlchemy to wait on or translate.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: DBAPIConnection, _record: ConnectionPoolEntry) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        if read_only:
            cursor.execute("PRAGMA query_only=ON")
        cursor.close()

    @event.listens_for(engine, "reset")
    def _on_reset(dbapi_connection: DBAPIConnection, record: ConnectionPoolEntry, state: PoolResetState) -> None:
        """A connection going back to the pool is rolled back only when it is still in a
        transaction: a unit of work has nearly always ended its own already, and each call into
        SQLite's thread costs about as much as a small query."""
        driver = record.driver_connection
        if state.asyncio_safe and not state.terminate_only and (driver is None or driver.in_transaction):
            dbapi_connection.rollback()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        if on_driver:
            driver = conn.connection.dbapi_connection
            assert driver is not None
            if not driver.in_transaction:  # else begun already on the driver (_in_driver_transaction)
                driver.execute("BEGIN")
            return
        mode = conn.get_execution_options().get("sqlite_begin", "")
        conn.exec_driver_sql(f"BEGIN {mode}".strip())


class Database:
    """The application's database: hands out units of work and answers health checks.

    `engine` serves writes, health checks and migrations; `reader`, when given, serves read units
    of work, and `plain_reader` reads of plain Core queries (on SQLite, both run their reads on the
    event loop's thread)."""

    def __init__(
        self, engine: AsyncEngine, reader: AsyncEngine | None = None, plain_reader: Engine | None = None
    ) -> None:
        self.engine = engine
        self.reader_engine = reader
        self.plain_reader_engine = plain_reader
        self._kept: Connection | None = None  # the plain reader's connection, see _read_plain
        self._kept_free = threading.Lock()
        self.dialect = engine.dialect.name
        writer = engine.execution_options(sqlite_begin="IMMEDIATE") if self.dialect == "sqlite" else engine
        self._reader = async_sessionmaker(reader or engine, expire_on_commit=False, autoflush=True)
        self._writer = async_sessionmaker(writer, expire_on_commit=False, autoflush=True)

    @property
    def engines(self) -> tuple[AsyncEngine, ...]:
        return (self.engine,) if self.reader_engine is None else (self.engine, self.reader_engine)

    @classmethod
    def from_url(cls, url: str) -> Database:
        return cls(create_engine(url), create_sqlite_reader(url), create_plain_sqlite_reader(url))

    @asynccontextmanager
    async def read(self) -> AsyncIterator[UnitOfWork]:
        """A unit of work for reading. Closing it ends the transaction; what was loaded stays usable."""
        if self.reader_engine is None:
            async with self._reader() as session:
                yield UnitOfWork(session)
            return
        # SQLAlchemy's `async with` closes a session in a task of its own, so that a cancellation
        # cannot cut the close short; the connection then stays out of the pool for a turn of the
        # event loop, and ten requests at once take more connections than the pool keeps, each
        # extra one opened (its PRAGMAs run) and closed again. Closing a session of the inline
        # reader never waits for anything, so nothing can cut it short: it is closed at once.
        session = self._reader()
        try:
            yield UnitOfWork(session)
        finally:
            await session.close()

    async def read_rows(self, read: Callable[[Connection], T]) -> T:
        """`read(connection)`, plain Core queries (or a synchronous ORM Session on the connection)
        in one read transaction. On a SQLite file it runs at once on the event loop's thread, where
        a reader never waits (WAL), without the layers of an async session, which cost more than
        small queries themselves; elsewhere through the async engine (AsyncConnection.run_sync).
        Every command in a set's channel finds its set here, and `/als status` reads all it shows
        (storage.status, with storage.compiled_reads: 0.33-0.43 ms of CPU on the bench's database,
        against 1.5-1.8 through SQLAlchemy's execution on a connection from the pool)."""
        if self.plain_reader_engine is not None:
            return self._read_plain(self.plain_reader_engine, read)
        async with self.engine.connect() as connection, connection.begin():
            return await connection.run_sync(read)

    def _read_plain(self, engine: Engine, read: Callable[[Connection], T]) -> T:
        """On the connection kept for plain reads, which is nearly always free: a plain read never
        waits, so reads on the event loop's thread run one after another. Taking a connection from
        the pool and giving it back for each read cost half as much again as status's six queries
        (pyinstrument); kept, status took 1.67-1.78 ms of CPU in-process against 2.0-2.4 (four
        alternating runs, one excepted). A read that finds it taken (another thread's) takes one
        from the pool."""
        if not self._kept_free.acquire(blocking=False):
            with engine.connect() as conn:
                return _in_driver_transaction(conn, read)
        try:
            kept = self._kept
            if kept is None or kept.closed or kept.invalidated:
                if kept is not None:
                    kept.close()
                kept = self._kept = engine.connect()
            return _in_driver_transaction(kept, read)
        finally:
            self._kept_free.release()

    @asynccontextmanager
    async def write(self) -> AsyncIterator[UnitOfWork]:
        """A unit of work that commits when the block ends without an exception."""
        async with self._writer() as session, session.begin():
            yield UnitOfWork(session)

    async def ping(self) -> bool:
        try:
            async with self.engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
        except Exception:
            return False
        return True

    async def scalar(self, sql: str, **params: Any) -> Any:
        async with self.engine.connect() as conn:
            return (await conn.execute(text(sql), params)).scalar()

    async def dispose(self) -> None:
        for engine in self.engines:
            await engine.dispose()
        if self.plain_reader_engine is not None:
            with self._kept_free:
                if self._kept is not None:
                    self._kept.close()
                    self._kept = None
            self.plain_reader_engine.dispose()


def _in_driver_transaction(conn: Connection, read: Callable[[Connection], T]) -> T:
    """`read(conn)` in one read transaction begun and ended on SQLite's driver. The reads of
    read_rows run on the driver's cursor (storage.compiled_reads), and SQLAlchemy's transaction
    around them cost 14 of status's 91 µs (in-process, one after another). A read that executes
    through SQLAlchemy all the same makes it begin a transaction of its own, which finds the
    driver's already begun (the plain reader's `begin` event, _tune_sqlite) and is ended here."""
    driver = conn.connection.dbapi_connection
    assert driver is not None
    driver.execute("BEGIN")
    try:
        return read(conn)
    finally:
        if conn.in_transaction():
            conn.rollback()  # ends the driver's transaction too
        elif driver.in_transaction:
            driver.execute("ROLLBACK")  # a read keeps nothing: ending it either way is the same
