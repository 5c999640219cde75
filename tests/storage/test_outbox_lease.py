"""A sender renews its lease right before it posts, and may post only while it still holds it."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from storage.database import Database
from storage.models import OutboxMessage
from storage.repositories.outbox import PENDING

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
LEASE = timedelta(seconds=3)


async def _one_claimed_by(db: Database, me: str) -> int:
    async with db.write() as uow:
        uow.session.add(
            OutboxMessage(
                key="reminder:1:due:2026-11-23",
                team_id="T1",
                kind="reminder",
                user_id="U1",
                channel_id=None,
                subject_id=1,
                local_date=date(2026, 11, 23),
                timezone="UTC",
                due_at=NOW,
                status=PENDING,
                attempts=0,
                created_at=NOW,
            )
        )
    async with db.write() as uow:
        (row,) = await uow.outbox.claim(me=me, now=NOW, lease=LEASE, limit=10)
        return row.id


async def test_a_held_lease_is_renewed_from_now(database_url: str) -> None:
    db = Database.from_url(database_url)
    try:
        row_id = await _one_claimed_by(db, "a")
        later = NOW + timedelta(seconds=2)
        async with db.write() as uow:
            assert await uow.outbox.renew(row_id, "a", now=later, lease=LEASE)
        async with db.read() as uow:
            row = await uow.session.get(OutboxMessage, row_id)
            assert row is not None and row.lease_until == later + LEASE
        # Still held at NOW + 4 s (the first lease would have run out): nobody else can claim it.
        async with db.write() as uow:
            assert list(await uow.outbox.claim(me="b", now=NOW + timedelta(seconds=4), lease=LEASE, limit=10)) == []
    finally:
        await db.dispose()


async def test_a_lease_that_ran_out_or_was_taken_over_is_not_renewed(database_url: str) -> None:
    db = Database.from_url(database_url)
    try:
        row_id = await _one_claimed_by(db, "a")
        too_late = NOW + LEASE + timedelta(seconds=1)
        async with db.write() as uow:
            assert not await uow.outbox.renew(row_id, "a", now=too_late, lease=LEASE)
        async with db.write() as uow:
            (taken,) = await uow.outbox.claim(me="b", now=too_late, lease=LEASE, limit=10)
            assert taken.id == row_id and taken.claimed_by == "b"
        async with db.write() as uow:  # the first sender, back at last, finds the row gone
            assert not await uow.outbox.renew(row_id, "a", now=too_late, lease=LEASE)
            assert await uow.outbox.renew(row_id, "b", now=too_late, lease=LEASE)
    finally:
        await db.dispose()
