"""The floor: a Bolt app with one listener that only acknowledges `/als`, served exactly as the
app is served. Same aiohttp application (bot.runners.web.build_web_app: the body checks, Bolt's
signature check and dispatch, /healthz), same AppRunner options, same Web API client, settled
the same way once it serves (bot.runners.server.settle_after_start); no middleware, no database
work, no handlers.

    python -m bench.bare_app     # settings from the environment, like `python -m bot`
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
from collections.abc import Callable

from aiohttp import web
from slack_bolt.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck

from bot.app import create_web_client
from bot.deps import Deps
from bot.logs import configure_logging
from bot.runners.server import settle_after_start
from bot.runners.web import build_web_app
from bot.settings import Settings, load_settings
from handlers.ids import COMMAND
from storage.database import Database


def bolt_without_listeners(deps: Deps, name: str) -> AsyncApp:
    """A Bolt app set up as the app's is (signature check, the same Web API client), nothing else."""
    settings = deps.settings
    secret = settings.slack_signing_secret.get_secret_value() if settings.slack_signing_secret else ""
    token = settings.slack_bot_token.get_secret_value() if settings.slack_bot_token else None
    return AsyncApp(
        name=name,
        signing_secret=secret,
        client=create_web_client(deps, token),
        logger=logging.getLogger("slack_bolt.app"),
        request_verification_enabled=True,
    )


def create_bare_app(deps: Deps) -> AsyncApp:
    app = bolt_without_listeners(deps, "bare")

    async def ack_only(ack: AsyncAck) -> None:
        await ack()

    app.command(COMMAND)(ack_only)
    return app


async def serve(settings: Settings, create: Callable[[Deps], AsyncApp] = create_bare_app) -> None:
    """Serve the Bolt app that `create` makes (the bare app unless told) until SIGTERM or SIGINT."""
    deps = Deps(settings=settings, db=Database.from_url(settings.database_url))
    web_app = build_web_app(bolt=create(deps), deps=deps)
    # The same runner options as bot.runners.server.start.
    runner = web.AppRunner(
        web_app, handle_signals=False, access_log=None, shutdown_timeout=settings.shutdown_timeout_seconds
    )
    await runner.setup()
    await web.TCPSite(runner, "0.0.0.0", settings.port).start()
    settle_after_start()  # as bot.runners.server.serve does
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    await runner.cleanup()
    await deps.db.dispose()


def main() -> int:
    settings = load_settings()
    configure_logging(settings.log_level)
    # Bolt reads SLACK_BOT_TOKEN itself and warns that the client's token wins; it does here too.
    os.environ.pop("SLACK_BOT_TOKEN", None)
    asyncio.run(serve(settings))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
