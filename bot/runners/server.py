"""Running the app: HTTP mode or Socket Mode, with the scheduler, until SIGTERM or SIGINT."""

from __future__ import annotations

import asyncio
import gc
import logging
import signal
import sys
from dataclasses import dataclass

import aiohttp
from aiohttp import web
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp

from bot.app import create_app, web_api_session
from bot.deps import Deps
from bot.runners.web import build_web_app
from scheduler.runner import Scheduler
from storage.migrate import upgrade_to_head
from storage.sqlite_lock import AlreadyLocked, SqliteLock, lock_sqlite

log = logging.getLogger("als.server")

# How long the thread running Python holds the interpreter before another that is waiting gets it.
# SQLite's driver runs each statement in a thread of its own; with Python's 5 ms default, a busy
# event loop kept that thread waiting up to 5 ms for every call into it.
SWITCH_INTERVAL_SECONDS = 0.0005


@dataclass
class Running:
    """A started app; `stop()` shuts it down in order."""

    deps: Deps
    bolt: AsyncApp
    runner: web.AppRunner
    port: int
    scheduler: Scheduler | None
    http_session: aiohttp.ClientSession | None = None
    socket_handler: AsyncSocketModeHandler | None = None
    sqlite_lock: SqliteLock | None = None

    async def stop(self) -> None:
        timeout = self.deps.settings.shutdown_timeout_seconds
        if self.socket_handler is not None:
            await self.socket_handler.disconnect_async()
        # Stop taking requests and let those in progress finish (up to aiohttp's shutdown timeout).
        await self.runner.cleanup()
        # Listeners keep working after Slack has had its acknowledgement: let them end too.
        if not await self.deps.inflight.wait(timeout):
            log.warning("stopped with work still in progress after %.0f s", timeout)
        if self.scheduler is not None:
            await self.scheduler.stop()
        if self.sqlite_lock is not None:
            self.sqlite_lock.release()
        if self.socket_handler is not None:
            await self.socket_handler.close_async()
        if self.http_session is not None:
            await self.http_session.close()
        await self.deps.db.dispose()


async def start(deps: Deps, *, host: str = "0.0.0.0", port: int | None = None, with_scheduler: bool = True) -> Running:
    """Migrate (unless switched off), build the app, and start serving. `port=0` picks a free one."""
    if deps.settings.migrate_on_start:
        await upgrade_to_head(deps.db.engine)
    http_session = web_api_session()
    try:
        bolt = create_app(deps, session=http_session)
        socket_mode = deps.settings.socket_mode
        web_app = build_web_app(bolt=None if socket_mode else bolt, deps=deps)
        runner = web.AppRunner(
            web_app,
            handle_signals=False,
            access_log=None,
            shutdown_timeout=deps.settings.shutdown_timeout_seconds,
        )
        await runner.setup()
        site = web.TCPSite(runner, host, deps.settings.port if port is None else port)
        await site.start()
        bound = runner.addresses[0][1] if runner.addresses else 0
        sqlite_lock, with_scheduler = _single_sqlite_scheduler(deps) if with_scheduler else (None, False)
        scheduler = Scheduler(deps, bolt.client) if with_scheduler else None
        running = Running(
            deps=deps,
            bolt=bolt,
            runner=runner,
            port=int(bound),
            scheduler=scheduler,
            http_session=http_session,
            sqlite_lock=sqlite_lock,
        )
    except BaseException:  # the app did not start: close the session it would have used
        await http_session.close()
        raise
    if socket_mode:
        assert deps.settings.slack_app_token is not None
        running.socket_handler = AsyncSocketModeHandler(bolt, deps.settings.slack_app_token.get_secret_value())
        await running.socket_handler.connect_async()
    if scheduler is not None:
        scheduler.start()
    mode = "Socket Mode" if socket_mode else f"HTTP on port {running.port}"
    log.info("als-bot is running (%s)", mode)
    return running


def _single_sqlite_scheduler(deps: Deps) -> tuple[SqliteLock | None, bool]:
    """(the lock, whether to run the scheduler): on a SQLite file only the process holding its lock
    runs the scheduler, so that two instances never race; PostgreSQL needs no lock."""
    try:
        return lock_sqlite(deps.settings.database_url), True
    except AlreadyLocked as exc:
        log.warning(
            "another process is running the scheduler on this SQLite database (%s is locked), so this one "
            "will not: it serves HTTP only. SQLite supports one instance; use PostgreSQL to run several.",
            exc.path,
        )
        return None, False


def settle_after_start() -> None:
    """Once the app is serving: a short switch interval for the database's threads, and what
    start-up made (modules, the app and its routes), which lives as long as the process, put where
    the collector need not walk it again at every full collection."""
    sys.setswitchinterval(SWITCH_INTERVAL_SECONDS)
    gc.collect()
    gc.freeze()


async def serve(deps: Deps) -> int:
    """Run until SIGTERM or SIGINT, then shut down cleanly; returns the exit status."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    running = await start(deps)
    settle_after_start()
    await stop.wait()
    log.info("shutting down")
    await running.stop()
    log.info("stopped")
    return 0
