"""Acknowledgement latency of `/als help`, `/als status` (reads the database) and `/als present`
(opens a modal after acknowledging), at concurrency 1, 10 and 50, over real signed HTTP, against
the app running as its own process (`python -m bot`, scheduler and all) on a database with 1,000
sets; compared in the same run with a bare Bolt app on the same server stack that only
acknowledges (bench.bare_app), and, for status, with the least status can cost on that stack
(bench.status_floor: the same reads on a plain sqlite3 connection and an answer of the same shape,
nothing else), so that what status does beyond its reads and its answer shows apart from them.

A request's latency is from just before it is sent to its whole answer read back, measured by an
aiohttp client with keep-alive that keeps `concurrency` requests in flight (each signed as Slack
signs, with a fresh trigger_id and response_url from the stand-in). Both apps get the same
requests after a warm-up, in turns: each cell's requests go in SLICES slices, bare and app (and for
status the floor) taking turns (the order reversed every turn), and each one's latencies are pooled
across its slices. On a 2-core machine whose speed drifts by tens of percent within a minute, one
run of each after the other compared the drift as much as the apps. Each cell also gives the CPU
time each process spent a request (from /proc; the app's includes its scheduler's ticks and, for
present, opening the modals): with many requests in flight, answers wait for the work of those
ahead of them, so the p99 ratio tends to the ratio of these two.

    python -m bench.latency [--size small|full] [--json out.json] [--profile-app profile.txt]
"""

from __future__ import annotations

import asyncio
import gc
import tempfile
import time
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import aiohttp

from bench.common import (
    OtherLoad,
    Report,
    Size,
    Target,
    build_parser,
    finish,
    machine_info,
    percentile,
    progress,
    stop_on_sigterm,
)
from bench.databases import throwaway_database
from bench.population import SetShape, add_set_history, add_sets, analyze, channel_id, fix_sequences, members_of
from bench.processes import SIGNING_SECRET, AppProcess, app_env, app_process, free_port
from bench.standin import build_workspace
from slack_standin import SlackDriver, SlackStandin
from slack_standin.driver import sign
from storage.database import Database

COMMANDS = ["help", "status", "present"]
LEVELS = [1, 10, 50]
SETS: dict[str, int] = {"small": 20, "full": 1_000}
REQUESTS: dict[str, dict[int, int]] = {
    "small": {1: 30, 10: 60, 50: 100},
    "full": {1: 1_000, 10: 2_000, 50: 3_000},
}
WARMUP: dict[str, int] = {"small": 20, "full": 300}
SLICES = 5  # turns each app takes in a cell; see the module's docstring
PRESENTER_INDEX = 3  # add_set_history opens each set's current round for its fourth member
RATIO_TARGET = 1.2
P99_TARGET_MS = 100.0
TARGET_CONCURRENCY = 10  # both targets are set at 10 (see targets_for)
COLUMNS = [
    "command",
    "concurrency",
    "requests",
    "app_p50_ms",
    "app_p95_ms",
    "app_p99_ms",
    "bare_p50_ms",
    "bare_p95_ms",
    "bare_p99_ms",
    "p99_ratio",
    "app_rps",
    "app_cpu_ms",
    "bare_cpu_ms",
    "floor_p99_ms",
    "floor_p99_ratio",
    "floor_cpu_ms",
    "errors",
]
FLOORED = {"status": "floor"}  # commands measured against a floor too, and the process that is it


@dataclass
class Sample:
    latencies: list[float]  # seconds
    wall: float
    errors: int
    cpu_ms: float | None = None  # the answering process's CPU a request


