"""Which bot token to send with: the one token in single-workspace mode, or the token of the
workspace a message is for when the app is installed to many (refreshed first when it is about to
expire, if token rotation is on)."""

from __future__ import annotations

import asyncio
import logging

from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.async_handler import AsyncRetryHandler
from slack_sdk.oauth.installation_store import Installation
from slack_sdk.oauth.token_rotation.async_rotator import AsyncTokenRotator
from slack_sdk.web.async_client import AsyncWebClient

from bot.deps import Deps

log = logging.getLogger("als.workspaces")

# Bolt's default for requests; the scheduler refreshes a token as early.
ROTATE_MINUTES_BEFORE_EXPIRY = 120


def with_token(client: AsyncWebClient, token: str) -> AsyncWebClient:
    """A client like `client` (same API URL, timeout, retries and HTTP session) that sends `token`."""
    return _like(client, token=token, retry_handlers=client.retry_handlers)


def without_retries(client: AsyncWebClient) -> AsyncWebClient:
    """A client like `client` that hands every failure back to the caller instead of retrying: for
    the scheduler's posts, whose pace the caller keeps (scheduler.pacing: a 429 must take its turn
    like any post) and which must not be sent again before Slack's history has been checked for
    them (scheduler.outbox: a 5xx or a dropped connection can come after Slack has posted)."""
    return _like(client, token=client.token, retry_handlers=[])


def _like(client: AsyncWebClient, *, token: str | None, retry_handlers: list[AsyncRetryHandler]) -> AsyncWebClient:
    return AsyncWebClient(
        token=token,
        base_url=client.base_url,
        timeout=client.timeout,
        session=client.session,
        logger=client.logger,
        retry_handlers=retry_handlers,
    )


async def client_for_team(deps: Deps, client: AsyncWebClient, team_id: str) -> AsyncWebClient | None:
    """The client to act in workspace `team_id` with, or None when the app is not installed there
    (any more). In single-workspace mode that is always `client` itself. Raises SlackApiError when
    an expiring token could not be refreshed (a later attempt may succeed)."""
    store = deps.installations
    if store is None:
        return client
    installation = await store.async_find_installation(enterprise_id=None, team_id=team_id)
    if installation is not None and installation.bot_refresh_token:
        # One refresh at a time per workspace: Slack revokes a refresh token once it has been used.
        async with deps.token_locks.setdefault(team_id, asyncio.Lock()):
            installation = await _refreshed(deps, client, team_id, seen=installation.bot_token)
    if installation is None or not installation.bot_token:
        return None
    return with_token(client, installation.bot_token)


async def _refreshed(deps: Deps, client: AsyncWebClient, team_id: str, *, seen: str | None) -> Installation | None:
    """The installation with a token that is not about to expire. `seen` is the token read before
    waiting for the lock: when it has changed meanwhile, whoever held the lock refreshed it, and
    refreshing again would only replace a token that others are about to send with."""
    store = deps.installations
    assert store is not None
    installation = await store.async_find_installation(enterprise_id=None, team_id=team_id)
    secret = deps.settings.slack_client_secret
    if installation is None or deps.settings.slack_client_id is None or secret is None:
        return installation
    if installation.bot_token != seen:
        return installation
    rotator = AsyncTokenRotator(
        client_id=deps.settings.slack_client_id, client_secret=secret.get_secret_value(), client=client
    )
    try:
        refreshed = await rotator.perform_token_rotation(
            installation=installation, minutes_before_expiration=ROTATE_MINUTES_BEFORE_EXPIRY
        )
    except SlackApiError as exc:
        # Another process (or Bolt, for a request) may have refreshed it first with the same token.
        again = await store.async_find_installation(enterprise_id=None, team_id=team_id)
        if again is not None and again.bot_refresh_token != installation.bot_refresh_token:
            return again
        log.warning("could not refresh the token of workspace %s: %s", team_id, exc.response.get("error"))
        raise
    if refreshed is None:
        return installation
    await store.async_save(refreshed)
    return refreshed
