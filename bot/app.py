"""The app factory: one Bolt app, wired to its dependencies and handlers, for either runner."""

from __future__ import annotations

import logging

import aiohttp
from slack_bolt.async_app import AsyncApp
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient

import handlers
from bot.deps import Deps
from bot.slack_api.installations import DatabaseOAuthStateStore
from handlers import installations, middleware

WEB_API_TIMEOUT_SECONDS = 15
# The bot scopes asked for when the app is installed (keep them as in app.manifest.yml).
BOT_SCOPES = (
    "channels:history",
    "channels:read",
    "chat:write",
    "commands",
    "files:write",
    "groups:history",
    "groups:read",
    "im:history",
    "im:write",
    "users:read",
)
OAUTH_STATE_SECONDS = 600


class _DropTokenSkippedWarning(logging.Filter):
    """Bolt reads SLACK_BOT_TOKEN from the environment by itself and then warns that the client we
    pass (which carries the same token) wins. That is the intended set-up, so the warning goes."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "`token` will be unused" not in record.getMessage()


def web_api_session() -> aiohttp.ClientSession:
    """One HTTP session for the process's Web API calls, so that connections to Slack are kept open
    and reused: a client without one opens a new session, and so a new connection (and TLS
    handshake), for every call. Create it in the running event loop; close it at shutdown."""
    return aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=WEB_API_TIMEOUT_SECONDS))


def create_web_client(
    deps: Deps, token: str | None = None, *, session: aiohttp.ClientSession | None = None
) -> AsyncWebClient:
    """A Web API client that goes through SLACK_API_URL and waits out 429s and 5xx; over `session`
    when given (see web_api_session), which Bolt's per-request clients then share too."""
    return AsyncWebClient(
        token=token,
        base_url=deps.settings.slack_api_url,
        timeout=WEB_API_TIMEOUT_SECONDS,
        session=session,
        logger=logging.getLogger("slack_sdk.web"),
        retry_handlers=[
            AsyncConnectionErrorRetryHandler(max_retry_count=2),
            AsyncRateLimitErrorRetryHandler(max_retry_count=5),
            AsyncServerErrorRetryHandler(max_retry_count=3),
        ],
    )


def create_app(deps: Deps, *, session: aiohttp.ClientSession | None = None) -> AsyncApp:
    settings = deps.settings
    settings.require_slack()
    token = settings.slack_bot_token.get_secret_value() if settings.slack_bot_token else None
    secret = settings.slack_signing_secret.get_secret_value() if settings.slack_signing_secret else ""
    bolt_logger = logging.getLogger("slack_bolt.app")
    if not any(isinstance(f, _DropTokenSkippedWarning) for f in bolt_logger.filters):
        bolt_logger.addFilter(_DropTokenSkippedWarning())
    app = AsyncApp(
        name="als-bot",
        signing_secret=secret,
        client=create_web_client(deps, token, session=session),
        logger=bolt_logger,
        request_verification_enabled=True,
        oauth_settings=create_oauth_settings(deps) if settings.oauth else None,
        # Given here too, so that Bolt's authorization refreshes tokens through SLACK_API_URL.
        installation_store=deps.installations,
    )
    middleware.register(app, deps)
    handlers.register_all(app)
    if settings.oauth:
        installations.register(app)
    return app


def create_oauth_settings(deps: Deps) -> AsyncOAuthSettings:
    """Bolt's OAuth flow (/slack/install, /slack/oauth_redirect) with installations and `state`
    values kept in the app's database; tokens about to expire are refreshed (token rotation)."""
    settings = deps.settings
    assert deps.installations is not None
    assert settings.slack_client_secret is not None
    return AsyncOAuthSettings(
        client_id=settings.slack_client_id,
        client_secret=settings.slack_client_secret.get_secret_value(),
        scopes=list(BOT_SCOPES),
        user_scopes=[],
        authorization_url=settings.slack_authorize_url,
        installation_store=deps.installations,
        state_store=DatabaseOAuthStateStore(deps.db, expiration_seconds=OAUTH_STATE_SECONDS, now=deps.clock.now),
        state_expiration_seconds=OAUTH_STATE_SECONDS,
    )
