"""The shared pace of scheduled posts: two rows per post (its workspace's and its channel's), read
under a row lock and written back in the transaction that sends the post on its way."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.dialect import insert_ignoring_conflicts
from storage.models import PostPace

WORKSPACE = "*"  # the target of a workspace's own row
NEVER = 0.0  # a target that has had no post yet is free since the epoch


class PaceRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def hold(self, team_id: str, channel: str) -> tuple[float, float]:
        """(channel free at, workspace's tat), locked until the transaction ends. On PostgreSQL the
        rows are locked FOR UPDATE (the workspace's first, then the channel's, in every instance);
        SQLite's writer holds the whole database already."""
        found = await self._locked(team_id, channel)
        missing = [target for target in (WORKSPACE, channel) if target not in found]
        if missing:
            for target in missing:
                await self.session.execute(
                    insert_ignoring_conflicts(self.session, PostPace, team_id=team_id, target=target, free_at=NEVER)
                )
            found = await self._locked(team_id, channel)
        return found[channel], found[WORKSPACE]

    async def book(self, team_id: str, channel: str, *, channel_free: float, tat: float) -> None:
        for target, free_at in ((WORKSPACE, tat), (channel, channel_free)):
            await self.session.execute(
                update(PostPace)
                .where(PostPace.team_id == team_id, PostPace.target == target)
                .values(free_at=free_at)
                .execution_options(synchronize_session=False)
            )

    async def _locked(self, team_id: str, channel: str) -> dict[str, float]:
        query = (
            select(PostPace.target, PostPace.free_at)
            .where(PostPace.team_id == team_id, PostPace.target.in_((WORKSPACE, channel)))
            .order_by((PostPace.target == WORKSPACE).desc())  # locked in this order in every instance
        )
        if self.session.get_bind().dialect.name == "postgresql":
            query = query.with_for_update()
        return {row.target: row.free_at for row in (await self.session.execute(query)).all()}
