"""Commitments, their notes, and who is away."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime

from sqlalchemy import Select, bindparam, delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Away, Commitment, CommitmentNote, LearningSet

# Built once: what `/als status` reads (building a statement costs about a third of running it)
_OPEN_IN_SET = select(Commitment).where(Commitment.set_id == bindparam("set_id"), Commitment.status == "open")
_OPEN_IN_SET_BY_DUE = _OPEN_IN_SET.order_by(Commitment.due_date, Commitment.id)
_OPEN_IN_SET_OF_MEMBER = _OPEN_IN_SET.where(Commitment.user_id == bindparam("user_id")).order_by(
    Commitment.due_date, Commitment.id
)


def reminders_due(now: datetime, limit: int) -> Select[Commitment, LearningSet]:
    """Open commitments whose next reminder has come. The index on next_reminder_at serves it, so a
    sweep reads what is due, not everything stored (closed commitments have no next reminder)."""
    return (
        select(Commitment, LearningSet)
        .join(LearningSet, LearningSet.id == Commitment.set_id)
        .where(Commitment.next_reminder_at <= now)
        .order_by(Commitment.next_reminder_at, Commitment.id)
        .limit(limit)
    )


class CommitmentRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, commitment: Commitment) -> Commitment:
        self.session.add(commitment)
        await self.session.flush()
        return commitment

    async def get(self, team_id: str, commitment_id: int) -> tuple[Commitment, LearningSet] | None:
        row = (
            await self.session.execute(
                select(Commitment, LearningSet)
                .join(LearningSet, LearningSet.id == Commitment.set_id)
                .where(Commitment.id == commitment_id, LearningSet.team_id == team_id)
            )
        ).first()
        return (row[0], row[1]) if row else None

    async def get_many(self, commitment_ids: Collection[int]) -> dict[int, tuple[Commitment, LearningSet]]:
        """Commitments with their sets, by id, in one read (the caller checks the workspace)."""
        if not commitment_ids:
            return {}
        rows = await self.session.execute(
            select(Commitment, LearningSet)
            .join(LearningSet, LearningSet.id == Commitment.set_id)
            .where(Commitment.id.in_(set(commitment_ids)))
        )
        return {c.id: (c, s) for c, s in rows.all()}

    async def add_note(self, note: CommitmentNote) -> None:
        self.session.add(note)
        await self.session.flush()

    async def latest_note(self, commitment_id: int) -> CommitmentNote | None:
        query = (
            select(CommitmentNote)
            .where(CommitmentNote.commitment_id == commitment_id, CommitmentNote.kind == "update")
            .order_by(CommitmentNote.created_at.desc(), CommitmentNote.id.desc())
            .limit(1)
        )
        return await self.session.scalar(query)

    async def latest_notes(self, commitment_ids: Collection[int]) -> dict[int, str]:
        """What each of these commitments' latest update said, in one read (none: left out)."""
        if not commitment_ids:
            return {}
        query = (
            select(CommitmentNote.commitment_id, CommitmentNote.what_happened)
            .where(CommitmentNote.commitment_id.in_(set(commitment_ids)), CommitmentNote.kind == "update")
            .order_by(CommitmentNote.created_at, CommitmentNote.id)
        )
        return {row[0]: row[1] for row in (await self.session.execute(query)).all()}

    async def list_for_member(self, team_id: str, user_id: str) -> Sequence[tuple[Commitment, LearningSet]]:
        """A member's commitments in every set of the workspace, soonest due first."""
        rows = await self.session.execute(
            select(Commitment, LearningSet)
            .join(LearningSet, LearningSet.id == Commitment.set_id)
            .where(LearningSet.team_id == team_id, Commitment.user_id == user_id)
            .order_by(Commitment.due_date, Commitment.id)
        )
        return [(c, s) for c, s in rows.all()]

    async def list_open_in_set(self, set_id: int, user_id: str | None = None) -> Sequence[Commitment]:
        if user_id is None:
            return (await self.session.scalars(_OPEN_IN_SET_BY_DUE, {"set_id": set_id})).all()
        return (await self.session.scalars(_OPEN_IN_SET_OF_MEMBER, {"set_id": set_id, "user_id": user_id})).all()

    async def list_in_set(self, set_id: int) -> Sequence[Commitment]:
        query = select(Commitment).where(Commitment.set_id == set_id).order_by(Commitment.user_id, Commitment.due_date)
        return (await self.session.scalars(query)).all()

    async def list_reminders_due(self, now: datetime, limit: int) -> Sequence[tuple[Commitment, LearningSet]]:
        rows = await self.session.execute(reminders_due(now, limit))
        return [(c, s) for c, s in rows.all()]

    async def activity_between(self, set_id: int, since: datetime, until: datetime) -> tuple[int, int]:
        """(made, done) in a set between two instants."""
        made = await self.session.scalar(
            select(func.count(Commitment.id)).where(
                Commitment.set_id == set_id, Commitment.created_at >= since, Commitment.created_at < until
            )
        )
        done = await self.session.scalar(
            select(func.count(Commitment.id)).where(
                Commitment.set_id == set_id,
                Commitment.status == "done",
                Commitment.closed_at >= since,
                Commitment.closed_at < until,
            )
        )
        return int(made or 0), int(done or 0)

    async def last_activity_of_members(self, set_id: int) -> dict[str, datetime]:
        """The latest moment each person committed to something or reported on a commitment."""
        query = (
            select(Commitment.user_id, func.max(Commitment.updated_at))
            .where(Commitment.set_id == set_id)
            .group_by(Commitment.user_id)
        )
        return {user: at for user, at in (await self.session.execute(query)).all() if at is not None}

    async def list_open_of_user(self, team_id: str, user_id: str) -> Sequence[tuple[Commitment, LearningSet]]:
        return [(c, s) for c, s in await self.list_for_member(team_id, user_id) if c.status == "open"]

    # ---- away ----

    async def get_away(self, team_id: str, user_id: str) -> Away | None:
        return await self.session.get(Away, (team_id, user_id))

    async def away_of(self, people: Collection[tuple[str, str]]) -> dict[tuple[str, str], Away]:
        """The away records of these (team, user) people, in one read."""
        if not people:
            return {}
        query = select(Away).where(
            Away.team_id.in_({team for team, _ in people}), Away.user_id.in_({user for _, user in people})
        )
        wanted = set(people)
        return {key: a for a in (await self.session.scalars(query)).all() if (key := (a.team_id, a.user_id)) in wanted}

    async def set_away(self, away: Away) -> None:
        existing = await self.get_away(away.team_id, away.user_id)
        if existing is None:
            self.session.add(away)
        else:
            existing.until_date, existing.until_at = away.until_date, away.until_at
        await self.session.flush()

    async def end_away(self, team_id: str, user_id: str) -> Away | None:
        existing = await self.get_away(team_id, user_id)
        if existing is not None:
            await self.session.execute(delete(Away).where(Away.team_id == team_id, Away.user_id == user_id))
        return existing

    async def list_back(self, now: datetime, limit: int) -> Sequence[Away]:
        query = select(Away).where(Away.until_at <= now).order_by(Away.until_at).limit(limit)
        return (await self.session.scalars(query)).all()
