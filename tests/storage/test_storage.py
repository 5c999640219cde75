"""Storage on both backends: UTC timestamps, migrations that match the models, SQLite tuning."""

from __future__ import annotations

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import select, text

from storage.database import Database
from storage.migrate import head_revision, is_at_head, upgrade_to_head
from storage.models import Base, LearningSet, SlackUser


def a_set(**overrides: object) -> LearningSet:
    now = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
    values: dict[str, object] = {
        "team_id": "T1",
        "channel_id": "C1",
        "name": "Set",
        "timezone": "Europe/London",
        "facilitator_user_id": "U1",
        "cadence": "four_weekly",
        "next_meeting_at": None,
        "prompt_weekday": 4,
        "prompt_time": time(15, 0),
        "reminder_lead_days": 2,
        "paused_until_date": None,
        "members_synced_at": None,
        "created_at": now,
        "updated_at": now,
        "archived_at": None,
    }
    values.update(overrides)
    return LearningSet(**values)


async def test_a_new_york_morning_reads_back_as_utc(database_url: str) -> None:
    db = Database.from_url(database_url)
    nine_in_new_york = datetime(2026, 11, 23, 9, 0, tzinfo=ZoneInfo("America/New_York"))
    async with db.write() as uow:
        await uow.sets.add(a_set(next_meeting_at=nine_in_new_york))
    async with db.read() as uow:
        stored = await uow.session.scalar(select(LearningSet))
    assert stored is not None
    assert stored.next_meeting_at is not None
    assert stored.next_meeting_at.tzinfo is not None
    assert stored.next_meeting_at.utcoffset() == UTC.utcoffset(None)
    assert stored.next_meeting_at.isoformat() == "2026-11-23T14:00:00+00:00"
    assert stored.next_meeting_at == nine_in_new_york
    await db.dispose()


async def test_timestamps_sort_as_instants_whatever_zone_they_came_in(database_url: str) -> None:
    db = Database.from_url(database_url)
    kolkata = datetime(2026, 11, 23, 14, 0, tzinfo=ZoneInfo("Asia/Kolkata"))  # 08:30Z
    london = datetime(2026, 11, 23, 9, 0, tzinfo=ZoneInfo("Europe/London"))  # 09:00Z
    async with db.write() as uow:
        await uow.sets.add(a_set(channel_id="C-london", next_meeting_at=london))
        await uow.sets.add(a_set(channel_id="C-kolkata", next_meeting_at=kolkata))
    async with db.read() as uow:
        order = (await uow.session.scalars(select(LearningSet.channel_id).order_by(LearningSet.next_meeting_at))).all()
        earlier = (
            await uow.session.scalars(
                select(LearningSet.channel_id).where(
                    LearningSet.next_meeting_at < datetime(2026, 11, 23, 8, 45, tzinfo=UTC)
                )
            )
        ).all()
    assert list(order) == ["C-kolkata", "C-london"]
    assert list(earlier) == ["C-kolkata"]
    await db.dispose()


async def test_a_naive_datetime_is_refused(database_url: str) -> None:
    db = Database.from_url(database_url)
    naive = datetime(2026, 1, 1)  # noqa: DTZ001 - the point of the test
    user = SlackUser(
        team_id="T", user_id="U", display_name="x", tz=None, is_bot=False, is_deleted=False, fetched_at=naive
    )

    async def store() -> None:
        async with db.write() as uow:
            uow.session.add(user)

    with pytest.raises(Exception, match="naive datetime"):
        await store()
    await db.dispose()


async def test_a_failed_unit_of_work_leaves_nothing_behind(database_url: str) -> None:
    db = Database.from_url(database_url)

    async def add_then_fail() -> None:
        async with db.write() as uow:
            await uow.sets.add(a_set())
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        await add_then_fail()
    async with db.read() as uow:
        assert (await uow.session.scalars(select(LearningSet))).all() == []
    await db.dispose()


