"""For the tests that run several app processes on one database: a population with reminders due
(written in bulk, with the benches' id scheme so the stand-in's workspace matches), a count of what
Slack accepted kept as it arrives (a scan of every call per check would be quadratic), and each
process's log read as it is written (a full pipe would stall the process)."""

from __future__ import annotations

import asyncio
import contextlib
import signal
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from bench.population import SetShape, add_due_commitments, add_sets, fix_sequences
from bench.standin import build_workspace
from slack_standin import SlackStandin
from slack_standin.workspace import Message
from storage.database import Database
from tests.e2e.harness import SIGNING_SECRET
from tests.e2e.processes import AppProcess, app_process, clean_env

OUTBOX_EVENT = "als_outbox"


async def add_people(database_url: str, shape: SetShape, *, now: datetime) -> None:
    """Sets, members and their profiles, with nothing due."""
    db = Database.from_url(database_url)
    try:
        async with db.engine.begin() as conn:
            await add_sets(conn, shape=shape, now=now)
            await fix_sequences(conn)
    finally:
        await db.dispose()


async def add_due_reminders(database_url: str, shape: SetShape, *, now: datetime, per_set: int, first_id: int) -> int:
    """`per_set` open commitments in every set, each by a different member, due today, with their
    reminder due now. Returns how many."""
    db = Database.from_url(database_url)
    try:
        async with db.engine.begin() as conn:
            count = await add_due_commitments(conn, shape=shape, now=now, per_set=per_set, first_id=first_id)
            await fix_sequences(conn)
    finally:
        await db.dispose()
    return count


def pid_of(claimed_by: str) -> int:
    """The process id in an outbox row's `claimed_by` (host:pid:nonce, see scheduler.outbox.sender_id)."""
    return int(claimed_by.split(":")[-2])


@dataclass
class Accepted:
    """Outbox messages Slack accepted, by key, counted as they are stored."""

    keys: Counter[str] = field(default_factory=Counter)

    def __call__(self, kind: str, item: Any) -> None:
        if kind == "message" and isinstance(item, Message):
            metadata = item.metadata or {}
            if metadata.get("event_type") == OUTBOX_EVENT:
                self.keys[str(metadata["event_payload"]["key"])] += 1

    @property
    def total(self) -> int:
        return sum(self.keys.values())


def standin_for(shape: SetShape) -> tuple[SlackStandin, Accepted]:
    standin = SlackStandin(build_workspace(shape))
    accepted = Accepted()
    standin.observers.append(accepted)
    return standin, accepted


async def wait_for(condition: Any, *, timeout: float, every: float = 0.1) -> None:
    """Poll `condition()` (sync or async) until it is truthy."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        result = condition()
        if asyncio.iscoroutine(result):
            result = await result
        if result:
            return
        if loop.time() > deadline:
            raise TimeoutError(f"not met within {timeout} s")
        await asyncio.sleep(every)


@dataclass
class Instance:
    """One app process, its log collected line by line."""

    app: AppProcess
    log: list[str] = field(default_factory=list)
    reader: asyncio.Task[None] | None = None

    @property
    def pid(self) -> int:
        return self.app.process.pid

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.app.port}"

    def logged(self, text: str) -> list[str]:
        return [line for line in self.log if text in line]

    async def stop(self, sig: signal.Signals = signal.SIGTERM) -> int:
        """Send `sig`, wait for the exit status, and for the last of the log."""
        self.app.signal(sig)
        status = await self.app.wait()
        if self.reader is not None:
            await asyncio.wait_for(self.reader, 5)
        return status


def instance_env(standin: SlackStandin, database_url: str, **extra: str) -> dict[str, str]:
    return clean_env(
        SLACK_BOT_TOKEN=standin.workspace.bot_token,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=standin.api_url,
        DATABASE_URL=database_url,
        **extra,
    )


@asynccontextmanager
async def instance(env: dict[str, str], cwd: Path) -> AsyncIterator[Instance]:
    async with app_process(env, cwd) as app:
        running = Instance(app)
        stream = app.process.stderr
        assert stream is not None

        async def collect() -> None:
            while line := await stream.readline():
                running.log.append(line.decode(errors="replace").rstrip())

        reader = running.reader = asyncio.create_task(collect())
        try:
            yield running
        finally:
            if app.process.returncode is None:
                app.process.kill()
                await app.process.wait()
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(reader, 5)
