"""What Slack told us about people."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Commitment, LearningSet, SlackUser


class UserRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, team_id: str, user_id: str) -> SlackUser | None:
        return await self.session.get(SlackUser, (team_id, user_id))

    async def save(
        self,
        *,
        team_id: str,
        user_id: str,
        display_name: str,
        tz: str | None,
        is_bot: bool,
        is_deleted: bool,
        now: datetime,
    ) -> SlackUser:
        user = await self.get(team_id, user_id)
        if user is None:
            user = SlackUser(team_id=team_id, user_id=user_id)
            self.session.add(user)
        user.display_name, user.tz = display_name, tz
        user.is_bot, user.is_deleted, user.fetched_at = is_bot, is_deleted, now
        await self.session.flush()
        return user

    async def list_stale_with_open_commitments(self, older_than: datetime, limit: int) -> Sequence[tuple[str, str]]:
        """(team, user) of people with reminders still to come whose profile was read before `older_than`."""
        query = (
            select(SlackUser.team_id, SlackUser.user_id)
            .join(LearningSet, LearningSet.team_id == SlackUser.team_id)
            .join(Commitment, (Commitment.set_id == LearningSet.id) & (Commitment.user_id == SlackUser.user_id))
            .where(Commitment.next_reminder_at.is_not(None), SlackUser.fetched_at < older_than)
            .distinct()
            .limit(limit)
        )
        return [(row[0], row[1]) for row in (await self.session.execute(query)).all()]
