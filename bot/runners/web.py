"""The aiohttp application: Slack's endpoint, the health check, and careful handling of bad input."""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response
from slack_bolt.async_app import AsyncApp
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_sdk.signature import SignatureVerifier

from bot.deps import Deps
from storage.migrate import is_at_head

log = logging.getLogger("als.http")

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
MAX_BODY_BYTES = 512 * 1024  # Slack's payloads are a few kB; a modal's state stays well under this


def build_web_app(*, bolt: AsyncApp | None, deps: Deps) -> web.Application:
    """Routes for HTTP mode (`bolt` given) or just the health check (Socket Mode)."""
    app = web.Application(client_max_size=MAX_BODY_BYTES)
    app.router.add_get(HEALTH_PATH, _health_handler(deps))
    if bolt is not None:
        app.router.add_post(EVENTS_PATH, _events_handler(bolt, deps))
    return app


def _health_handler(deps: Deps) -> Handler:
    async def health(_: web.Request) -> web.Response:
        database = await deps.db.ping()
        migrated = database and await _migrated(deps)
        status = 200 if database and migrated else 503
        body = {
            "status": "ok" if status == 200 else "unavailable",
            "database": database,
            "migrated": migrated,
        }
        return web.json_response(body, status=status)

    return health


async def _migrated(deps: Deps) -> bool:
    try:
        return await is_at_head(deps.db.engine)
    except Exception:
        return False


def _events_handler(bolt: AsyncApp, deps: Deps) -> Handler:
    secret = deps.settings.slack_signing_secret
    verifier = SignatureVerifier(secret.get_secret_value() if secret else "")

    async def events(request: web.Request) -> web.Response:
        raw = await request.read()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            return _plain(400, "The body is not UTF-8.")
        headers = dict(request.headers.items())
        timestamp = headers.get("X-Slack-Request-Timestamp", "")
        if not timestamp.isascii() or not timestamp.isdigit():
            return _plain(401, "")  # unsigned: Bolt would choke on the timestamp, so refuse it here
        try:
            bolt_request = AsyncBoltRequest(body=text, query=request.query_string, headers=headers)  # type: ignore[arg-type]
            if not isinstance(bolt_request.body, dict):
                raise ValueError("not an object")
        except Exception:
            # Bolt checks signatures after parsing; a body it cannot parse is checked here first so
            # that an unsigned request still gets 401, and a signed but broken one 400.
            signature = headers.get("X-Slack-Signature", "")
            if not verifier.is_valid(body=text, timestamp=timestamp, signature=signature):
                return _plain(401, "")
            return _plain(400, "The body is not a Slack payload.")
        started = time.perf_counter()
        bolt_response = await bolt.async_dispatch(bolt_request)
        if bolt_response.status >= 500:
            log.error(
                "request answered %s after %.0f ms",
                bolt_response.status,
                (time.perf_counter() - started) * 1000,
            )
        return await to_aiohttp_response(bolt_response)

    return events


def _plain(status: int, text: str) -> web.Response:
    return web.Response(status=status, text=text)
