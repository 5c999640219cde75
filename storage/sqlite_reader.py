"""Reads of a SQLite file run on the event loop's own thread.

aiosqlite runs each call on a thread of its own and the event loop waits for every answer: a read
unit of work with one query makes eight such round trips, four more per further query, and each
costs about as much as a small query itself. In WAL mode a reader never waits for a writer, so
reads are run where they are asked for. Writes stay on aiosqlite's thread: waiting there for the
write lock (up to the busy timeout) cannot stall the event loop.

A reader connection is an aiosqlite connection that runs each call at once instead of queueing it
to its thread, so SQLAlchemy's aiosqlite dialect drives it unchanged. storage.database opens it
`query_only`: a write attempted in a read unit of work fails at once instead of waiting on the
event loop for the lock.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable, Generator
from functools import partial
from typing import Any

import aiosqlite
from sqlalchemy import Engine, create_engine
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from storage.sqlite_lock import database_file

_Call = tuple["asyncio.Future[Any] | None", Callable[[], Any]]


class _RunAtOnce:
    """Takes the place of aiosqlite's queue to its thread (SQLAlchemy also puts calls on it)."""

    def put_nowait(self, call: _Call) -> None:
        future, function = call
        try:
            result = function()
        except Exception as error:
            if future is not None:
                future.set_exception(error)
        else:
            if future is not None:
                future.set_result(result)


class InlineConnection(aiosqlite.Connection):
    """An aiosqlite connection without its thread: every call runs on the caller's thread."""

    def __init__(self, connector: Callable[[], sqlite3.Connection]) -> None:
        super().__init__(connector, iter_chunk_size=64)
        self._tx = _RunAtOnce()  # type: ignore[assignment]

    async def _execute(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        if not self._running or not self._connection:
            raise ValueError("Connection closed")
        return fn(*args, **kwargs)

    def __await__(self) -> Generator[Any, None, aiosqlite.Connection]:
        return (yield from self._connect().__await__())  # at once: there is no thread to start


def create_reader_engine(url: str, **engine_options: Any) -> AsyncEngine | None:
    """An engine whose connections read the SQLite file of `url` on the caller's thread; None when
    `url` is not a SQLite file (an in-memory database is one connection's own)."""
    if database_file(url) is None:
        return None
    parsed = make_url(url)
    args, kwargs = parsed.get_dialect()().create_connect_args(parsed)
    kwargs["check_same_thread"] = False  # the pool may close a connection from another thread

    def connect() -> InlineConnection:
        return InlineConnection(partial(sqlite3.connect, *args, **kwargs))

    return create_async_engine(url, async_creator=connect, **engine_options)


def create_plain_reader_engine(url: str, **engine_options: Any) -> Engine | None:
    """A synchronous engine on the SQLite file of `url`, for reads written as plain Core queries
    (storage.database.Database.read_rows); None when `url` is not a SQLite file."""
    if database_file(url) is None:
        return None
    parsed = make_url(url).set(drivername="sqlite+pysqlite")
    args, kwargs = parsed.get_dialect()().create_connect_args(parsed)
    kwargs["check_same_thread"] = False  # the pool may close a connection from another thread
    return create_engine(parsed, creator=partial(sqlite3.connect, *args, **kwargs), **engine_options)
