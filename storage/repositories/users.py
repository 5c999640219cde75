"""What Slack told us about people."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Commitment, LearningSet, SlackUser


def stale_people_with_reminders(older_than: datetime, limit: int) -> Select[str, str]:
    """(team, user) of people with reminders still to come whose profile was read before
    `older_than`. Driven from the profiles, through their fetched_at index, so that its cost follows
    how many profiles are old, not how many commitments are stored."""
    has_reminders = (
        select(Commitment.id)
        .join(LearningSet, LearningSet.id == Commitment.set_id)
        .where(
            LearningSet.team_id == SlackUser.team_id,
            Commitment.user_id == SlackUser.user_id,
            Commitment.next_reminder_at.is_not(None),
        )
        .exists()
    )
    return (
        select(SlackUser.team_id, SlackUser.user_id)
        .where(SlackUser.fetched_at < older_than, has_reminders)
        .order_by(SlackUser.fetched_at)
        .limit(limit)
    )


class UserRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, team_id: str, user_id: str) -> SlackUser | None:
        return await self.session.get(SlackUser, (team_id, user_id))

    async def zones(self, people: Collection[tuple[str, str]]) -> dict[tuple[str, str], str]:
        """The Slack time zone of each of these (team, user) people that has one, in one read."""
        if not people:
            return {}
        query = select(SlackUser.team_id, SlackUser.user_id, SlackUser.tz).where(
            SlackUser.team_id.in_({team for team, _ in people}),
            SlackUser.user_id.in_({user for _, user in people}),
            SlackUser.tz.is_not(None),
        )
        wanted = set(people)
        return {
            (team, user): tz
            for team, user, tz in (await self.session.execute(query)).all()
            if tz and (team, user) in wanted
        }

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
        query = stale_people_with_reminders(older_than, limit)
        return [(row[0], row[1]) for row in (await self.session.execute(query)).all()]
