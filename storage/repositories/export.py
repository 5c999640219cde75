"""Reads for exports: a set's whole history, or one member's own part of it, in a few queries.
Which reflections an export may hold is decided here, in the queries, not by filtering later."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Commitment, CommitmentNote, Question, Reflection, ReflectionPrompt, Round, SlackUser

SHARED_WITH_THE_SET = "set"  # bot.domain.reflection.Visibility.SET


class ExportRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def list_rounds(self, set_id: int, *, presenter_id: str | None = None) -> Sequence[Round]:
        """The set's rounds (or one presenter's), oldest first."""
        query = select(Round).where(Round.set_id == set_id)
        if presenter_id is not None:
            query = query.where(Round.presenter_user_id == presenter_id)
        return (await self.session.scalars(query.order_by(Round.opened_at, Round.id))).all()

    async def list_questions(self, set_id: int, *, include_withdrawn: bool = False) -> Sequence[Question]:
        """Every question asked in the set's rounds, in the order they were asked."""
        query = (
            select(Question)
            .join(Round, Round.id == Question.round_id)
            .where(Round.set_id == set_id)
            .order_by(Question.asked_at, Question.id)
        )
        if not include_withdrawn:
            query = query.where(Question.status != "withdrawn")
        return (await self.session.scalars(query)).all()

    async def list_questions_of_asker(self, set_id: int, asker_id: str) -> Sequence[Question]:
        """Every question one person asked in the set's rounds and did not withdraw (withdrawing a
        question erases its words)."""
        query = (
            select(Question)
            .join(Round, Round.id == Question.round_id)
            .where(Round.set_id == set_id, Question.asker_user_id == asker_id, Question.status != "withdrawn")
            .order_by(Question.asked_at, Question.id)
        )
        return (await self.session.scalars(query)).all()

    async def list_answers_in_rounds(self, round_ids: Collection[int]) -> Sequence[Question]:
        """The answered questions of these rounds (for the presenter's own answers)."""
        if not round_ids:
            return []
        query = (
            select(Question)
            .where(Question.round_id.in_(list(round_ids)), Question.answer_text.is_not(None))
            .order_by(Question.answered_at, Question.id)
        )
        return (await self.session.scalars(query)).all()

    async def list_shared_reflections(self, set_id: int) -> Sequence[tuple[Reflection, str | None]]:
        """(reflection, its prompt's text) for the reflections their writers shared with the set, and
        only those: never the ones kept for the facilitator or for the writer alone."""
        rows = await self.session.execute(
            select(Reflection, ReflectionPrompt.text)
            .outerjoin(ReflectionPrompt, ReflectionPrompt.id == Reflection.prompt_id)
            .where(Reflection.set_id == set_id, Reflection.visibility == SHARED_WITH_THE_SET)
            .order_by(Reflection.created_at, Reflection.id)
        )
        return [(r, text) for r, text in rows.all()]

    async def list_reflections_of(self, set_id: int, user_id: str) -> Sequence[tuple[Reflection, str | None]]:
        """(reflection, its prompt's text) for everything one member wrote in the set, whoever may see it."""
        rows = await self.session.execute(
            select(Reflection, ReflectionPrompt.text)
            .outerjoin(ReflectionPrompt, ReflectionPrompt.id == Reflection.prompt_id)
            .where(Reflection.set_id == set_id, Reflection.user_id == user_id)
            .order_by(Reflection.created_at, Reflection.id)
        )
        return [(r, text) for r, text in rows.all()]

    async def list_commitments(self, set_id: int, *, owner_id: str | None = None) -> Sequence[Commitment]:
        query = select(Commitment).where(Commitment.set_id == set_id)
        if owner_id is not None:
            query = query.where(Commitment.user_id == owner_id)
        return (await self.session.scalars(query.order_by(Commitment.created_at, Commitment.id))).all()

    async def list_notes(self, commitment_ids: Collection[int]) -> Sequence[CommitmentNote]:
        if not commitment_ids:
            return []
        query = (
            select(CommitmentNote)
            .where(CommitmentNote.commitment_id.in_(list(commitment_ids)))
            .order_by(CommitmentNote.created_at, CommitmentNote.id)
        )
        return (await self.session.scalars(query)).all()

    async def display_names(self, team_id: str, user_ids: Collection[str]) -> dict[str, str]:
        """Display names as last read from Slack, for the people of an export."""
        if not user_ids:
            return {}
        rows = await self.session.execute(
            select(SlackUser.user_id, SlackUser.display_name).where(
                SlackUser.team_id == team_id, SlackUser.user_id.in_(sorted(user_ids))
            )
        )
        return {str(user): str(name) for user, name in rows.all() if name}
