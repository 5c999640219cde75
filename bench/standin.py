"""The Slack stand-in for the benches: a workspace with the people and channels of the bench's
sets (same ids as bench.population), run in this process or in its own.

`python -m bench.standin --sets N --members M` runs it as a process: it prints one JSON line
(its Web API URL and bot token), serves until SIGTERM, then prints one JSON line counting the
calls it answered. With --delay-ms it answers chat.postMessage that much later, as Slack's own
round trip would. A bench that measures the app's CPU runs the stand-in this way, so that the
stand-in's own work is not counted as the app's. The stand-in has no rate limits unless a test
asks for them (fail_next with 429), so here nothing slows the app down but the app.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import signal
import sys
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from bench.population import SetShape, channel_id, members_of
from slack_standin import SlackStandin
from slack_standin.workspace import Workspace


def build_workspace(shape: SetShape) -> Workspace:
    ws = Workspace()
    for n in range(1, shape.sets + 1):
        people = members_of(n, shape.members)
        for person in people:
            ws.add_user(f"Member {person[-6:]}", tz=shape.tz, user_id=person)
        ws.add_channel(f"bench-set-{n}", members=people, channel_id=channel_id(n))
    return ws


def call_counts(standin: SlackStandin) -> dict[str, dict[str, int]]:
    ok = Counter(c.method for c in standin.calls if c.ok)
    failed = Counter(f"{c.method}:{c.error}" for c in standin.calls if not c.ok)
    return {"ok": dict(ok), "failed": dict(failed)}


@dataclass
class StandinProcess:
    api_url: str
    bot_token: str
    process: asyncio.subprocess.Process
    stats: dict[str, Any] = field(default_factory=dict)


@asynccontextmanager
async def standin_process(shape: SetShape, *, delay_ms: float = 0) -> AsyncIterator[StandinProcess]:
    """The stand-in in its own process; `stats` holds its call counts once the block has ended."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bench.standin",
        "--sets",
        str(shape.sets),
        "--members",
        str(shape.members),
        "--tz",
        shape.tz,
        "--delay-ms",
        str(delay_ms),
        stdout=asyncio.subprocess.PIPE,
    )
    assert process.stdout is not None
    try:
        line = await asyncio.wait_for(process.stdout.readline(), 120)
        if not line:
            raise RuntimeError("the stand-in process ended before it started serving")
        hello = json.loads(line)
        handle = StandinProcess(api_url=hello["api_url"], bot_token=hello["bot_token"], process=process)
        yield handle
        process.send_signal(signal.SIGTERM)
        out, _ = await asyncio.wait_for(process.communicate(), 60)
        if out.strip():
            handle.stats = json.loads(out.strip().splitlines()[-1])
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()


async def _serve(shape: SetShape, delay_ms: float) -> None:
    standin = SlackStandin(build_workspace(shape))
    if delay_ms > 0:
        # Enough delays for two messages to each person; the stand-in takes one per call.
        standin.delay_next("chat.postMessage", delay_ms / 1000, times=2 * shape.sets * shape.members)
    await standin.start()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    print(json.dumps({"api_url": standin.api_url, "bot_token": standin.workspace.bot_token}), flush=True)
    await stop.wait()
    counts = call_counts(standin)
    with contextlib.suppress(Exception):
        await standin.stop()
    print(json.dumps(counts), flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.standin", description=__doc__)
    parser.add_argument("--sets", type=int, required=True)
    parser.add_argument("--members", type=int, default=5)
    parser.add_argument("--tz", default="Europe/London")
    parser.add_argument("--delay-ms", type=float, default=0, help="answer chat.postMessage this much later")
    args = parser.parse_args(argv)
    asyncio.run(_serve(SetShape(sets=args.sets, members=args.members, tz=args.tz), args.delay_ms))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
