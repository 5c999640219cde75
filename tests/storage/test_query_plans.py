"""The sweep reads what is due through an index, so its cost follows what is due, not what is stored."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from storage.database import Database
from storage.repositories.commitments import reminders_due
from storage.repositories.users import stale_people_with_reminders


async def test_the_due_reminders_query_is_served_by_the_next_reminder_index(database_url: str) -> None:
    db = Database.from_url(database_url)
    try:
        async with db.engine.connect() as conn:
            statement = reminders_due(datetime(2026, 11, 25, 9, 0, tzinfo=UTC), 200)
            compiled = statement.compile(dialect=conn.dialect)
            processors = compiled._bind_processors
            params = compiled.construct_params()
            names = compiled.positiontup or list(params)
            values = tuple(processors[n](params[n]) if n in processors else params[n] for n in names)
            if conn.dialect.name == "sqlite":
                rows = await conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}", values)
                plan = " | ".join(str(r[-1]) for r in rows)
            else:
                await conn.exec_driver_sql("SET enable_seqscan = off")  # tiny tables would hide the choice
                rows = await conn.exec_driver_sql(f"EXPLAIN {compiled}", values)
                plan = " | ".join(str(r[0]) for r in rows)
        # A search on the index's range, never a scan of every commitment.
        if conn.dialect.name == "sqlite":
            assert "SEARCH commitment USING INDEX ix_commitment_next_reminder_at (next_reminder_at<?)" in plan, plan
        else:
            assert "Index Cond: (next_reminder_at <=" in plan, plan
            assert "on ix_commitment_next_reminder_at" in plan, plan
    finally:
        await db.dispose()


async def test_the_look_for_profiles_to_refresh_starts_from_the_old_profiles(database_url: str) -> None:
    # Every sweep runs it; it must not read every commitment to find that nobody's profile is old.
    db = Database.from_url(database_url)
    try:
        plan = await _plan(db, stale_people_with_reminders(datetime(2026, 11, 24, 9, 0, tzinfo=UTC), 50))
        assert "ix_slack_user_fetched_at" in plan, plan
        if db.dialect == "sqlite":
            assert "SCAN commitment" not in plan, plan
    finally:
        await db.dispose()


async def _plan(db: Database, statement: Any) -> str:
    async with db.engine.connect() as conn:
        compiled = statement.compile(dialect=conn.dialect)
        processors = compiled._bind_processors
        params = compiled.construct_params()
        names = compiled.positiontup or list(params)
        values = tuple(processors[n](params[n]) if n in processors else params[n] for n in names)
        if conn.dialect.name == "sqlite":
            rows = await conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}", values)
            return " | ".join(str(r[-1]) for r in rows)
        await conn.exec_driver_sql("SET enable_seqscan = off")  # tiny tables would hide the choice
        rows = await conn.exec_driver_sql(f"EXPLAIN {compiled}", values)
        return " | ".join(str(r[0]) for r in rows)
