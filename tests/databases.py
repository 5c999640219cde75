"""Test databases: SQLite always, PostgreSQL too when TEST_DATABASE_URL is set.

Each backend is migrated once per session; each test then gets an empty database (a copy of the
migrated SQLite file, or the PostgreSQL tables truncated).
"""

from __future__ import annotations

import asyncio
import os
import shutil
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from bot.settings import normalize_database_url
from storage.migrate import upgrade_to_head
from storage.models import Base

BACKENDS = ["sqlite", *(["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])]


def postgres_url() -> str:
    return normalize_database_url(os.environ["TEST_DATABASE_URL"])


async def reset_postgres_schema(url: str) -> None:
    engine = create_async_engine(url)
    async with engine.begin() as conn:
        await conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        await conn.execute(text("CREATE SCHEMA public"))
    await engine.dispose()


async def truncate_postgres(url: str) -> None:
    engine = create_async_engine(url)
    tables = ", ".join(t.name for t in Base.metadata.sorted_tables)
    async with engine.begin() as conn:
        await conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    await engine.dispose()


async def migrate_url(url: str) -> None:
    engine = create_async_engine(url)
    await upgrade_to_head(engine)
    await engine.dispose()


class TemplateDatabases:
    """Migrated once per session; `fresh(backend, tmp)` hands out an empty, migrated database."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._sqlite_template: Path | None = None
        self._postgres_ready = False

    def fresh(self, backend: str, tmp: Path) -> str:
        if backend == "sqlite":
            if self._sqlite_template is None:
                template = self.root / "template.db"
                asyncio.run(migrate_url(f"sqlite+aiosqlite:///{template}"))
                self._sqlite_template = template
            target = tmp / "als.db"
            shutil.copy(self._sqlite_template, target)
            return f"sqlite+aiosqlite:///{target}"
        url = postgres_url()
        if not self._postgres_ready:
            asyncio.run(reset_postgres_schema(url))
            asyncio.run(migrate_url(url))
            self._postgres_ready = True
        else:
            asyncio.run(truncate_postgres(url))
        return url

    def blank(self, backend: str, tmp: Path) -> str:
        """An empty, unmigrated database."""
        if backend == "sqlite":
            return f"sqlite+aiosqlite:///{tmp / 'blank.db'}"
        url = postgres_url()
        asyncio.run(reset_postgres_schema(url))
        self._postgres_ready = False
        return url
