"""The aiohttp application: Slack's endpoint, the health check, and careful handling of bad input:
unsigned, stale or replayed requests get 401 (replays.py), bodies that are not Slack payloads 400
(payload_shape.py), and nothing a listener does becomes a 500."""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncApp
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_sdk.signature import SignatureVerifier

from bot.deps import Deps
from bot.runners.payload_shape import is_slack_shaped, read_like_bolt
from bot.runners.replays import ReplayGuard
from storage.migrate import is_at_head

log = logging.getLogger("als.http")

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
MAX_BODY_BYTES = 512 * 1024  # Slack's payloads are a few kB; a modal's state stays well under this
REPLAY_GUARD = web.AppKey("replay_guard", ReplayGuard)


def build_web_app(*, bolt: AsyncApp | None, deps: Deps) -> web.Application:
    """Routes for HTTP mode (`bolt` given) or just the health check (Socket Mode)."""
    app = web.Application(client_max_size=MAX_BODY_BYTES)
    app.router.add_get(HEALTH_PATH, _health_handler(deps))
    if bolt is not None:
        app[REPLAY_GUARD] = ReplayGuard()
        app.router.add_post(EVENTS_PATH, _events_handler(bolt, deps, app[REPLAY_GUARD]))
        if bolt.oauth_flow is not None:
            app.router.add_get(bolt.oauth_flow.install_path, _install_handler(bolt))
            app.router.add_get(bolt.oauth_flow.redirect_uri_path, _install_handler(bolt))
    return app


def _install_handler(bolt: AsyncApp) -> Handler:
    """The install page and the return from Slack's consent screen, handled by Bolt's OAuth flow."""
    flow = bolt.oauth_flow
    assert flow is not None

    async def install(request: web.Request) -> web.Response:
        bolt_request = await to_bolt_request(request)
        if request.path == flow.install_path:
            bolt_response = await flow.handle_installation(bolt_request)
        else:
            bolt_response = await flow.handle_callback(bolt_request)
        return await to_aiohttp_response(bolt_response)

    return install


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


def _events_handler(bolt: AsyncApp, deps: Deps, replays: ReplayGuard) -> Handler:
    secret = deps.settings.slack_signing_secret
    verifier = SignatureVerifier(secret.get_secret_value() if secret else "")

    async def events(request: web.Request) -> web.Response:
        raw = await request.read()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            return _plain(400, "The body is not UTF-8.")
        headers = dict(request.headers.items())
        # Header names in any case: proxies (HTTP/2 ones especially) may pass them on in lower case.
        timestamp = request.headers.get("X-Slack-Request-Timestamp", "")
        signature = request.headers.get("X-Slack-Signature", "")
        if not (timestamp.isascii() and timestamp.isdigit() and signature.isascii()):
            # Unsigned: Bolt would choke on such a timestamp, and the signature check raises on a
            # non-ASCII signature instead of saying no (a 500 for anyone who sends one).
            return _plain(401, "")
        signed = verifier.is_valid(body=text, timestamp=timestamp, signature=signature)
        if signed and not replays.first_time(timestamp=timestamp, signature=signature):
            log.warning("refused a replayed request")
            return _plain(401, "")
        try:
            bolt_request = AsyncBoltRequest(body=text, query=request.query_string, headers=headers)  # type: ignore[arg-type]
            if not isinstance(bolt_request.body, dict) or not is_slack_shaped(bolt_request.body):
                raise ValueError("not a Slack payload")
            read_like_bolt(bolt_request.body)
        except Exception:
            # Bolt checks signatures after parsing; a body it cannot parse is checked here first so
            # that an unsigned request still gets 401, and a signed but broken one 400.
            return _plain(400 if signed else 401, "The body is not a Slack payload." if signed else "")
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
