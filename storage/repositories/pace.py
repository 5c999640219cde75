"""The shared pace of scheduled posts: a row per workspace and a row per channel, read under a row
lock and written back in the transaction that sends the posts on their way."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlalchemy import case, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.dialect import insert_rows_ignoring_conflicts
from storage.models import PostPace

WORKSPACE = "*"  # the target of a workspace's own row
NEVER = 0.0  # a target that has had no post yet is free since the epoch


class PaceRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def hold(self, team_id: str, channels: Sequence[str]) -> tuple[dict[str, float], float]:
        """(when each channel is free, the workspace's tat), locked until the transaction ends. On
        PostgreSQL the rows are locked FOR UPDATE, the workspace's first, so that two instances
        never hold parts of one workspace's record each; SQLite's writer holds the whole database."""
        targets = [WORKSPACE, *dict.fromkeys(channels)]
        found = await self._locked(team_id, targets)
        missing = [target for target in targets if target not in found]
        if missing:
            await self.session.execute(
                insert_rows_ignoring_conflicts(
                    self.session, PostPace, [{"team_id": team_id, "target": t, "free_at": NEVER} for t in missing]
                )
            )
            found = await self._locked(team_id, targets)
        return {channel: found[channel] for channel in channels}, found[WORKSPACE]

    async def book(self, team_id: str, channels: Mapping[str, float], *, tat: float) -> None:
        """Write back the workspace's tat and when each of these channels is next free."""
        await self.session.execute(
            update(PostPace)
            .where(PostPace.team_id == team_id, PostPace.target == WORKSPACE)
            .values(free_at=tat)
            .execution_options(synchronize_session=False)
        )
        if channels:
            await self.session.execute(
                update(PostPace)
                .where(PostPace.team_id == team_id, PostPace.target.in_(list(channels)))
                .values(free_at=case(dict(channels), value=PostPace.target))
                .execution_options(synchronize_session=False)
            )

    async def _locked(self, team_id: str, targets: Sequence[str]) -> dict[str, float]:
        query = (
            select(PostPace.target, PostPace.free_at)
            .where(PostPace.team_id == team_id, PostPace.target.in_(targets))
            .order_by((PostPace.target == WORKSPACE).desc(), PostPace.target)  # the same order in every instance
        )
        if self.session.get_bind().dialect.name == "postgresql":
            query = query.with_for_update()
        return {row.target: row.free_at for row in (await self.session.execute(query)).all()}
