"""storage.compiled_reads: a Core SELECT run on SQLite's cursor gives what Connection.execute gives,
in the read's own transaction; elsewhere it is Connection.execute."""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime, timedelta
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import bindparam, event, func, select
from sqlalchemy.engine import Connection

from storage.compiled_reads import AnySelect, compile_read, rows
from storage.database import Database, create_engine
from storage.models import Commitment, LearningSet
from storage.sqlite_lock import database_file
from storage.status import _OPEN_ROUNDS, _OWN_OPEN_COMMITMENTS, _SET_OF_CHANNEL
from tests.storage.test_status_read import AT, a_commitment
from tests.storage.test_storage import a_set

# Dates and aware datetimes both ways, an IN list of dates the statement holds, NULLs, a count.
_DUE_BETWEEN = (
    select(Commitment.action, Commitment.due_date, Commitment.round_id, Commitment.created_at)
    .where(
        Commitment.set_id == bindparam("set_id"),
        Commitment.due_date >= bindparam("from_date", type_=Commitment.due_date.type),
        Commitment.created_at < bindparam("before", type_=Commitment.created_at.type),
        Commitment.due_date.not_in([date(2026, 12, 25), date(2026, 12, 26)]),
    )
    .order_by(Commitment.due_date, Commitment.id)
)
_PER_DAY = (
    select(Commitment.due_date, func.count())
    .where(Commitment.set_id == bindparam("set_id"))
    .group_by(Commitment.due_date)
    .order_by(Commitment.due_date)
)


async def _a_set_with_commitments(db: Database) -> LearningSet:
    async with db.write() as uow:
        learning_set = await uow.sets.add(
            a_set(next_meeting_at=datetime(2026, 12, 3, 14, 30, tzinfo=UTC), paused_until_date=date(2026, 12, 1))
        )
        for n, due in enumerate([date(2026, 11, 30), date(2026, 12, 25), date(2026, 12, 2), date(2026, 12, 2)]):
            commitment = a_commitment(learning_set.id, f"U{n}", f"action {n}", due)
            commitment.created_at = AT + timedelta(hours=n)
            await uow.commitments.add(commitment)
    return learning_set


def _both(conn: Connection, statement: AnySelect, params: dict[str, Any]) -> tuple[list[Any], list[Any]]:
    executed = [tuple(row) for row in conn.execute(statement, params)]
    return rows(conn, statement, params), executed


async def test_rows_are_what_connection_execute_gives(database_url: str) -> None:
    db = Database.from_url(database_url)
    try:
        learning_set = await _a_set_with_commitments(db)
        of_set = learning_set.id
        cases: list[tuple[AnySelect, dict[str, Any]]] = [
            (_DUE_BETWEEN, {"set_id": of_set, "from_date": date(2026, 12, 1), "before": AT + timedelta(days=1)}),
            (_DUE_BETWEEN, {"set_id": of_set, "from_date": date(2026, 1, 1), "before": AT + timedelta(hours=2)}),
            (_PER_DAY, {"set_id": of_set}),
            (_SET_OF_CHANNEL, {"team_id": "T1", "channel_id": "C1"}),
            (_SET_OF_CHANNEL, {"team_id": "T1", "channel_id": "nowhere"}),
            (_OPEN_ROUNDS, {"set_id": of_set}),
            (_OWN_OPEN_COMMITMENTS, {"set_id": of_set, "user_id": "U2"}),
        ]
        # Without the plain reader (an in-memory SQLite database has none), read_rows goes through
        # the async engine: on SQLite the driver is then aiosqlite's, behind SQLAlchemy's adapter.
        through_async_engine = Database(create_engine(database_url))
        try:
            for statement, params in cases:
                found, executed = await db.read_rows(partial(_both, statement=statement, params=params))
                assert found == executed
                again, _ = await through_async_engine.read_rows(partial(_both, statement=statement, params=params))
                assert again == executed
        finally:
            await through_async_engine.dispose()

        found, _ = await db.read_rows(partial(_both, statement=_DUE_BETWEEN, params=cases[0][1]))
        assert found == [  # not the 25th, nor before December
            ("action 2", date(2026, 12, 2), None, AT + timedelta(hours=2)),
            ("action 3", date(2026, 12, 2), None, AT + timedelta(hours=3)),
        ]
        assert found[0][3].tzinfo is not None
        (set_row,) = (await db.read_rows(partial(_both, statement=_SET_OF_CHANNEL, params=cases[3][1])))[0]
        assert set_row[5] == datetime(2026, 12, 3, 14, 30, tzinfo=UTC)
        in_new_york = (AT + timedelta(hours=2, minutes=30)).astimezone(ZoneInfo("America/New_York"))
        by_then = {"set_id": of_set, "from_date": date(2026, 1, 1), "before": in_new_york}
        found, executed = await db.read_rows(partial(_both, statement=_DUE_BETWEEN, params=by_then))
        assert found == executed
        assert [action for action, *_ in found] == ["action 0", "action 2"]  # by 12:30 UTC, not the 25th
        per_day, _ = await db.read_rows(partial(_both, statement=_PER_DAY, params=cases[2][1]))
        assert per_day == [(date(2026, 11, 30), 1), (date(2026, 12, 2), 2), (date(2026, 12, 25), 1)]
    finally:
        await db.dispose()


