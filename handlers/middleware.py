"""Global middleware: dependencies into the context, and each Events API delivery handled once.

Both are Bolt middleware classes (`AsyncMiddleware`) rather than functions: Bolt calls a function
middleware through its argument injection, which builds every argument it could inject for each
call. For two middlewares on every request that was about a fifth of what Bolt spent dispatching
`/als help` (pyinstrument, in-process); a class gets the request and `next` directly.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from slack_bolt.async_app import AsyncApp
from slack_bolt.middleware.async_middleware import AsyncMiddleware
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse

from bot.deps import Deps

log = logging.getLogger("als.events")

Next = Callable[[], Awaitable[BoltResponse]]


class ProvideDeps(AsyncMiddleware):
    """Puts the app's dependencies in every request's context, where listeners find them."""

    def __init__(self, deps: Deps) -> None:
        self.deps = deps

    async def async_process(self, *, req: AsyncBoltRequest, resp: BoltResponse, next: Next) -> BoltResponse | None:
        req.context["deps"] = self.deps
        return await next()


class SkipRepeatedEvents(AsyncMiddleware):
    """Slack delivers an event again when it did not get its answer in time (X-Slack-Retry-Num);
    Bolt does not notice. An event whose `event_id` has been handled is answered and dropped."""

    def __init__(self, deps: Deps) -> None:
        self.deps = deps

    async def async_process(self, *, req: AsyncBoltRequest, resp: BoltResponse, next: Next) -> BoltResponse | None:
        body = req.body
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if isinstance(event_id, str) and event_id:
            async with self.deps.db.write() as uow:
                first_time = await uow.events.add_if_new(event_id[:64], self.deps.clock.now())
            if not first_time:
                log.info("ignored a repeated delivery of event %s", event_id[:64])
                return BoltResponse(status=200, body="")
        return await next()


def register(app: AsyncApp, deps: Deps) -> None:
    app.middleware(ProvideDeps(deps))
    app.middleware(SkipRepeatedEvents(deps))
