"""Rounds and their questions. Lookups by id are scoped to the workspace they belong to."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import LearningSet, Question, Round

OPEN_PHASES = ("clarifying", "exploratory")

# Built once: the reads of `/als present` and the conditions storage.status shares (building a
# statement costs about a third of running it)
NEWEST_FIRST = (Round.opened_at.desc(), Round.id.desc())
OPEN_IN_THE_SET = (Round.set_id == bindparam("set_id"), Round.phase.in_(OPEN_PHASES))
_OPEN_IN_SET = select(Round).where(*OPEN_IN_THE_SET).order_by(*NEWEST_FIRST)
_OF_PRESENTER = select(Round).where(
    Round.set_id == bindparam("set_id"), Round.presenter_user_id == bindparam("presenter_id")
)
_OPEN_OF_PRESENTER = _OF_PRESENTER.where(Round.phase.in_(OPEN_PHASES)).order_by(Round.id.desc()).limit(1)
_LATEST_OF_PRESENTER = _OF_PRESENTER.order_by(*NEWEST_FIRST).limit(1)
NOT_WITHDRAWN = Question.status != "withdrawn"
_STANDING = (Question.round_id == bindparam("round_id"), NOT_WITHDRAWN)
_QUESTIONS = select(Question).where(*_STANDING).order_by(Question.asked_at, Question.id)
ANSWERED_COUNT = func.sum(case((Question.status == "answered", 1), else_=0))
_COUNTS = select(func.count(), ANSWERED_COUNT).where(*_STANDING)


@dataclass(frozen=True)
class QuestionCounts:
    asked: int
    answered: int

    @property
    def waiting(self) -> int:
        return self.asked - self.answered


@dataclass(frozen=True)
class RoundActivity:
    opened: int
    closed: int
    asked: int
    open_questions: int


class RoundRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, round_: Round) -> Round:
        self.session.add(round_)
        await self.session.flush()
        return round_

    async def delete(self, round_: Round) -> None:
        await self.session.delete(round_)
        await self.session.flush()

    async def get(self, team_id: str, round_id: int) -> tuple[Round, LearningSet] | None:
        row = (
            await self.session.execute(
                select(Round, LearningSet)
                .join(LearningSet, LearningSet.id == Round.set_id)
                .where(Round.id == round_id, LearningSet.team_id == team_id)
            )
        ).first()
        return (row[0], row[1]) if row else None

    async def list_open(self, set_id: int) -> Sequence[Round]:
        """Rounds whose questions are open, newest first."""
        return (await self.session.scalars(_OPEN_IN_SET, {"set_id": set_id})).all()

    async def get_open_of(self, set_id: int, presenter_id: str) -> Round | None:
        return await self.session.scalar(_OPEN_OF_PRESENTER, {"set_id": set_id, "presenter_id": presenter_id})

    async def get_latest_of(self, set_id: int, presenter_id: str) -> Round | None:
        return await self.session.scalar(_LATEST_OF_PRESENTER, {"set_id": set_id, "presenter_id": presenter_id})

    async def add_question(self, question: Question) -> Question:
        self.session.add(question)
        await self.session.flush()
        return question

    async def get_question(self, team_id: str, question_id: int) -> tuple[Question, Round, LearningSet] | None:
        row = (
            await self.session.execute(
                select(Question, Round, LearningSet)
                .join(Round, Round.id == Question.round_id)
                .join(LearningSet, LearningSet.id == Round.set_id)
                .where(Question.id == question_id, LearningSet.team_id == team_id)
            )
        ).first()
        return (row[0], row[1], row[2]) if row else None

    async def list_questions(self, round_id: int) -> Sequence[Question]:
        """The round's questions still standing (not withdrawn), in the order they were asked."""
        return (await self.session.scalars(_QUESTIONS, {"round_id": round_id})).all()

    async def count_questions(self, round_id: int) -> QuestionCounts:
        row = (await self.session.execute(_COUNTS, {"round_id": round_id})).one()
        return QuestionCounts(asked=int(row[0] or 0), answered=int(row[1] or 0))

    async def list_of_presenter(self, set_id: int, presenter_id: str, limit: int) -> Sequence[Round]:
        """A member's own rounds in a set, newest first."""
        query = (
            select(Round)
            .where(Round.set_id == set_id, Round.presenter_user_id == presenter_id)
            .order_by(Round.opened_at.desc(), Round.id.desc())
            .limit(limit)
        )
        return (await self.session.scalars(query)).all()

    async def set_message_ts(self, round_id: int, **timestamps: str | None) -> None:
        """Remember where the app posted a round's summary (`summary_ts`) or reflection (`reflection_ts`)."""
        round_ = await self.session.get(Round, round_id)
        if round_ is not None:
            for name, ts in timestamps.items():
                if name in ("summary_ts", "reflection_ts") and ts:
                    setattr(round_, name, ts)

    async def list_presenters(self, set_id: int) -> list[tuple[str, datetime]]:
        """(presenter, opened at) of every round in the set, for the presenter rotation."""
        query = select(Round.presenter_user_id, Round.opened_at).where(Round.set_id == set_id)
        return [(user, at) for user, at in (await self.session.execute(query)).all()]

    async def activity_between(self, set_id: int, since: datetime, until: datetime) -> RoundActivity:
        """What happened in a set's rounds between two instants, as counts."""

        def between(column: Any) -> Any:
            return (column >= since) & (column < until)

        opened = await self.session.scalar(
            select(func.count(Round.id)).where(Round.set_id == set_id, between(Round.opened_at))
        )
        closed = await self.session.scalar(
            select(func.count(Round.id)).where(Round.set_id == set_id, between(Round.closed_at))
        )
        asked_query = (
            select(func.count(Question.id), func.count(Question.id).filter(Question.kind == "open"))
            .join(Round, Round.id == Question.round_id)
            .where(Round.set_id == set_id, between(Question.asked_at), Question.status != "withdrawn")
        )
        asked, open_ = (await self.session.execute(asked_query)).one()
        return RoundActivity(
            opened=int(opened or 0), closed=int(closed or 0), asked=int(asked or 0), open_questions=int(open_ or 0)
        )

    async def last_activity_of_members(self, set_id: int) -> dict[str, datetime]:
        """The latest moment each person presented, asked or answered in the set."""
        latest: dict[str, datetime] = {}
        queries = [
            select(Round.presenter_user_id, func.max(Round.opened_at))
            .where(Round.set_id == set_id)
            .group_by(Round.presenter_user_id),
            select(Round.presenter_user_id, func.max(Question.answered_at))
            .join(Round, Round.id == Question.round_id)
            .where(Round.set_id == set_id, Question.answered_at.is_not(None))
            .group_by(Round.presenter_user_id),
            select(Question.asker_user_id, func.max(Question.asked_at))
            .join(Round, Round.id == Question.round_id)
            .where(Round.set_id == set_id)
            .group_by(Question.asker_user_id),
        ]
        for query in queries:
            for user, at in (await self.session.execute(query)).all():
                if at is not None and (user not in latest or at > latest[user]):
                    latest[user] = at
        return latest
