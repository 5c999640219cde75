"""Events API deliveries already seen."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.engine import CursorResult
from sqlalchemy.ext.asyncio import AsyncSession

from storage.dialect import insert_ignoring_conflicts
from storage.models import ProcessedEvent


class EventRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add_if_new(self, event_id: str, now: datetime) -> bool:
        """Record the event; False when it was recorded before (a retry or a duplicate)."""
        statement = insert_ignoring_conflicts(self.session, ProcessedEvent, event_id=event_id, received_at=now)
        result: CursorResult[tuple[()]] = await self.session.execute(statement)  # type: ignore[assignment]
        return result.rowcount == 1

    async def prune(self, older_than: datetime) -> int:
        result: CursorResult[tuple[()]] = await self.session.execute(  # type: ignore[assignment]
            delete(ProcessedEvent).where(ProcessedEvent.received_at < older_than)
        )
        return result.rowcount
