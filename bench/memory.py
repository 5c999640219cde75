"""Memory and start-up of the real process (`python -m bot`, HTTP mode, SQLite) with 10,000 sets
(50,000 members): the time from starting the process to the first 200 from /healthz, its resident
memory (RSS) when idle, and its RSS after it has sent one reminder per set.

Start-up is timed over a few starts with the default settings. Then one more process runs with
SWEEP_INTERVAL_SECONDS at its minimum (0.2 s) and SCHEDULED_POSTS_PER_MINUTE at its maximum
(6,000), so that it dispatches the 10,000 reminders in under two minutes rather than in 42 at the
default pace (see bench.dispatch): its RSS is read when idle, then the reminders are made due
(09:00 today in a time zone where it is now daytime), and its RSS is read again once the stand-in
has received every one.

    python -m bench.memory [--size small|full] [--json out.json]
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psutil
from sqlalchemy import update

from bench.common import (
    OtherLoad,
    Report,
    Size,
    Target,
    build_parser,
    finish,
    machine_info,
    median,
    progress,
    stop_on_sigterm,
)
from bench.databases import throwaway_database
from bench.population import SetShape, add_due_commitments, add_sets, due_today, fix_sequences, morning_zone
from bench.processes import AppProcess, app_env, app_process, free_port
from bench.standin import build_workspace
from bot.settings import Settings
from slack_standin import SlackStandin
from storage.database import Database
from storage.models import Commitment

SETS: dict[str, int] = {"small": 200, "full": 10_000}
STARTS: dict[str, int] = {"small": 1, "full": 3}
SETTLE_SECONDS: dict[str, float] = {"small": 1.0, "full": 3.0}
DISPATCH_TIMEOUT: dict[str, float] = {"small": 60.0, "full": 900.0}
# The highest SCHEDULED_POSTS_PER_MINUTE allows.
FASTEST_PACE = int(next(m.le for m in Settings.model_fields["scheduled_posts_per_minute"].metadata if hasattr(m, "le")))
RSS_TARGET_MB = 150.0
START_TARGET_S = 2.0
COLUMNS = ["measure", "value", "unit"]


def rss_mb(pid: int) -> float:
    return psutil.Process(pid).memory_info().rss / 2**20


def cpu_seconds(pid: int) -> float:
    times = psutil.Process(pid).cpu_times()
    return float(times.user + times.system)


async def run(size: Size) -> Report:
    now = datetime.now(UTC)
    shape = SetShape(sets=SETS[size], tz=morning_zone(now))
    report = Report(bench="memory", size=size, columns=COLUMNS, machine=machine_info())
    with tempfile.TemporaryDirectory(prefix="als-bench-") as tmp_name:
        tmp = Path(tmp_name)
        async with throwaway_database("sqlite", tmp=tmp) as url:
            progress(f"filling the database: {shape.sets:,} sets of {shape.members}")
            db = Database.from_url(url)
            try:
                async with db.engine.begin() as conn:
                    await add_sets(conn, shape=shape, now=now)
                    await add_due_commitments(conn, shape=shape, now=now, per_set=1, due=False)
                    await fix_sequences(conn)
                standin = SlackStandin(build_workspace(shape))
                await standin.start()
                try:
                    values = await _measure(size, shape, standin=standin, db=db, url=url, tmp=tmp)
                finally:
                    await standin.stop()
            finally:
                await db.dispose()
    rows = [
        ("start-up to the first 200 from /healthz (median)", values["startup_s"], "s"),
        ("start-up, each start", ", ".join(f"{s:.2f}" for s in values["startups_s"]), "s"),
        ("RSS idle (default settings)", values["rss_idle_default_mb"], "MB"),
        ("RSS idle (before the dispatch run)", values["rss_idle_mb"], "MB"),
        ("RSS after the dispatch run", values["rss_after_mb"], "MB"),
        ("RSS highest seen during the dispatch run", values["rss_peak_mb"], "MB"),
        ("reminders sent", values["sent"], ""),
        ("dispatch run, wall time", values["dispatch_s"], "s"),
        ("dispatch run, reminders per second", values["per_second"], "/s"),
        ("dispatch run, app CPU per reminder", values["cpu_ms_per_reminder"], "ms"),
    ]
    report.rows = [{"measure": m, "value": v, "unit": u} for m, v, u in rows]
    report.extra["values"] = values
    report.extra["sets"] = shape.sets
    report.extra["members"] = shape.sets * shape.members
    rss_worst = max(values["rss_idle_mb"], values["rss_after_mb"], values["rss_idle_default_mb"])
    report.targets = [
        Target(
            "RSS idle and after dispatch",
            f"<= {RSS_TARGET_MB:.0f} MB",
            f"{rss_worst:.0f} MB",
            rss_worst <= RSS_TARGET_MB,
        ),
        Target(
            "start-up to /healthz 200",
            f"<= {START_TARGET_S:.0f} s",
            f"{values['startup_s']:.2f} s",
            values["startup_s"] <= START_TARGET_S,
        ),
    ]
    report.notes.append(
        f"{shape.sets:,} sets, {shape.sets * shape.members:,} members, SQLite; "
        "the stand-in runs in the bench's process."
    )
    return report


async def _measure(
    size: Size, shape: SetShape, *, standin: SlackStandin, db: Database, url: str, tmp: Path
) -> dict[str, Any]:
    token = standin.workspace.bot_token
    startups: list[float] = []
    idle_default: list[float] = []
    for attempt in range(STARTS[size]):
        progress(f"start {attempt + 1} of {STARTS[size]}")
        port = free_port()
        env = app_env(api_url=standin.api_url, bot_token=token, database_url=url, port=port)
        async with app_process(["-m", "bot"], env=env, cwd=tmp, log=tmp / "app.log", port=port) as app:
            startups.append(await app.wait_healthy(60))
            await asyncio.sleep(SETTLE_SECONDS[size])
            idle_default.append(rss_mb(app.pid))
            await _stop(app)
    port = free_port()
    env = app_env(
        api_url=standin.api_url,
        bot_token=token,
        database_url=url,
        port=port,
        SWEEP_INTERVAL_SECONDS="0.2",
        SCHEDULED_POSTS_PER_MINUTE=str(FASTEST_PACE),
    )
    async with app_process(["-m", "bot"], env=env, cwd=tmp, log=tmp / "app.log", port=port) as app:
        await app.wait_healthy(60)
        await asyncio.sleep(SETTLE_SECONDS[size])
        rss_idle = rss_mb(app.pid)
        expected = shape.sets
        _, at = due_today(datetime.now(UTC), shape.tz)
        progress(f"making {expected:,} reminders due")
        cpu_before = cpu_seconds(app.pid)
        async with db.engine.begin() as conn:
            await conn.execute(update(Commitment).where(Commitment.status == "open").values(next_reminder_at=at))
        started, wall_started = time.perf_counter(), time.time()
        peak = rss_idle
        deadline = started + DISPATCH_TIMEOUT[size]
        posts = standin.calls_to("chat.postMessage", ok=True)
        while len(posts) < expected and time.perf_counter() < deadline:
            await asyncio.sleep(0.1)
            peak = max(peak, rss_mb(app.pid))
            posts = standin.calls_to("chat.postMessage", ok=True)
        dispatch = (max(c.at for c in posts) - wall_started) if posts else float("nan")
        await asyncio.sleep(SETTLE_SECONDS[size])
        cpu = cpu_seconds(app.pid) - cpu_before
        rss_after = rss_mb(app.pid)
        peak = max(peak, rss_after)
        status = await _stop(app)
    sent = len(posts)
    return {
        "startup_s": round(median(startups), 2),
        "startups_s": [round(s, 3) for s in startups],
        "rss_idle_default_mb": round(max(idle_default), 1),
        "rss_idle_mb": round(rss_idle, 1),
        "rss_after_mb": round(rss_after, 1),
        "rss_peak_mb": round(peak, 1),
        "sent": sent,
        "expected": expected,
        "dispatch_s": round(dispatch, 2),
        "per_second": round(sent / dispatch, 1) if sent and dispatch > 0 else 0.0,
        "cpu_ms_per_reminder": round(cpu * 1000 / sent, 2) if sent else None,
        "exit_status": status,
    }


async def _stop(app: AppProcess) -> int:
    status = await app.stop()
    if status != 0:
        raise RuntimeError(f"the app exited with {status}:\n{app.tail()}")
    return status


def main(argv: list[str] | None = None) -> int:
    parser = build_parser("memory", "Resident memory and start-up time of python -m bot with 10,000 sets.")
    args = parser.parse_args(argv)
    stop_on_sigterm()
    load = OtherLoad()
    report = asyncio.run(run(args.size))
    finish(report, args.json, load)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
