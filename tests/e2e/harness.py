"""The real app, started in HTTP mode on a free port, against the Slack stand-in."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime

from bot.clock import FrozenClock
from bot.deps import Deps
from bot.runners.server import Running, start
from bot.settings import Settings
from scheduler.outbox import DispatchReport
from scheduler.sweep import run_sweep
from slack_standin import SlackDriver, SlackStandin
from slack_standin.oauth import OAuthApp
from slack_standin.workspace import Channel, User, Workspace
from storage.database import Database

SIGNING_SECRET = "standin-signing-secret"
DEFAULT_NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)  # a Monday


@dataclass
class Harness:
    standin: SlackStandin
    driver: SlackDriver
    running: Running
    deps: Deps
    clock: FrozenClock

    @property
    def ws(self) -> Workspace:
        return self.standin.workspace

    @property
    def db(self) -> Database:
        return self.deps.db

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.running.port}"

    async def sweep(self, at: datetime | None = None, *, me: str = "test-sender") -> DispatchReport:
        """Run the scheduler's sweep as its tick would (optionally after moving the clock)."""
        if at is not None:
            self.clock.set(at)
        report = await run_sweep(self.deps, self.running.bolt.client, now=self.clock.now(), me=me)
        await self.idle()
        return report

    async def idle(self, timeout: float = 5.0) -> None:
        """Wait until the app has finished the work it does after acknowledging."""
        for _ in range(3):  # twice empty in a row: nothing was about to start
            await asyncio.sleep(0.01)
            if not await self.deps.inflight.wait(timeout):
                raise TimeoutError("the app is still busy")


def settings_for(standin: SlackStandin, database_url: str, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "slack_bot_token": standin.workspace.bot_token,
        "slack_signing_secret": SIGNING_SECRET,
        "slack_api_url": standin.api_url,
        "database_url": database_url,
        "migrate_on_start": False,
        "shutdown_timeout_seconds": 5,
        **overrides,
    }
    return Settings(_env_file=None, **values)  # type: ignore[call-arg, arg-type]


@asynccontextmanager
async def running_app(
    database_url: str,
    *,
    now: datetime = DEFAULT_NOW,
    workspace: Workspace | None = None,
    oauth: OAuthApp | None = None,
    **overrides: object,
) -> AsyncIterator[Harness]:
    """The app against a fresh stand-in: with its one bot token, or (`oauth` given) installed to the
    workspace through the OAuth flow, which the test does with `driver.install()`."""
    standin = SlackStandin(workspace)
    await standin.start()
    clock = FrozenClock(now)
    standin.workspace.clock = lambda: clock.now().timestamp()  # Slack's clock agrees with the app's
    if oauth is not None:
        standin.oauth = oauth
        overrides = {
            "slack_bot_token": None,
            "slack_client_id": oauth.client_id,
            "slack_client_secret": oauth.client_secret,
            **overrides,
        }
    deps = Deps(
        settings=settings_for(standin, database_url, **overrides),
        db=Database.from_url(database_url),
        clock=clock,
    )
    running = await start(deps, host="127.0.0.1", port=0, with_scheduler=False)
    if oauth is not None:
        oauth.redirect_url = f"http://127.0.0.1:{running.port}/slack/oauth_redirect"
    driver = SlackDriver(standin, f"http://127.0.0.1:{running.port}", SIGNING_SECRET)
    try:
        yield Harness(standin=standin, driver=driver, running=running, deps=deps, clock=clock)
    finally:
        await driver.close()
        await running.stop()
        await standin.stop()


@dataclass
class SetPeople:
    """A channel with a facilitator and members, as most tests start."""

    channel: Channel
    facilitator: User
    members: list[User]


def add_set_people(ws: Workspace, *, members: int = 4, name: str = "leaders-set") -> SetPeople:
    facilitator = ws.add_user("Fran Facilitator", tz="Europe/London")
    people = [
        ws.add_user(n, tz=tz)
        for n, tz in [
            ("Ada Lovelace", "Europe/London"),
            ("Grace Hopper", "America/New_York"),
            ("Ravi Shankar", "Asia/Kolkata"),
            ("Mae Jemison", "America/Los_Angeles"),
            ("Linus Pauling", "Europe/Berlin"),
            ("Sofia Kovalevskaya", "Europe/Moscow"),
            ("Alan Turing", "Europe/London"),
        ][:members]
    ]
    channel = ws.add_channel(name, members=[facilitator.id, *(p.id for p in people)])
    return SetPeople(channel=channel, facilitator=facilitator, members=people)
