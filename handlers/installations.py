"""When a workspace removes the app (`app_uninstalled`) or revokes its bot token (`tokens_revoked`):
its tokens are deleted and the messages scheduled for it are cancelled. Registered in OAuth mode only."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.async_context import AsyncBoltContext

from bot.deps import Deps

log = logging.getLogger("als.installations")

UNINSTALLED = "the app was removed from the workspace"


async def handle_app_uninstalled_event(context: AsyncBoltContext) -> None:
    await _forget_workspace(context, why="app_uninstalled")


async def handle_tokens_revoked_event(event: dict[str, Any], context: AsyncBoltContext) -> None:
    tokens = event.get("tokens") or {}
    if tokens.get("bot"):  # only user tokens revoked: the bot goes on as it was (this app has none)
        await _forget_workspace(context, why="tokens_revoked")


async def _forget_workspace(context: AsyncBoltContext, *, why: str) -> None:
    deps: Deps = context["deps"]
    team_id = context.team_id
    if deps.installations is None or not team_id:
        return
    is_org = bool(context.is_enterprise_install)
    await deps.installations.async_delete_all(enterprise_id=context.enterprise_id, team_id=None if is_org else team_id)
    async with deps.db.write() as uow:
        cancelled = await uow.outbox.cancel_unsent_of_team(team_id, deps.clock.now(), UNINSTALLED)
    log.info("workspace %s: %s, its tokens deleted and %s scheduled messages cancelled", team_id, why, cancelled)


def register(app: AsyncApp) -> None:
    app.event("app_uninstalled")(handle_app_uninstalled_event)
    app.event("tokens_revoked")(handle_tokens_revoked_event)