class Requests:
    """Signed `/als ...` bodies, one per call, spread over the sets and their members."""

    def __init__(self, standin: SlackStandin, shape: SetShape) -> None:
        self.driver = SlackDriver(standin, "http://unused", SIGNING_SECRET)
        self.shape = shape
        self.count = 0

    def body(self, command: str) -> str:
        i = self.count
        self.count += 1
        set_no = i % self.shape.sets + 1
        people = members_of(set_no, self.shape.members)
        others = [p for k, p in enumerate(people) if k != PRESENTER_INDEX]  # no open round of their own
        user = others[(i // self.shape.sets) % len(others)]
        return urlencode(self.driver.command_payload(user, channel_id(set_no), command))


async def measure(url: str, make_body: Callable[[], str], *, requests: int, concurrency: int) -> Sample:
    """`requests` requests, `concurrency` at a time. The measuring process does not collect garbage
    while it measures: it holds the bench's database rows and the stand-in's record of every call,
    and a full collection of those (50-80 ms) held up every request in flight, app's or bare's
    alike, which made the p99 at concurrency 50 a matter of when the client collected."""
    gc.collect()
    gc.disable()
    try:
        return await _measure(url, make_body, requests=requests, concurrency=concurrency)
    finally:
        gc.enable()


async def _measure(url: str, make_body: Callable[[], str], *, requests: int, concurrency: int) -> Sample:
    latencies: list[float] = []
    errors = 0
    remaining = requests
    connector = aiohttp.TCPConnector(limit=concurrency)
    timeout = aiohttp.ClientTimeout(total=30)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:

        async def worker() -> None:
            nonlocal remaining, errors
            while remaining > 0:
                remaining -= 1
                body = make_body()
                headers = {"Content-Type": "application/x-www-form-urlencoded", **sign(SIGNING_SECRET, body)}
                started = time.perf_counter()
                try:
                    async with session.post(url, data=body.encode(), headers=headers) as response:
                        await response.read()
                        ok = response.status == 200
                except (aiohttp.ClientError, TimeoutError):
                    ok = False
                latencies.append(time.perf_counter() - started)
                errors += not ok

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        wall = time.perf_counter() - started
    return Sample(latencies=latencies, wall=wall, errors=errors)


def _shares(n: int, parts: int) -> list[int]:
    """`n` requests in `parts` turns as even as can be (no empty turn)."""
    parts = max(1, min(parts, n))
    return [n // parts + (1 if i < n % parts else 0) for i in range(parts)]


def pooled(samples: list[Sample]) -> Sample:
    """One app's slices of a cell as one sample: latencies together, times and errors added, CPU
    a request over all of them."""
    requests = sum(len(s.latencies) for s in samples)
    cpu = [s.cpu_ms for s in samples]
    cpu_ms = None
    if requests and all(c is not None for c in cpu):
        cpu_ms = round(
            sum(c * len(s.latencies) for c, s in zip(cpu, samples, strict=True) if c is not None) / requests, 3
        )
    return Sample(
        latencies=[x for s in samples for x in s.latencies],
        wall=sum(s.wall for s in samples),
        errors=sum(s.errors for s in samples),
        cpu_ms=cpu_ms,
    )


def _ms(sample: Sample, p: float) -> float:
    return round(percentile(sample.latencies, p) * 1000, 2)


async def _settle(standin: SlackStandin, expected_views: int, timeout: float = 60.0) -> None:
    """Wait until the app has opened every modal it was asked for (work after the acknowledgement),
    so that it does not spill into the next measurement."""
    try:
        await standin.wait_until(lambda: len(standin.calls_to("views.open", ok=None)) >= expected_views, timeout)
    except TimeoutError:
        progress(f"only {len(standin.calls_to('views.open', ok=None))} of {expected_views} modals were opened")


async def run(size: Size, *, profile_app: Path | None = None) -> Report:
    shape = SetShape(sets=SETS[size])
    now = datetime.now(UTC)
    report = Report(bench="latency", size=size, columns=COLUMNS, machine=machine_info())
    with tempfile.TemporaryDirectory(prefix="als-bench-") as tmp_name:
        tmp = Path(tmp_name)
        async with throwaway_database("sqlite", tmp=tmp) as url:
            progress(f"filling the database: {shape.sets:,} sets")
            db = Database.from_url(url)
            try:
                async with db.engine.begin() as conn:
                    await add_sets(conn, shape=shape, now=now)
                    await add_set_history(conn, shape=shape, now=now)
                    await fix_sequences(conn)
                    await analyze(conn)
            finally:
                await db.dispose()
            standin = SlackStandin(build_workspace(shape))
            await standin.start()
            try:
                await _measure_all(size, report, standin=standin, shape=shape, url=url, tmp=tmp, profile=profile_app)
            finally:
                await standin.stop()
    return report


async def _measure_all(
    size: Size,
    report: Report,
    *,
    standin: SlackStandin,
    shape: SetShape,
    url: str,
    tmp: Path,
    profile: Path | None,
) -> None:
    app_port, bare_port, floor_port = free_port(), free_port(), free_port()
    token = standin.workspace.bot_token
    app_args = ["-m", "bot"]
    if profile is not None:
        renderer = {".html": "html", ".pyisession": "session"}.get(profile.suffix, "text")
        app_args = ["-m", "pyinstrument", "-r", renderer, "-o", str(profile), "-m", "bot"]

    def serving(args: list[str], port: int, name: str) -> AbstractAsyncContextManager[AppProcess]:
        env = app_env(api_url=standin.api_url, bot_token=token, database_url=url, port=port)
        return app_process(args, env=env, cwd=tmp, log=tmp / f"{name}.log", port=port)

    async with (
        serving(app_args, app_port, "app") as app,
        serving(["-m", "bench.bare_app"], bare_port, "bare") as bare,
        serving(["-m", "bench.status_floor"], floor_port, "floor") as floor,
    ):
        await app.wait_healthy(60)
        await bare.wait_healthy(60)
        await floor.wait_healthy(60)
        requests = Requests(standin, shape)
        targets: dict[str, AppProcess] = {"bare": bare, "app": app, "floor": floor}
        presents_to_app = 0

        async def run_cell(which: str, command: str, n: int, concurrency: int) -> Sample:
            nonlocal presents_to_app
            cpu_before = targets[which].cpu_seconds()
            sample = await measure(
                f"{targets[which].url}/slack/events",
                lambda: requests.body(command),
                requests=n,
                concurrency=concurrency,
            )
            if which == "app" and command == "present":
                presents_to_app += n
                await _settle(standin, presents_to_app)  # its work after the acknowledgement counts
            cpu_after = targets[which].cpu_seconds()
            if cpu_before is not None and cpu_after is not None:
                sample.cpu_ms = round((cpu_after - cpu_before) * 1000 / n, 3)
            return sample

        def measured(command: str) -> list[str]:
            return ["bare", "app", *([FLOORED[command]] if command in FLOORED else [])]

        async def run_in_turns(command: str, n: int, concurrency: int) -> dict[str, Sample]:
            slices: dict[str, list[Sample]] = {which: [] for which in measured(command)}
            for turn, share in enumerate(_shares(n, SLICES)):
                order = list(slices) if turn % 2 == 0 else list(reversed(slices))
                for which in order:
                    slices[which].append(await run_cell(which, command, share, concurrency))
            return {which: pooled(parts) for which, parts in slices.items()}

        progress("warming up")
        for command in COMMANDS:
            for which in measured(command):
                await run_cell(which, command, WARMUP[size], 10)
        for concurrency in LEVELS:
            for command in COMMANDS:
                n = REQUESTS[size][concurrency]
                progress(f"{command} at concurrency {concurrency}: {n:,} requests to each app, in {SLICES} turns")
                samples = await run_in_turns(command, n, concurrency)
                report.rows.append(_row(command, concurrency, n, samples["app"], samples["bare"], samples.get("floor")))
        statuses = {"app": await app.stop(), "bare app": await bare.stop(), "status floor": await floor.stop()}
        if any(statuses.values()):
            report.notes.append("exit statuses: " + ", ".join(f"{name} {code}" for name, code in statuses.items()))
    views = standin.calls_to("views.open")
    failed = [c.error for c in standin.calls_to("views.open", ok=False)]
    report.extra["turns"] = SLICES
    report.extra["views_open"] = {"ok": len(views), "failed": len(failed), "errors": sorted(set(map(str, failed)))}
    report.targets = targets_for(report.rows)
    report.notes.append(
        f"{shape.sets:,} sets of {shape.members} members, each with 4 rounds (1 open), 22 questions and 25 "
        "commitments; SQLite. Latency in ms, from the client sending a request to reading its whole answer."
    )
    report.notes.append(
        "Bolt's async runner looks for the listener's ack() every 10 ms (slack_bolt/listener/asyncio_runner.py), "
        "so no answer comes sooner than about 10 ms, bare or not."
    )


def _row(command: str, concurrency: int, n: int, app: Sample, bare: Sample, floor: Sample | None) -> dict[str, Any]:
    app_p99, bare_p99 = _ms(app, 99), _ms(bare, 99)
    floor_p99 = _ms(floor, 99) if floor is not None else None
    return {
        "command": command,
        "concurrency": concurrency,
        "requests": n,
        "app_p50_ms": _ms(app, 50),
        "app_p95_ms": _ms(app, 95),
        "app_p99_ms": app_p99,
        "bare_p50_ms": _ms(bare, 50),
        "bare_p95_ms": _ms(bare, 95),
        "bare_p99_ms": bare_p99,
        "p50_ratio": round(_ms(app, 50) / _ms(bare, 50), 2),
        "p99_ratio": round(app_p99 / bare_p99, 2),
        "app_rps": round(n / app.wall, 1),
        "bare_rps": round(n / bare.wall, 1),
        "app_cpu_ms": app.cpu_ms,
        "bare_cpu_ms": bare.cpu_ms,
        "floor_p99_ms": floor_p99,
        "floor_p99_ratio": round(floor_p99 / bare_p99, 2) if floor_p99 is not None else None,
        "floor_cpu_ms": floor.cpu_ms if floor is not None else None,
        "errors": app.errors + bare.errors + (floor.errors if floor is not None else 0),
    }


def targets_for(rows: list[dict[str, Any]]) -> list[Target]:
    """The issue's target, where its sentence puts it: "p99 ratio <= 1.2 for help and status, and p99
    under 100 ms for all three at concurrency 10 on a 2-core machine with SQLite". Every level's
    ratio is in the table all the same; what limits it at 50 is in the README."""
    at_target = [row for row in rows if row["concurrency"] == TARGET_CONCURRENCY]
    targets = [
        Target(
            f"{row['command']} p99 / bare p99, concurrency {row['concurrency']}",
            f"<= {RATIO_TARGET}",
            f"{row['p99_ratio']:.2f}",
            row["p99_ratio"] <= RATIO_TARGET,
        )
        for row in at_target
        if row["command"] in ("help", "status")
    ]
    targets += [
        Target(
            f"{row['command']} p99, concurrency {row['concurrency']}",
            f"< {P99_TARGET_MS:.0f} ms",
            f"{row['app_p99_ms']:.1f} ms",
            row["app_p99_ms"] < P99_TARGET_MS,
        )
        for row in at_target
    ]
    return targets


def main(argv: list[str] | None = None) -> int:
    parser = build_parser("latency", "Acknowledgement latency of /als help, status and present vs a bare Bolt app.")
    parser.add_argument(
        "--profile-app",
        type=Path,
        default=None,
        help="run the app under pyinstrument and write its profile here (.txt, .html, or .pyisession to load later)",
    )
    args = parser.parse_args(argv)
    stop_on_sigterm()
    load = OtherLoad()
    profile = args.profile_app.resolve() if args.profile_app else None  # the app runs in a temporary folder
    report = asyncio.run(run(args.size, profile_app=profile))
    finish(report, args.json, load)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
