"""Where the app is installed (OAuth mode) and the `state` values of installs in progress."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CursorResult, Select, delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import OAuthState, SlackInstallation


def _key(value: str | None) -> str:
    return value or ""


class InstallationRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def _where(self, *, client_id: str, enterprise_id: str | None, team_id: str | None) -> Select[SlackInstallation]:
        return select(SlackInstallation).where(
            SlackInstallation.client_id == client_id,
            SlackInstallation.enterprise_key == _key(enterprise_id),
            SlackInstallation.team_key == _key(team_id),
        )

    async def get(self, *, client_id: str, enterprise_id: str | None, team_id: str | None) -> SlackInstallation | None:
        """The installation of app `client_id` in a workspace (`team_id`) or, for an org-wide install,
        in an org (`enterprise_id` with no `team_id`)."""
        return await self.session.scalar(self._where(client_id=client_id, enterprise_id=enterprise_id, team_id=team_id))

    async def get_or_add(
        self, *, client_id: str, enterprise_id: str | None, team_id: str | None, user_id: str
    ) -> SlackInstallation:
        """The row to write a (re)installation into: the workspace's one row, made if missing."""
        row = await self.get(client_id=client_id, enterprise_id=enterprise_id, team_id=team_id)
        if row is None:
            row = SlackInstallation(
                client_id=client_id, enterprise_key=_key(enterprise_id), team_key=_key(team_id), user_id=user_id
            )
            self.session.add(row)
        return row

    async def delete(self, *, client_id: str, enterprise_id: str | None, team_id: str | None) -> None:
        await self.session.execute(
            delete(SlackInstallation).where(
                SlackInstallation.client_id == client_id,
                SlackInstallation.enterprise_key == _key(enterprise_id),
                SlackInstallation.team_key == _key(team_id),
            )
        )

    async def add_state(self, state: str, *, now: datetime, expires_at: datetime) -> None:
        """Remember a new `state`, forgetting those that have expired."""
        await self.session.execute(delete(OAuthState).where(OAuthState.expires_at <= now))
        self.session.add(OAuthState(state=state, expires_at=expires_at))

    async def consume_state(self, state: str, *, now: datetime) -> bool:
        """True once for a `state` we issued that has not expired; it cannot be used again."""
        result: CursorResult[tuple[()]] = await self.session.execute(  # type: ignore[assignment]
            delete(OAuthState).where(OAuthState.state == state[:64], OAuthState.expires_at > now)
        )
        return result.rowcount == 1
