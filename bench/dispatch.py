"""Dispatch overhead: 10,000 due reminders (one per member of 2,000 sets) planned and sent through
the Slack stand-in, which answers at once and has no rate limits, so that only the app sets the
pace; then 1,000 more with the stand-in answering chat.postMessage after 100 ms, about Slack's own
round trip. The app's own sweep (scheduler.sweep.run_sweep, exactly what each scheduler tick
runs) is called back to back until everything is sent; the stand-in runs in its own process, so
the CPU time counted is the app's (and SQLite's, which runs inside the app's process). The sweep
is given a pacer, as in the running app, whose pace is too high ever to hold a post back: each post
still takes its turn in the pace the instances share in the database, so that cost is counted.

Reported: reminders per second with sweeps back to back (what one instance can do; a scheduler
tick sweeps again while it claims full batches), CPU ms per reminder, how many sweeps it took, and
how long a burst takes at the default pace (SCHEDULED_POSTS_PER_MINUTE), which the running app
keeps to stay within Slack's limits.

    python -m bench.dispatch [--size small|full] [--json out.json] [--backend sqlite|postgresql]
                             [--profile profile.txt]
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.common import OtherLoad, Report, Size, Target, build_parser, finish, machine_info, progress, stop_on_sigterm
from bench.databases import postgres_url_from_env, postgres_version, throwaway_database
from bench.population import SetShape, add_due_commitments, add_sets, analyze, fix_sequences
from bench.processes import SIGNING_SECRET
from bench.standin import standin_process
from bot.app import create_web_client, web_api_session
from bot.clock import FrozenClock
from bot.deps import Deps
from bot.services.commitments import PLAN_BATCH
from bot.settings import Settings
from scheduler.outbox import CLAIM_BATCH, SENDERS, sender_id
from scheduler.pacing import Pacer
from scheduler.sweep import run_sweep
from storage.database import Database

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)  # a Monday, 10:00 in London: 09:00 reminders are due
MEMBERS = 5
# (sets, stand-in's answer time in ms) per run: first the app's own overhead (the stand-in answers
# at once), then a shorter run with chat.postMessage answered after 100 ms, about Slack's round
# trip, which shows what the number of concurrent senders allows.
RUNS: dict[str, list[tuple[int, float]]] = {"small": [(100, 0), (20, 100)], "full": [(2_000, 0), (200, 100)]}
SLACK_MS = 100
TARGET_RATE = 500.0
NEVER_BINDING_PACE = 1_000_000.0  # posts a minute
COLUMNS = ["backend", "slack_ms", "reminders", "sweeps", "wall_s", "per_second", "cpu_ms_per_reminder", "cpu_share"]


async def run(
    size: Size, *, backend: str = "sqlite", postgres_url: str | None = None, profile: Path | None = None
) -> Report:
    versions: dict[str, Any] = {}
    if backend == "postgresql":
        versions["postgresql"] = await postgres_version(postgres_url or postgres_url_from_env())
    report = Report(bench="dispatch", size=size, columns=COLUMNS, machine=machine_info(**versions))
    for sets, slack_ms in RUNS[size]:
        shape = SetShape(sets=sets, members=MEMBERS)
        row, sweeps, calls = await _one_run(
            shape,
            backend=backend,
            postgres_url=postgres_url,
            slack_ms=slack_ms,
            profile=profile if slack_ms == 0 else None,
        )
        report.rows.append(row)
        report.extra.setdefault("runs", []).append({"slack_ms": slack_ms, "sweeps": sweeps, "stand_in_calls": calls})
        expected = shape.sets * shape.members
        posted = calls.get("ok", {}).get("chat.postMessage", 0)
        if posted != expected or row["reminders"] != expected:
            report.notes.append(
                f"expected {expected:,} reminders; the app sent {row['reminders']:,}, the stand-in got {posted:,}"
            )
    overhead = report.rows[0]
    slow = report.rows[-1]
    expected = overhead["reminders"]
    pace = float(Settings.model_fields["scheduled_posts_per_minute"].default) / 60
    paced = min(overhead["per_second"], pace)
    report.extra["batches"] = {"plan": PLAN_BATCH, "claim": CLAIM_BATCH, "senders": SENDERS}
    report.extra["scheduled"] = {
        "posts_per_second": round(pace, 2),
        "per_second": round(paced, 1),
        "minutes_for_all": round(expected / paced / 60, 1),
    }
    report.targets = [
        Target(
            "reminders per second, sweeps back to back",
            f">= {TARGET_RATE:.0f}",
            f"{overhead['per_second']:.0f}",
            overhead["per_second"] >= TARGET_RATE,
        ),
    ]
    report.notes.append(
        f"With the stand-in answering chat.postMessage in {slow['slack_ms']:.0f} ms, like Slack: "
        f"{slow['per_second']:.0f} a second, set by how many posts are in flight ({SENDERS}) and each sweep "
        f"waiting for the last of its batch of {CLAIM_BATCH}; the target is about the app's own overhead (above)."
    )
    report.notes.append(
        f"Each sweep plans at most {PLAN_BATCH} reminders and sends at most {CLAIM_BATCH}, {SENDERS} at a time; a "
        "scheduler tick sweeps again at once while it claims full batches, so the pace, not the sweep interval, "
        f"sets the rate in the running app: at the default pace ({pace * 60:.0f} a minute per workspace, within "
        f"Slack's limits) {expected:,} reminders due at 09:00 in one workspace take "
        f"{report.extra['scheduled']['minutes_for_all']} minutes to go out."
    )
    report.notes.append(
        "CPU is this process's (the app's code, and SQLite's, which runs in it); the stand-in runs in its own "
        "process and has no rate limits."
    )
    return report


async def _one_run(
    shape: SetShape, *, backend: str, postgres_url: str | None, slack_ms: float, profile: Path | None
) -> tuple[dict[str, Any], list[dict[str, Any]], dict[str, Any]]:
    expected = shape.sets * shape.members
    with tempfile.TemporaryDirectory(prefix="als-bench-") as tmp:
        async with throwaway_database(backend, tmp=Path(tmp), postgres_url=postgres_url) as url:
            progress(f"filling the database: {shape.sets:,} sets, {expected:,} reminders due")
            db = Database.from_url(url)
            try:
                async with db.engine.begin() as conn:
                    await add_sets(conn, shape=shape, now=NOW)
                    await add_due_commitments(conn, shape=shape, now=NOW, per_set=shape.members)
                    await fix_sequences(conn)
                    await analyze(conn)
            finally:
                await db.dispose()
            progress(f"sending {expected:,} reminders, the stand-in answering in {slack_ms:.0f} ms")
            async with standin_process(shape, delay_ms=slack_ms) as standin:
                row, sweeps = await _dispatch(url, standin.api_url, standin.bot_token, expected, profile)
    return {"backend": backend, "slack_ms": slack_ms, **row}, sweeps, standin.stats


async def _dispatch(
    url: str, api_url: str, token: str, expected: int, profile: Path | None
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        slack_bot_token=token,  # type: ignore[arg-type]
        slack_signing_secret=SIGNING_SECRET,  # type: ignore[arg-type]
        slack_api_url=api_url,
        database_url=url,
        migrate_on_start=False,
    )
    deps = Deps(settings=settings, db=Database.from_url(url), clock=FrozenClock(NOW))
    session = web_api_session()  # as the running app has
    client = create_web_client(deps, token, session=session)
    me = sender_id()
    pacer = Pacer(posts_per_minute=NEVER_BINDING_PACE)
    sweeps: list[dict[str, Any]] = []
    sent = 0
    profiler = _profiler(profile)
    cpu_started, started = time.process_time(), time.perf_counter()
    try:
        while True:
            tick = time.perf_counter()
            result = await run_sweep(deps, client, now=NOW, me=me, pacer=pacer)
            sent += result.sent
            sweeps.append(
                {
                    "claimed": result.claimed,
                    "sent": result.sent,
                    "failed": result.failed,
                    "retrying": result.retrying,
                    "skipped": sum(result.skipped.values()),
                    "seconds": round(time.perf_counter() - tick, 3),
                }
            )
            if sent >= expected or result.claimed == 0:
                break
            if len(sweeps) % 10 == 0:
                progress(f"{sent:,} sent after {len(sweeps)} sweeps")
        wall, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    finally:
        if profiler is not None:
            profiler.stop()
            assert profile is not None
            _write_profile(profiler, profile)
        await session.close()
        await deps.db.dispose()
    row = {
        "reminders": sent,
        "sweeps": len(sweeps),
        "wall_s": round(wall, 2),
        "per_second": round(sent / wall, 1) if wall else 0.0,
        "cpu_ms_per_reminder": round(cpu * 1000 / sent, 2) if sent else None,
        "cpu_share": f"{cpu / wall:.0%}" if wall else "-",
    }
    return row, sweeps


def _write_profile(profiler: Any, profile: Path) -> None:
    profile.write_text(profiler.output_html() if profile.suffix == ".html" else profiler.output_text())


def _profiler(profile: Path | None) -> Any:
    if profile is None:
        return None
    from pyinstrument import Profiler

    profiler = Profiler(async_mode="disabled")
    profiler.start()
    return profiler


def main(argv: list[str] | None = None) -> int:
    parser = build_parser("dispatch", "Reminders per second and CPU per reminder through the stand-in.")
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--postgres-url", default=None)
    parser.add_argument("--profile", type=Path, default=None, help="write a pyinstrument profile (.txt or .html)")
    args = parser.parse_args(argv)
    stop_on_sigterm()
    load = OtherLoad()
    report = asyncio.run(run(args.size, backend=args.backend, postgres_url=args.postgres_url, profile=args.profile))
    finish(report, args.json, load)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
