"""Sweep cost against stored data: the time of one sweep's "find and claim what is due" step
(the planning query for due reminders, then the outbox claim) with 10,000, 100,000 and 1,000,000
commitments stored, 1,000 of them due, on SQLite and PostgreSQL; and the query plans.

Also timed, because every sweep runs it too: the query with which the sweep looks for members
whose Slack profile is a day old (`UserRepository.list_stale_with_open_commitments`), here when
nobody's is, as between the daily refreshes.

The statements are the app's own (`CommitmentRepository.list_reminders_due` with the sweep's
batch, `OutboxRepository.claim` with the sender's batch), run in a write unit of work as the sweep
runs them, and rolled back, so every repetition finds the same due set. The database grows in
place from one size to the next. Reported: the median of the repetitions.

    python -m bench.sweep [--size small|full] [--json out.json] [--backends sqlite,postgresql]
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import event

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
from bench.databases import postgres_url_from_env, postgres_version, throwaway_database
from bench.population import SetShape, add_sets, analyze, bulk_insert, fix_sequences, history_rows
from bot.domain.people import PERSON_INFO_LIFETIME
from bot.services.commitments import PLAN_BATCH
from scheduler.outbox import CLAIM_BATCH
from scheduler.sweep import PEOPLE_PER_SWEEP
from storage.database import Database

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
LEASE = timedelta(seconds=120)
SIZES: dict[str, list[int]] = {"small": [2_000, 6_000], "full": [10_000, 100_000, 1_000_000]}
DUE: dict[str, int] = {"small": 500, "full": 1_000}
SETS: dict[str, int] = {"small": 100, "full": 1_000}
REPEATS: dict[str, int] = {"small": 5, "full": 21}
STALE_REPEATS: dict[str, int] = {"small": 3, "full": 5}
WARMUP = 3
TARGET_MS = 50.0
TARGET_GROWTH = 1.5
COLUMNS = ["backend", "stored", "due", "fill_s", "query_ms", "claim_ms", "total_ms", "total_min_ms", "stale_people_ms"]


class _Rollback(Exception):
    """Raised at the end of a measured unit of work so that it rolls back."""


@dataclass
class Round:
    query_ms: float
    claim_ms: float
    found: int
    claimed: int


async def find_and_claim(db: Database) -> Round:
    """One sweep's first step, as the sweep runs it, then rolled back."""
    result: Round | None = None
    try:
        async with db.write() as uow:
            started = time.perf_counter()
            due = await uow.commitments.list_reminders_due(NOW, PLAN_BATCH)
            found = time.perf_counter()
            claimed = await uow.outbox.claim(me="bench", now=NOW, lease=LEASE, limit=CLAIM_BATCH)
            done = time.perf_counter()
            result = Round((found - started) * 1000, (done - found) * 1000, len(due), len(claimed))
            raise _Rollback
    except _Rollback:
        pass
    assert result is not None
    return result


async def stale_people(db: Database) -> float:
    """Milliseconds of the sweep's look for profiles to refresh."""
    started = time.perf_counter()
    async with db.read() as uow:
        await uow.users.list_stale_with_open_commitments(NOW - PERSON_INFO_LIFETIME, PEOPLE_PER_SWEEP)
    return (time.perf_counter() - started) * 1000


async def capture_statements(db: Database, work: Callable[[Database], Awaitable[Any]]) -> list[tuple[str, Any]]:
    """The SQL and parameters of `work`, as the driver received them."""
    seen: list[tuple[str, Any]] = []

    def record(_conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any, _many: bool) -> None:
        seen.append((statement, parameters))

    for engine in db.engines:
        event.listen(engine.sync_engine, "before_cursor_execute", record)
    try:
        await work(db)
    finally:
        for engine in db.engines:
            event.remove(engine.sync_engine, "before_cursor_execute", record)
    return seen


async def query_plans(db: Database) -> dict[str, str]:
    statements = await capture_statements(db, find_and_claim)
    query = next(s for s in statements if s[0].lstrip().upper().startswith("SELECT") and "commitment" in s[0])
    claim = next(s for s in statements if s[0].lstrip().upper().startswith("UPDATE OUTBOX_MESSAGE"))
    stale = next(s for s in await capture_statements(db, stale_people) if "slack_user" in s[0])
    plans: dict[str, str] = {}
    async with db.engine.connect() as conn:
        for name, (sql, params) in (("query", query), ("claim", claim), ("stale_people", stale)):
            if db.dialect == "sqlite":
                rows = await conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}", tuple(params))
                plans[name] = "\n".join(_sqlite_plan_lines([tuple(r) for r in rows]))
            else:
                rows = await conn.exec_driver_sql(f"EXPLAIN {sql}", tuple(params))
                plans[name] = "\n".join(str(r[0]) for r in rows)
        await conn.rollback()
    plans["query_sql"] = " ".join(query[0].split())
    plans["claim_sql"] = " ".join(claim[0].split())
    plans["stale_people_sql"] = " ".join(stale[0].split())
    return plans


def _sqlite_plan_lines(rows: list[tuple[Any, ...]]) -> list[str]:
    """EXPLAIN QUERY PLAN rows (id, parent, _, detail) drawn as a tree."""
    depth: dict[int, int] = {0: -1}
    lines = []
    for node, parent, _, detail in rows:
        depth[node] = depth.get(parent, -1) + 1
        lines.append(f"{'  ' * depth[node]}{detail}")
    return lines


