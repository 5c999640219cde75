"""Throwaway databases: a SQLite file in a temporary folder, or a uniquely named PostgreSQL
database made through a maintenance connection and dropped at the end. Both are migrated with the
app's own migrations."""

from __future__ import annotations

import os
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from bot.settings import normalize_database_url
from storage.database import Database
from storage.migrate import upgrade_to_head

DEFAULT_POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/postgres"


def postgres_url_from_env() -> str:
    """Where to make PostgreSQL databases: BENCH_POSTGRES_URL, else TEST_DATABASE_URL, else the
    local server. Any database on the server will do; the bench makes its own next to it."""
    return os.environ.get("BENCH_POSTGRES_URL") or os.environ.get("TEST_DATABASE_URL") or DEFAULT_POSTGRES_URL


async def postgres_version(url: str) -> str | None:
    """The server's version, or None when it cannot be reached."""
    engine = create_async_engine(normalize_database_url(url), connect_args={"timeout": 3})
    try:
        async with engine.connect() as conn:
            return str((await conn.execute(text("SHOW server_version"))).scalar())
    except Exception:
        return None
    finally:
        await engine.dispose()


async def migrate(url: str) -> None:
    db = Database.from_url(url)
    try:
        await upgrade_to_head(db.engine)
    finally:
        await db.dispose()


@asynccontextmanager
async def throwaway_database(backend: str, *, tmp: Path, postgres_url: str | None = None) -> AsyncIterator[str]:
    """A migrated, empty database; yields its URL (the app's async driver form)."""
    if backend == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp / 'bench.db'}"
        await migrate(url)
        yield url
        return
    if backend != "postgresql":
        raise ValueError(f"unknown backend {backend}")
    maintenance = normalize_database_url(postgres_url or postgres_url_from_env())
    name = f"bench_{secrets.token_hex(6)}"
    admin = create_async_engine(maintenance, isolation_level="AUTOCOMMIT")
    try:
        async with admin.connect() as conn:
            await conn.execute(text(f'CREATE DATABASE "{name}"'))
        url = make_url(maintenance).set(database=name).render_as_string(hide_password=False)
        try:
            await migrate(url)
            yield url
        finally:
            async with admin.connect() as conn:
                await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        await admin.dispose()
