"""Global middleware: dependencies into the context, and each Events API delivery handled once."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.response import BoltResponse

from bot.deps import Deps

log = logging.getLogger("als.events")


def register(app: AsyncApp, deps: Deps) -> None:
    async def provide_deps(context: AsyncBoltContext, next: Callable[[], Awaitable[None]]) -> None:
        context["deps"] = deps
        await next()

    async def skip_repeated_events(body: dict[str, Any], next: Callable[[], Awaitable[None]]) -> BoltResponse | None:
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if isinstance(event_id, str) and event_id:
            async with deps.db.write() as uow:
                first_time = await uow.events.add_if_new(event_id[:64], deps.clock.now())
            if not first_time:
                log.info("ignored a repeated delivery of event %s", event_id[:64])
                return BoltResponse(status=200, body="")
        await next()
        return None

    app.middleware(provide_deps)
    app.middleware(skip_repeated_events)
