"""The aiohttp application: Slack's endpoint, the health check, and careful handling of bad input.

A signed request is taken once: the exact same request (same timestamp and signature) delivered
again within the five minutes its signature is valid gets 401, like an unsigned one. The signatures
seen are remembered in memory, so with several instances behind a load balancer each instance
refuses only the replays that reach it.
"""

from __future__ import annotations

import heapq
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response
from slack_bolt.async_app import AsyncApp
from slack_bolt.request import payload_utils
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_sdk.signature import SignatureVerifier

from bot.deps import Deps
from storage.migrate import is_at_head

log = logging.getLogger("als.http")

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
MAX_BODY_BYTES = 512 * 1024  # Slack's payloads are a few kB; a modal's state stays well under this
REPLAY_WINDOW_SECONDS = 5 * 60  # how far a request's timestamp may be from now (Slack's rule, and Bolt's)
REPLAYS_REMEMBERED = 100_000  # a few MB at most; far more than Slack sends one app in five minutes

# What Bolt reads from every payload before any listener runs. A body these fail on (say, a view
# with no type) is not one Slack sends: it gets 400, not Bolt's 500 (see also _slack_shaped).
BOLT_READERS: tuple[Callable[[dict[str, Any]], Any], ...] = (
    payload_utils.to_options,
    payload_utils.to_shortcut,
    payload_utils.to_action,
    payload_utils.to_view,
    payload_utils.to_command,
    payload_utils.to_event,
    payload_utils.to_message,
    payload_utils.to_step,
)


class ReplayGuard:
    """The signed requests taken in the last five minutes, each remembered until its timestamp is
    too old for the signature check to pass anyway. Only requests whose signature is valid are
    remembered, so unsigned garbage cannot fill the memory; past `capacity` the oldest go first."""

    def __init__(
        self,
        *,
        window: float = REPLAY_WINDOW_SECONDS,
        capacity: int = REPLAYS_REMEMBERED,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._window, self._capacity, self._clock = window, capacity, clock
        self._expiries: list[tuple[float, str]] = []  # a heap of (when it stops mattering, key)
        self._seen: set[str] = set()
        self.forgotten_early = 0

    def __len__(self) -> int:
        return len(self._seen)

    def first_time(self, *, timestamp: str, signature: str) -> bool:
        """True, and remembered, the first time; False when this exact request was taken before."""
        now = self._clock()
        while self._expiries and self._expiries[0][0] < now:
            self._seen.discard(heapq.heappop(self._expiries)[1])
        key = f"{timestamp}:{signature}"
        if key in self._seen:
            return False
        if len(self._seen) >= self._capacity:
            self._seen.discard(heapq.heappop(self._expiries)[1])
            self.forgotten_early += 1
            if self.forgotten_early % 1000 == 1:
                log.warning("replay guard full: forgetting signatures before their five minutes are up")
        self._seen.add(key)
        heapq.heappush(self._expiries, (int(timestamp) + self._window, key))
        return True


REPLAY_GUARD = web.AppKey("replay_guard", ReplayGuard)


def _slack_shaped(body: dict[str, Any]) -> bool:
    """Whether the parts Bolt's listener matching indexes without looking have the types Slack
    always gives them: every action an object with an action_id, a view an object with a type and
    a callback_id, an event an object with a type."""
    kind = body.get("type")
    actions = body.get("actions")
    if kind == "block_actions" and not (
        isinstance(actions, list)
        and actions
        and all(isinstance(a, dict) and isinstance(a.get("action_id"), str) for a in actions)
    ):
        return False
    view = body.get("view", {})
    if not isinstance(view, dict):
        return False
    if kind in {"view_submission", "view_closed"} and not all(
        isinstance(view.get(k), str) for k in ("type", "callback_id")
    ):
        return False
    event = body.get("event", {"type": ""})
    if not (isinstance(event, dict) and isinstance(event.get("type"), str)):
        return False
    return kind != "block_suggestion" or isinstance(body.get("action_id"), str)


def build_web_app(*, bolt: AsyncApp | None, deps: Deps) -> web.Application:
    """Routes for HTTP mode (`bolt` given) or just the health check (Socket Mode)."""
    app = web.Application(client_max_size=MAX_BODY_BYTES)
    app.router.add_get(HEALTH_PATH, _health_handler(deps))
    if bolt is not None:
        app[REPLAY_GUARD] = ReplayGuard()
        app.router.add_post(EVENTS_PATH, _events_handler(bolt, deps, app[REPLAY_GUARD]))
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
            if not isinstance(bolt_request.body, dict) or not _slack_shaped(bolt_request.body):
                raise ValueError("not a Slack payload")
            for read in BOLT_READERS:
                read(bolt_request.body)
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
