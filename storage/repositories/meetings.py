"""Bids for time at a set's meetings."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import MeetingBid


class MeetingRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def save_bid(self, *, set_id: int, meeting_at: datetime, user_id: str, topic: str, now: datetime) -> bool:
        """Record a bid, or replace the member's earlier bid for the same meeting. True when new."""
        existing = await self.session.scalar(
            select(MeetingBid).where(
                MeetingBid.set_id == set_id, MeetingBid.meeting_at == meeting_at, MeetingBid.user_id == user_id
            )
        )
        if existing is not None:
            existing.topic, existing.updated_at = topic, now
            return False
        self.session.add(
            MeetingBid(
                set_id=set_id, meeting_at=meeting_at, user_id=user_id, topic=topic, created_at=now, updated_at=now
            )
        )
        await self.session.flush()
        return True

    async def list_bids(self, set_id: int, meeting_at: datetime) -> Sequence[MeetingBid]:
        query = (
            select(MeetingBid)
            .where(MeetingBid.set_id == set_id, MeetingBid.meeting_at == meeting_at)
            .order_by(MeetingBid.created_at, MeetingBid.id)
        )
        return (await self.session.scalars(query)).all()
