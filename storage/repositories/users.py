"""What Slack told us about people."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import SlackUser


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
