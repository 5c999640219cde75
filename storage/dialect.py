"""Statements whose spelling differs between SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession


def insert_ignoring_conflicts(session: AsyncSession, table: Any, **values: Any) -> Any:
    """INSERT ... ON CONFLICT DO NOTHING for the session's backend."""
    dialect = session.get_bind().dialect.name
    module = postgresql if dialect == "postgresql" else sqlite
    return module.insert(table).values(**values).on_conflict_do_nothing()


def insert_rows_ignoring_conflicts(session: AsyncSession, table: Any, rows: list[dict[str, Any]]) -> Any:
    """A multi-row INSERT ... ON CONFLICT DO NOTHING for the session's backend."""
    dialect = session.get_bind().dialect.name
    module = postgresql if dialect == "postgresql" else sqlite
    return module.insert(table).values(rows).on_conflict_do_nothing()


def skip_rows_being_planned(session: AsyncSession, query: Any, *, of: Any) -> Any:
    """On PostgreSQL, lock the rows a planner reads and skip those another instance holds, so two
    instances never plan the same schedule at once; SQLite has one writer anyway."""
    if session.get_bind().dialect.name == "postgresql":
        return query.with_for_update(skip_locked=True, of=of)
    return query