async def test_one_set_per_channel_per_workspace(database_url: str) -> None:
    db = Database.from_url(database_url)
    async with db.write() as uow:
        await uow.sets.add(a_set())
        await uow.sets.add(a_set(team_id="T2"))  # same channel id in another workspace is another set
    with pytest.raises(Exception, match=r"(?i)unique"):
        async with db.write() as uow:
            await uow.sets.add(a_set())
    await db.dispose()


async def test_event_ids_are_recorded_once(database_url: str) -> None:
    db = Database.from_url(database_url)
    now = datetime(2026, 11, 23, tzinfo=UTC)
    async with db.write() as uow:
        assert await uow.events.add_if_new("Ev1", now) is True
    async with db.write() as uow:
        assert await uow.events.add_if_new("Ev1", now) is False
        assert await uow.events.add_if_new("Ev2", now) is True
    async with db.write() as uow:
        assert await uow.events.prune(datetime(2026, 11, 24, tzinfo=UTC)) == 2
    await db.dispose()


async def test_migrations_build_exactly_the_models(blank_database_url: str) -> None:
    db = Database.from_url(blank_database_url)
    assert not await is_at_head(db.engine)
    await upgrade_to_head(db.engine)
    await upgrade_to_head(db.engine)  # running it again is harmless
    assert await is_at_head(db.engine)

    def differences(connection: object) -> list[object]:
        context = MigrationContext.configure(connection, opts={"compare_type": True})  # type: ignore[arg-type]
        return list(compare_metadata(context, Base.metadata))

    async with db.engine.connect() as conn:
        assert await conn.run_sync(differences) == []
        assert (await conn.execute(text("SELECT version_num FROM alembic_version"))).scalar() == head_revision()
    await db.dispose()


async def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(tmp_path: object) -> None:
    db = Database.from_url(f"sqlite+aiosqlite:///{tmp_path}/tuned.db")
    async with db.engine.connect() as conn:
        assert (await conn.execute(text("PRAGMA journal_mode"))).scalar() == "wal"
        assert (await conn.execute(text("PRAGMA busy_timeout"))).scalar() == 10_000
        assert (await conn.execute(text("PRAGMA foreign_keys"))).scalar() == 1
    await db.dispose()


async def test_concurrent_writers_on_sqlite_wait_instead_of_failing(tmp_path: object) -> None:
    import asyncio

    url = f"sqlite+aiosqlite:///{tmp_path}/busy.db"
    db = Database.from_url(url)
    await upgrade_to_head(db.engine)
    now = datetime(2026, 11, 23, tzinfo=UTC)

    async def writer(i: int) -> None:
        async with db.write() as uow:
            # Read, pause, then write: with a plain BEGIN two of these would both read, and the
            # second to write would fail at once (its snapshot is stale) instead of waiting.
            await uow.session.execute(text("SELECT count(*) FROM processed_event"))
            await asyncio.sleep(0.01)
            await uow.events.add_if_new(f"Ev{i}", now)
            await uow.events.add_if_new(f"Ev{i}-b", now)

    await asyncio.gather(*(writer(i) for i in range(20)))
    assert await db.scalar("SELECT count(*) FROM processed_event") == 40
    await db.dispose()


async def test_nul_characters_are_dropped_alike_in_stored_text_and_in_lookups(database_url: str) -> None:
    # PostgreSQL cannot store a NUL in text and SQLite would; both must keep the same text, and a
    # lookup by a value with a NUL must be an ordinary miss, not a failed query.
    db = Database.from_url(database_url)
    async with db.write() as uow:
        await uow.sets.add(a_set(name="Lead\x00ers", ground_rules="Stay\x00 kind"))
    async with db.read() as uow:
        stored = await uow.session.scalar(select(LearningSet))
        assert stored is not None
        assert (stored.name, stored.ground_rules) == ("Leaders", "Stay kind")
        found = await uow.session.scalar(select(LearningSet).where(LearningSet.channel_id == "C\x001"))
        assert found is not None and found.channel_id == "C1"
        missing = await uow.session.scalar(select(LearningSet).where(LearningSet.channel_id == "C\x002"))
        assert missing is None
    await db.dispose()
