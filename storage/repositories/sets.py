"""Sets and their members."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import bindparam, func, inspect, select
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import make_transient_to_detached

from storage.compiled_reads import rows
from storage.dialect import skip_rows_being_planned
from storage.models import LearningSet, SetMember

# Built once: the lookups every command makes (building a statement costs about a third of running it)
OF_CHANNEL = (LearningSet.team_id == bindparam("team_id"), LearningSet.channel_id == bindparam("channel_id"))
BY_CHANNEL = select(LearningSet).where(*OF_CHANNEL)
_MEMBERS = select(SetMember).where(SetMember.set_id == bindparam("set_id"))
_ACTIVE_MEMBERS = _MEMBERS.where(SetMember.left_at.is_(None)).order_by(SetMember.joined_at, SetMember.id)
_ALL_MEMBERS = _MEMBERS.order_by(SetMember.joined_at, SetMember.id)
_MEMBER = _MEMBERS.where(SetMember.user_id == bindparam("user_id"))


_SET_ATTRIBUTES = tuple(inspect(LearningSet).column_attrs)
_SET_KEYS = tuple(attribute.key for attribute in _SET_ATTRIBUTES)
_SET_ROW_BY_CHANNEL = select(*(attribute.columns[0] for attribute in _SET_ATTRIBUTES)).where(*OF_CHANNEL)


def set_of_channel(conn: Connection, team_id: str, channel_id: str) -> LearningSet | None:
    """The set whose channel this is, read on a plain connection (Database.read_rows), as every
    command in a set's channel does first. It comes back as a closed unit of work leaves it:
    detached, its identity known, every column loaded, nothing changed. Read as a row on SQLite's
    cursor (storage.compiled_reads) and made so by SQLAlchemy's `make_transient_to_detached`:
    0.30-0.35 ms of CPU, against 0.80-0.96 for a Session to load it (on the machine of the README's
    latency table)."""
    found = rows(conn, _SET_ROW_BY_CHANNEL, {"team_id": team_id, "channel_id": channel_id})
    if not found:
        return None
    learning_set = LearningSet(**dict(zip(_SET_KEYS, found[0], strict=True)))
    make_transient_to_detached(learning_set)
    return learning_set


class SetRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get_by_channel(self, team_id: str, channel_id: str) -> LearningSet | None:
        return await self.session.scalar(BY_CHANNEL, {"team_id": team_id, "channel_id": channel_id})

    async def get(self, team_id: str, set_id: int) -> LearningSet | None:
        return await self.session.scalar(
            select(LearningSet).where(LearningSet.team_id == team_id, LearningSet.id == set_id)
        )

    async def add(self, learning_set: LearningSet) -> LearningSet:
        self.session.add(learning_set)
        await self.session.flush()
        return learning_set

    async def list_members(self, set_id: int, *, active_only: bool = True) -> Sequence[SetMember]:
        query = _ACTIVE_MEMBERS if active_only else _ALL_MEMBERS
        return (await self.session.scalars(query, {"set_id": set_id})).all()

    async def get_member(self, set_id: int, user_id: str) -> SetMember | None:
        return await self.session.scalar(_MEMBER, {"set_id": set_id, "user_id": user_id})

    async def count_active_members(self, set_id: int) -> int:
        count = await self.session.scalar(
            select(func.count()).where(SetMember.set_id == set_id, SetMember.left_at.is_(None))
        )
        return int(count or 0)

    async def add_member(self, set_id: int, user_id: str, now: datetime) -> bool:
        """Make the person an active member; True when that changed anything."""
        member = await self.get_member(set_id, user_id)
        if member is None:
            self.session.add(SetMember(set_id=set_id, user_id=user_id, joined_at=now, left_at=None))
            await self.session.flush()
            return True
        if member.left_at is not None:
            member.left_at = None
            member.joined_at = now
            return True
        return False

    async def end_membership(self, set_id: int, user_id: str, now: datetime) -> bool:
        member = await self.get_member(set_id, user_id)
        if member is None or member.left_at is not None:
            return False
        member.left_at = now
        return True

    async def replace_members(self, set_id: int, user_ids: Iterable[str], now: datetime) -> None:
        """Make exactly these people the active members."""
        wanted = set(user_ids)
        for member in await self.list_members(set_id, active_only=False):
            if member.user_id in wanted and member.left_at is not None:
                member.left_at, member.joined_at = None, now
            elif member.user_id not in wanted and member.left_at is None:
                member.left_at = now
            wanted.discard(member.user_id)
        for user_id in sorted(wanted):
            self.session.add(SetMember(set_id=set_id, user_id=user_id, joined_at=now, left_at=None))
        await self.session.flush()

    async def list_due_for_member_sync(self, older_than: datetime, limit: int) -> Sequence[LearningSet]:
        query = (
            select(LearningSet)
            .where(LearningSet.archived_at.is_(None))
            .where((LearningSet.members_synced_at.is_(None)) | (LearningSet.members_synced_at < older_than))
            .order_by(LearningSet.id)
            .limit(limit)
        )
        return (await self.session.scalars(query)).all()

    async def get_by_id(self, set_id: int) -> LearningSet | None:
        """For jobs that already hold a set's id; requests look sets up by team and channel."""
        return await self.session.get(LearningSet, set_id)

    async def list_reviews_due(self, now: datetime, limit: int) -> Sequence[LearningSet]:
        query = (
            select(LearningSet)
            .where(LearningSet.next_review_at <= now, LearningSet.archived_at.is_(None))
            .order_by(LearningSet.next_review_at)
            .limit(limit)
        )
        return (await self.session.scalars(query)).all()

    async def list_schedule_due(self, cursor: str, now: datetime, limit: int) -> Sequence[LearningSet]:
        """Live sets whose schedule cursor (`next_meeting_at`, `next_soon_at`, `next_prompt_at` or
        `next_digest_at`) has come; each has its own index."""
        column = {
            "next_meeting_at": LearningSet.next_meeting_at,
            "next_soon_at": LearningSet.next_soon_at,
            "next_prompt_at": LearningSet.next_prompt_at,
            "next_digest_at": LearningSet.next_digest_at,
            "next_retention_at": LearningSet.next_retention_at,
        }[cursor]
        query = (
            select(LearningSet)
            .where(column <= now, LearningSet.archived_at.is_(None))
            .order_by(column, LearningSet.id)
            .limit(limit)
        )
        return (await self.session.scalars(skip_rows_being_planned(self.session, query, of=LearningSet))).all()

    async def list_unscheduled(self, limit: int) -> Sequence[LearningSet]:
        """Live sets with no weekly prompt planned: new ones, or ones made before prompts existed."""
        query = (
            select(LearningSet)
            .where(LearningSet.next_prompt_at.is_(None), LearningSet.archived_at.is_(None))
            .order_by(LearningSet.id)
            .limit(limit)
        )
        return (await self.session.scalars(skip_rows_being_planned(self.session, query, of=LearningSet))).all()

    async def list_facilitated_by(self, team_id: str, user_id: str) -> Sequence[LearningSet]:
        query = (
            select(LearningSet)
            .where(
                LearningSet.team_id == team_id,
                LearningSet.facilitator_user_id == user_id,
                LearningSet.archived_at.is_(None),
            )
            .order_by(LearningSet.name)
        )
        return (await self.session.scalars(query)).all()

    async def list_of_member(self, team_id: str, user_id: str) -> Sequence[LearningSet]:
        """The sets a person is an active member of, in this workspace."""
        query = (
            select(LearningSet)
            .join(SetMember, SetMember.set_id == LearningSet.id)
            .where(
                LearningSet.team_id == team_id,
                SetMember.user_id == user_id,
                SetMember.left_at.is_(None),
                LearningSet.archived_at.is_(None),
            )
            .order_by(LearningSet.name)
        )
        return (await self.session.scalars(query)).all()