async def measure_backend(
    backend: str, size: Size, *, tmp: Path, postgres_url: str
) -> tuple[list[dict[str, Any]], dict[str, str]]:
    rows: list[dict[str, Any]] = []
    plans: dict[str, str] = {}
    shape = SetShape(sets=SETS[size])
    due = DUE[size]
    async with throwaway_database(backend, tmp=tmp, postgres_url=postgres_url) as url:
        db = Database.from_url(url)
        try:
            async with db.engine.begin() as conn:
                await add_sets(conn, shape=shape, now=NOW)
            stored = 0
            for target in SIZES[size]:
                progress(f"{backend}: storing {target:,} commitments")
                started = time.perf_counter()
                commitments, outbox = history_rows(stored + 1, target + 1, due=due, shape=shape, now=NOW)
                async with db.engine.begin() as conn:
                    await bulk_insert(conn, "commitment", commitments)
                    await bulk_insert(conn, "outbox_message", outbox)
                    await fix_sequences(conn)
                async with db.engine.begin() as conn:
                    await analyze(conn)
                fill = time.perf_counter() - started
                stored = target
                for _ in range(WARMUP):
                    await find_and_claim(db)
                rounds = [await find_and_claim(db) for _ in range(REPEATS[size])]
                if {(r.found, r.claimed) for r in rounds} != {(min(PLAN_BATCH, due), min(CLAIM_BATCH, due))}:
                    raise AssertionError(f"expected the same due set every time, got {rounds[:3]}")
                totals = [r.query_ms + r.claim_ms for r in rounds]
                stale = [await stale_people(db) for _ in range(STALE_REPEATS[size])]
                rows.append(
                    {
                        "backend": backend,
                        "stored": stored,
                        "due": due,
                        "fill_s": round(fill, 1),
                        "query_ms": round(median([r.query_ms for r in rounds]), 2),
                        "claim_ms": round(median([r.claim_ms for r in rounds]), 2),
                        "total_ms": round(median(totals), 2),
                        "total_min_ms": round(min(totals), 2),
                        "stale_people_ms": round(median(stale), 2),
                        "repetitions": len(rounds),
                        "found": rounds[0].found,
                        "claimed": rounds[0].claimed,
                    }
                )
            plans = await query_plans(db)
        finally:
            await db.dispose()
    return rows, plans


def targets_for(rows: list[dict[str, Any]]) -> list[Target]:
    targets: list[Target] = []
    for backend in dict.fromkeys(r["backend"] for r in rows):
        mine = [r for r in rows if r["backend"] == backend]
        smallest, largest = mine[0], mine[-1]
        growth = largest["total_ms"] / smallest["total_ms"] if smallest["total_ms"] else float("inf")
        targets.append(
            Target(
                f"{backend}: find and claim at {largest['stored']:,} stored",
                f"<= {TARGET_MS:.0f} ms",
                f"{largest['total_ms']:.1f} ms",
                largest["total_ms"] <= TARGET_MS,
            )
        )
        targets.append(
            Target(
                f"{backend}: {largest['stored']:,} vs {smallest['stored']:,} stored",
                f"<= {TARGET_GROWTH}x",
                f"{growth:.2f}x",
                growth <= TARGET_GROWTH,
            )
        )
    return targets


async def run(size: Size, *, backends: list[str], postgres_url: str | None = None) -> Report:
    postgres_url = postgres_url or postgres_url_from_env()
    versions: dict[str, Any] = {}
    notes: list[str] = []
    if "postgresql" in backends:
        versions["postgresql"] = await postgres_version(postgres_url)
        if versions["postgresql"] is None:
            notes.append("PostgreSQL was not reachable (set BENCH_POSTGRES_URL): measured on SQLite only.")
            backends = [b for b in backends if b != "postgresql"]
    report = Report(bench="sweep", size=size, columns=COLUMNS, machine=machine_info(**versions), notes=notes)
    plans: dict[str, Any] = {}
    for backend in backends:
        with tempfile.TemporaryDirectory(prefix="als-bench-") as tmp:
            rows, plans[backend] = await measure_backend(backend, size, tmp=Path(tmp), postgres_url=postgres_url)
        report.rows.extend(rows)
    report.targets = targets_for(report.rows)
    report.extra["plans"] = plans
    report.extra["batches"] = {"plan": PLAN_BATCH, "claim": CLAIM_BATCH}
    report.notes.append(
        "query, claim: the sweep's find-and-claim step (medians); stale_people: the sweep's look for Slack "
        "profiles to refresh, when none is a day old."
    )
    for backend, plan in plans.items():
        report.notes.append(f"{backend} plan, due reminders:\n{_indent(plan['query'])}")
        report.notes.append(f"{backend} plan, outbox claim:\n{_indent(plan['claim'])}")
        report.notes.append(f"{backend} plan, profiles to refresh:\n{_indent(plan['stale_people'])}")
    return report


def _indent(text: str) -> str:
    return "\n".join(f"    {line}" for line in text.splitlines())


def main(argv: list[str] | None = None) -> int:
    parser = build_parser("sweep", "Find-and-claim cost of one sweep against stored commitments.")
    parser.add_argument(
        "--backends",
        default="sqlite,postgresql",
        help="comma-separated: sqlite, postgresql (PostgreSQL from BENCH_POSTGRES_URL or TEST_DATABASE_URL)",
    )
    parser.add_argument("--postgres-url", default=None, help="a PostgreSQL server to make a throwaway database on")
    args = parser.parse_args(argv)
    stop_on_sigterm()
    load = OtherLoad()
    backends = [b.strip() for b in args.backends.split(",") if b.strip()]
    report = asyncio.run(run(args.size, backends=backends, postgres_url=args.postgres_url))
    finish(report, args.json, load)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
