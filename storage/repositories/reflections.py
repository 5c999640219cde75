"""Weekly reflection prompts and the reflections members write."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.dialect import skip_rows_being_planned
from storage.models import LearningSet, Reflection, ReflectionPrompt


class ReflectionRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add_prompt(self, prompt: ReflectionPrompt) -> ReflectionPrompt:
        self.session.add(prompt)
        await self.session.flush()
        return prompt

    async def get_prompt_of_week(self, set_id: int, week: str) -> ReflectionPrompt | None:
        return await self.session.scalar(
            select(ReflectionPrompt).where(ReflectionPrompt.set_id == set_id, ReflectionPrompt.week == week)
        )

    async def get_prompt_by_key(self, outbox_key: str) -> ReflectionPrompt | None:
        return await self.session.scalar(select(ReflectionPrompt).where(ReflectionPrompt.outbox_key == outbox_key))

    async def latest_prompt(self, set_id: int) -> ReflectionPrompt | None:
        return await self.session.scalar(
            select(ReflectionPrompt)
            .where(ReflectionPrompt.set_id == set_id)
            .order_by(ReflectionPrompt.prompted_at.desc(), ReflectionPrompt.id.desc())
            .limit(1)
        )

    async def get_prompt(self, team_id: str, prompt_id: int) -> tuple[ReflectionPrompt, LearningSet] | None:
        row = (
            await self.session.execute(
                select(ReflectionPrompt, LearningSet)
                .join(LearningSet, LearningSet.id == ReflectionPrompt.set_id)
                .where(ReflectionPrompt.id == prompt_id, LearningSet.team_id == team_id)
            )
        ).first()
        return (row[0], row[1]) if row else None

    async def used_prompt_indexes(self, set_id: int) -> list[int]:
        """The bank indexes this set was given, oldest first."""
        query = (
            select(ReflectionPrompt.prompt_index)
            .where(ReflectionPrompt.set_id == set_id)
            .order_by(ReflectionPrompt.prompted_at, ReflectionPrompt.id)
        )
        return list((await self.session.scalars(query)).all())

    async def list_nudges_due(self, now: datetime, limit: int) -> Sequence[tuple[ReflectionPrompt, LearningSet]]:
        query = (
            select(ReflectionPrompt, LearningSet)
            .join(LearningSet, LearningSet.id == ReflectionPrompt.set_id)
            .where(ReflectionPrompt.nudge_at <= now)
            .order_by(ReflectionPrompt.nudge_at)
            .limit(limit)
        )
        rows = await self.session.execute(skip_rows_being_planned(self.session, query, of=ReflectionPrompt))
        return [(p, s) for p, s in rows.all()]

    async def add(self, reflection: Reflection) -> Reflection:
        self.session.add(reflection)
        await self.session.flush()
        return reflection

    async def set_message(self, reflection_id: int, *, channel: str, ts: str) -> None:
        reflection = await self.session.get(Reflection, reflection_id)
        if reflection is not None:
            reflection.message_channel, reflection.message_ts = channel, ts

    async def reflected_on(self, prompt_id: int) -> set[str]:
        """Who has written a reflection on this prompt, whoever may see it."""
        query = select(Reflection.user_id).where(Reflection.prompt_id == prompt_id)
        return set((await self.session.scalars(query)).all())

    async def list_of_member(self, team_id: str, user_id: str, limit: int) -> Sequence[tuple[Reflection, LearningSet]]:
        rows = await self.session.execute(
            select(Reflection, LearningSet)
            .join(LearningSet, LearningSet.id == Reflection.set_id)
            .where(Reflection.user_id == user_id, LearningSet.team_id == team_id)
            .order_by(Reflection.created_at.desc(), Reflection.id.desc())
            .limit(limit)
        )
        return [(r, s) for r, s in rows.all()]

    async def count_in_set(self, set_id: int, since: datetime, until: datetime, *, visibility: str) -> int:
        query = select(func.count(Reflection.id)).where(
            Reflection.set_id == set_id,
            Reflection.created_at >= since,
            Reflection.created_at < until,
            Reflection.visibility == visibility,
        )
        return int(await self.session.scalar(query) or 0)

    async def last_of_members(self, set_id: int) -> dict[str, datetime]:
        query = (
            select(Reflection.user_id, func.max(Reflection.created_at))
            .where(Reflection.set_id == set_id)
            .group_by(Reflection.user_id)
        )
        return {str(user): at for user, at in (await self.session.execute(query)).all() if at is not None}
