"""The outbox: scheduled messages, claimed with a lease and marked sent by their claimer only."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, case, or_, select, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.ext.asyncio import AsyncSession

from storage.dialect import insert_ignoring_conflicts
from storage.models import OutboxMessage

PENDING, SENDING, SENT = "pending", "sending", "sent"
MISSED, FAILED, HELD, FOLDED, CANCELLED = "missed", "failed", "held", "folded", "cancelled"


class OutboxRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, **values: Any) -> bool:
        """Plan a message; False when its key was planned before (nothing changes then)."""
        statement = insert_ignoring_conflicts(self.session, OutboxMessage, **values)
        result: CursorResult[tuple[()]] = await self.session.execute(statement)  # type: ignore[assignment]
        return result.rowcount == 1

    async def add_many(self, rows: Sequence[dict[str, Any]]) -> set[str]:
        """Plan several messages (each a dict of the same columns) in as few statements as the
        driver allows; returns the keys of those added (a key planned before changes nothing)."""
        if not rows:
            return set()
        statement = insert_ignoring_conflicts(self.session, OutboxMessage.__table__).returning(
            OutboxMessage.__table__.c.key
        )
        result = await self.session.execute(statement, list(rows))
        return set(result.scalars().all())

    async def get_by_key(self, key: str) -> OutboxMessage | None:
        return await self.session.scalar(select(OutboxMessage).where(OutboxMessage.key == key))

    async def claim(self, *, me: str, now: datetime, lease: timedelta, limit: int) -> Sequence[OutboxMessage]:
        """Take up to `limit` due rows (and rows whose claimer's lease ran out) in one statement.

        PostgreSQL skips rows another instance is claiming at the same moment (FOR UPDATE SKIP
        LOCKED); SQLite runs the statement as its single writer. Each claim counts an attempt.
        """
        due = or_(
            and_(OutboxMessage.status == PENDING, OutboxMessage.due_at <= now),
            and_(OutboxMessage.status == SENDING, OutboxMessage.lease_until < now),
        )
        ids = select(OutboxMessage.id).where(due).order_by(OutboxMessage.due_at, OutboxMessage.id).limit(limit)
        if self.session.get_bind().dialect.name == "postgresql":
            ids = ids.with_for_update(skip_locked=True)
        statement = (
            update(OutboxMessage)
            .where(OutboxMessage.id.in_(ids.scalar_subquery()))
            .values(
                status=SENDING,
                claimed_by=me,
                claimed_at=now,
                lease_until=now + lease,
                attempts=OutboxMessage.attempts + 1,
            )
            .returning(OutboxMessage)
            .execution_options(synchronize_session=False)
        )
        rows = (await self.session.scalars(statement)).all()
        return sorted(rows, key=lambda r: (r.due_at, r.id))

    async def _finish(self, row_id: int, me: str, **values: Any) -> bool:
        """Change a row this instance holds; False when its claim was lost (lease taken over)."""
        result: CursorResult[tuple[()]] = await self.session.execute(  # type: ignore[assignment]
            update(OutboxMessage)
            .where(OutboxMessage.id == row_id, OutboxMessage.status == SENDING, OutboxMessage.claimed_by == me)
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        return result.rowcount == 1

    async def mark_sent_many(self, sent: Sequence[tuple[int, str, str]], me: str, *, now: datetime) -> set[int]:
        """Mark rows sent, each (id, channel, ts), in one statement; returns the ids this instance
        still held (the others' claims had passed to another sender)."""
        if not sent:
            return set()
        ids = [row_id for row_id, _, _ in sent]
        result = await self.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id.in_(ids), OutboxMessage.status == SENDING, OutboxMessage.claimed_by == me)
            .values(
                status=SENT,
                sent_channel=case({row_id: channel for row_id, channel, _ in sent}, value=OutboxMessage.id),
                sent_ts=case({row_id: ts for row_id, _, ts in sent}, value=OutboxMessage.id),
                finished_at=now,
                lease_until=None,
            )
            .returning(OutboxMessage.id)
            .execution_options(synchronize_session=False)
        )
        return set(result.scalars().all())

    async def mark(self, row_id: int, me: str, *, status: str, now: datetime, error: str | None = None) -> bool:
        return await self._finish(row_id, me, status=status, last_error=error, finished_at=now, lease_until=None)

    async def release(self, row_id: int, me: str, *, error: str, retry_at: datetime) -> bool:
        """Give a row back to be tried again at `retry_at`."""
        return await self._finish(
            row_id, me, status=PENDING, last_error=error, due_at=retry_at, claimed_by=None, lease_until=None
        )

    async def renew(self, row_id: int, me: str, *, now: datetime, lease: timedelta) -> bool:
        return row_id in await self.renew_many([row_id], me, now=now, lease=lease)

    async def renew_many(self, ids: Sequence[int], me: str, *, now: datetime, lease: timedelta) -> set[int]:
        """A fresh lease on rows this instance still holds, taken just before sending them; returns
        the ids renewed. A row left out had its lease run out first (another instance may have
        claimed it, so this one must not send it)."""
        if not ids:
            return set()
        result = await self.session.execute(
            update(OutboxMessage)
            .where(
                OutboxMessage.id.in_(ids),
                OutboxMessage.status == SENDING,
                OutboxMessage.claimed_by == me,
                OutboxMessage.lease_until >= now,
            )
            .values(lease_until=now + lease)
            .returning(OutboxMessage.id)
            .execution_options(synchronize_session=False)
        )
        return set(result.scalars().all())

    async def defer(self, row_id: int, me: str, *, attempts: int) -> bool:
        """Give a row back unattempted (it could not be sent within its lease): claimable again at once,
        its attempts as they were before this claim."""
        return await self._finish(row_id, me, status=PENDING, claimed_by=None, lease_until=None, attempts=attempts)

    async def list_held(self, team_id: str, user_id: str) -> Sequence[OutboxMessage]:
        query = select(OutboxMessage).where(
            OutboxMessage.team_id == team_id, OutboxMessage.user_id == user_id, OutboxMessage.status == HELD
        )
        return (await self.session.scalars(query.order_by(OutboxMessage.due_at, OutboxMessage.id))).all()

    async def fold(self, ids: Sequence[int], now: datetime) -> None:
        if ids:
            await self.session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id.in_(ids), OutboxMessage.status == HELD)
                .values(status=FOLDED, finished_at=now)
                .execution_options(synchronize_session=False)
            )

    async def list_by_status(self, status: str) -> Sequence[OutboxMessage]:
        query = select(OutboxMessage).where(OutboxMessage.status == status).order_by(OutboxMessage.id)
        return (await self.session.scalars(query)).all()

    async def cancel_unsent_of_team(self, team_id: str, now: datetime, reason: str) -> int:
        """Cancel every message for a workspace not sent yet (pending, held or mid-send): the app was
        removed from it. Returns how many were cancelled."""
        result: CursorResult[tuple[()]] = await self.session.execute(  # type: ignore[assignment]
            update(OutboxMessage)
            .where(OutboxMessage.team_id == team_id, OutboxMessage.status.in_((PENDING, HELD, SENDING)))
            .values(status=CANCELLED, last_error=reason, finished_at=now, claimed_by=None, lease_until=None)
            .execution_options(synchronize_session=False)
        )
        return result.rowcount