async def test_on_sqlite_rows_go_to_the_driver_not_through_sqlalchemys_execution(database_url: str) -> None:
    if not database_url.startswith("sqlite"):
        pytest.skip("elsewhere rows is Connection.execute")
    db = Database.from_url(database_url)
    try:
        learning_set = await _a_set_with_commitments(db)
        assert db.plain_reader_engine is not None
        executed: list[str] = []
        event.listen(db.plain_reader_engine, "before_cursor_execute", lambda *args: executed.append(args[2]))
        found = await db.read_rows(partial(rows, statement=_PER_DAY, params={"set_id": learning_set.id}))
        assert len(found) == 3
        assert executed == []  # neither the SELECT nor the BEGIN went through SQLAlchemy's execution
        await db.read_rows(lambda conn: conn.execute(_PER_DAY, {"set_id": learning_set.id}).all())
        assert len(executed) == 1  # (the listener does see what does)
    finally:
        await db.dispose()


async def test_a_read_sees_one_snapshot_though_a_write_commits_in_between(database_url: str) -> None:
    """Every statement of one read_rows is in one transaction (its BEGIN is the driver's)."""
    path = database_file(database_url)
    if path is None:
        pytest.skip("the plain reader is SQLite's")
    db = Database.from_url(database_url)
    try:
        learning_set = await _a_set_with_commitments(db)
        of_set = {"set_id": learning_set.id}
        count = select(func.count()).select_from(Commitment).where(Commitment.set_id == bindparam("set_id"))

        def read_write_read(conn: Connection) -> tuple[int, int]:
            before = rows(conn, count, of_set)[0][0]
            other = sqlite3.connect(path)
            try:
                other.execute("UPDATE commitment SET set_id = set_id + 1000 WHERE set_id = ?", (learning_set.id,))
                other.commit()
            finally:
                other.close()
            return before, rows(conn, count, of_set)[0][0]

        assert await db.read_rows(read_write_read) == (4, 4)
        assert await db.read_rows(partial(rows, statement=count, params=of_set)) == [(0,)]  # the next read sees it
    finally:
        await db.dispose()


def test_a_missing_value_is_named_and_an_in_list_per_call_is_refused() -> None:
    from sqlalchemy.dialects import sqlite as sqlite_dialect

    dialect = sqlite_dialect.dialect()
    compiled = compile_read(_OWN_OPEN_COMMITMENTS, dialect)
    assert compiled.names == ("set_id", "user_id", "status_1")
    assert compiled.fixed == {"status_1": "open"}
    with pytest.raises(ValueError, match="user_id"):
        compiled.run(None, {"set_id": 1})  # type: ignore[arg-type]
    per_call = select(LearningSet.id).where(LearningSet.id.in_(bindparam("ids", expanding=True)))
    with pytest.raises(ValueError, match="IN list"):
        compile_read(per_call, dialect)
