"""Column types that behave the same on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, Dialect, String, Text
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp that goes in aware and always comes back aware, in UTC.

    PostgreSQL keeps the instant in `timestamptz`; SQLite silently drops offsets, so the value is
    converted to UTC before it is stored and marked as UTC when it is read.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("refusing to store a naive datetime: give it a time zone")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if not isinstance(value, datetime):  # pragma: no cover - drivers always give datetimes
            raise TypeError(f"expected a datetime, got {type(value).__name__}")
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _without_nul(value: str | None) -> str | None:
    return value.replace("\x00", "") if isinstance(value, str) else value


class CleanString(TypeDecorator[str]):
    """A VARCHAR that never sends a NUL character to the database. PostgreSQL's text types cannot
    hold one (the query fails) and SQLite would keep it; no Slack client can type one, so it is
    dropped, the same way on both, in stored values and in the values queries compare with."""

    impl = String
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        return _without_nul(value)


class CleanText(TypeDecorator[str]):
    """TEXT, with NUL characters dropped as in CleanString."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        return _without_nul(value)
