"""Slack's OAuth stores on the app's own database: installations (a bot token per workspace) and the
one-time `state` values of installs in progress. They implement slack_sdk's AsyncInstallationStore
and AsyncOAuthStateStore, so Bolt's OAuth flow and its authorization use them as they are.

slack_sdk's own SQLAlchemy stores are not used: they keep naive timestamps, run transactions of
their own beside the app's units of work (on SQLite without taking the write lock up front), and
define tables with names and types that the app's migrations and models would have to copy.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from slack_sdk.oauth.installation_store import Bot, Installation
from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.oauth.state_store.async_state_store import AsyncOAuthStateStore

from storage.database import Database
from storage.models import SlackInstallation

log = logging.getLogger("als.installations")


def _utc_now() -> datetime:
    return datetime.now(UTC)


def _expires_at(value: int | None) -> datetime | None:
    return datetime.fromtimestamp(value, UTC) if value else None


def _installation(row: SlackInstallation) -> Installation:
    return Installation(
        app_id=row.app_id,
        enterprise_id=row.enterprise_key or None,
        enterprise_name=row.enterprise_name,
        team_id=row.team_key or None,
        team_name=row.team_name,
        bot_token=row.bot_token,
        bot_id=row.bot_id,
        bot_user_id=row.bot_user_id,
        bot_scopes=row.bot_scopes or "",
        bot_refresh_token=row.bot_refresh_token,
        bot_token_expires_at=int(row.bot_token_expires_at.timestamp()) if row.bot_token_expires_at else None,
        user_id=row.user_id,
        is_enterprise_install=row.is_enterprise_install,
        token_type=row.token_type,
        installed_at=row.installed_at.timestamp(),
    )


class DatabaseInstallationStore(AsyncInstallationStore):
    """One installation per workspace (or per org, for an org-wide install) of the app `client_id`;
    a new installation replaces the one before. The app asks for no user tokens."""

    def __init__(self, db: Database, *, client_id: str) -> None:
        self.db = db
        self.client_id = client_id

    @property
    def logger(self) -> logging.Logger:
        return log

    async def async_save(self, installation: Installation) -> None:
        await self._save(installation.to_bot(), user_id=installation.user_id)

    async def async_save_bot(self, bot: Bot) -> None:
        await self._save(bot, user_id=None)

    async def _save(self, bot: Bot, *, user_id: str | None) -> None:
        team_id = None if bot.is_enterprise_install else bot.team_id
        async with self.db.write() as uow:
            row = await uow.installations.get_or_add(
                client_id=self.client_id, enterprise_id=bot.enterprise_id, team_id=team_id, user_id=user_id or ""
            )
            if user_id is not None:
                row.user_id = user_id
            row.is_enterprise_install = bool(bot.is_enterprise_install)
            row.app_id = bot.app_id or ""
            row.team_name = bot.team_name
            row.enterprise_name = bot.enterprise_name
            row.bot_id = bot.bot_id
            row.bot_user_id = bot.bot_user_id
            row.bot_token = bot.bot_token
            row.bot_scopes = ",".join(bot.bot_scopes) if bot.bot_scopes else None
            row.bot_refresh_token = bot.bot_refresh_token
            row.bot_token_expires_at = _expires_at(bot.bot_token_expires_at)
            row.token_type = "bot"
            row.installed_at = datetime.fromtimestamp(bot.installed_at, UTC)

    async def async_find_bot(
        self, *, enterprise_id: str | None, team_id: str | None, is_enterprise_install: bool | None = False
    ) -> Bot | None:
        installation = await self.async_find_installation(
            enterprise_id=enterprise_id, team_id=team_id, is_enterprise_install=is_enterprise_install
        )
        return installation.to_bot() if installation is not None and installation.bot_token else None

    async def async_find_installation(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None = None,
        is_enterprise_install: bool | None = False,
    ) -> Installation | None:
        async with self.db.read() as uow:
            row = await uow.installations.get(
                client_id=self.client_id,
                enterprise_id=enterprise_id,
                team_id=None if is_enterprise_install else team_id,
            )
        if row is None or (user_id is not None and user_id != row.user_id):
            return None  # with no user tokens, a person's own installation exists only for the installer
        return _installation(row)

    async def async_delete_bot(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        await self._delete(enterprise_id=enterprise_id, team_id=team_id)

    async def async_delete_installation(
        self, *, enterprise_id: str | None, team_id: str | None, user_id: str | None = None
    ) -> None:
        if user_id is None:  # there are no user installations to delete one by one
            await self._delete(enterprise_id=enterprise_id, team_id=team_id)

    async def async_delete_all(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        await self._delete(enterprise_id=enterprise_id, team_id=team_id)

    async def _delete(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        async with self.db.write() as uow:
            await uow.installations.delete(client_id=self.client_id, enterprise_id=enterprise_id, team_id=team_id)


class DatabaseOAuthStateStore(AsyncOAuthStateStore):
    """Random `state` values, each consumed at most once and only before it expires."""

    def __init__(self, db: Database, *, expiration_seconds: int, now: Callable[[], datetime] = _utc_now) -> None:
        self.db = db
        self.expiration = timedelta(seconds=expiration_seconds)
        self.now = now

    @property
    def logger(self) -> logging.Logger:
        return log

    async def async_issue(self, *args: object, **kwargs: object) -> str:
        state = secrets.token_urlsafe(32)
        now = self.now()
        async with self.db.write() as uow:
            await uow.installations.add_state(state, now=now, expires_at=now + self.expiration)
        return state

    async def async_consume(self, state: str) -> bool:
        async with self.db.write() as uow:
            return await uow.installations.consume_state(state, now=self.now())
