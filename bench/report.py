"""The published results as Markdown, for the README's Performance section:
`python -m bench.report [bench/results]` reads the *-full.json files the benches wrote."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from bench.common import RESULTS


def markdown_table(headers: list[str], rows: list[list[Any]]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join(" --- " for _ in headers) + "|"]
    lines += ["| " + " | ".join(_cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def _cell(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:,.0f}" if value >= 100 else f"{value:.1f}" if value >= 10 else f"{value:.2f}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value)


def latency(data: dict[str, Any]) -> str:
    rows = [
        [
            f"`/als {r['command']}`",
            r["concurrency"],
            r["app_p50_ms"],
            r["app_p95_ms"],
            r["app_p99_ms"],
            r["bare_p50_ms"],
            r["bare_p99_ms"],
            f"{r['p99_ratio']:.2f}",
            r["app_rps"],
            _cell(r.get("app_cpu_ms") or "-"),
            _cell(r.get("bare_cpu_ms") or "-"),
        ]
        for r in data["rows"]
    ]
    headers = ["command", "concurrency", "p50", "p95", "p99", "bare p50", "bare p99", "p99 ÷ bare", "app req/s"]
    headers += ["app CPU ms", "bare CPU ms"]
    return markdown_table(headers, rows)


def latency_floor(data: dict[str, Any]) -> str | None:
    """Status against the least it can cost (bench.status_floor), where the run measured it."""
    rows = [
        [
            f"`/als {r['command']}`",
            r["concurrency"],
            r["bare_p99_ms"],
            r["floor_p99_ms"],
            r["app_p99_ms"],
            f"{r['floor_p99_ratio']:.2f}",
            f"{r['p99_ratio']:.2f}",
            _cell(r.get("bare_cpu_ms") or "-"),
            _cell(r.get("floor_cpu_ms") or "-"),
            _cell(r.get("app_cpu_ms") or "-"),
        ]
        for r in data["rows"]
        if r.get("floor_p99_ms") is not None
    ]
    if not rows:
        return None
    headers = ["command", "concurrency", "bare p99", "floor p99", "app p99", "floor ÷ bare", "app ÷ bare"]
    headers += ["bare CPU ms", "floor CPU ms", "app CPU ms"]
    return markdown_table(headers, rows)


def sweep(data: dict[str, Any]) -> str:
    rows = [
        [
            r["backend"],
            r["stored"],
            r["due"],
            r["query_ms"],
            r["claim_ms"],
            r["total_ms"],
            r["stale_people_ms"],
        ]
        for r in data["rows"]
    ]
    headers = ["backend", "commitments stored", "due", "find (ms)", "claim (ms)", "find + claim (ms)", "stale (ms)"]
    return markdown_table(headers, rows)


def dispatch(runs: list[dict[str, Any]]) -> str:
    rows = [
        [
            r["backend"],
            f"{r['slack_ms']:.0f} ms",
            r["reminders"],
            r["sweeps"],
            r["wall_s"],
            r["per_second"],
            r["cpu_ms_per_reminder"],
        ]
        for data in runs
        for r in data["rows"]
    ]
    headers = ["backend", "stand-in answers in", "reminders", "sweeps", "seconds", "per second", "CPU ms each"]
    return markdown_table(headers, rows)


def memory(data: dict[str, Any]) -> str:
    rows = [[r["measure"], f"{_cell(r['value'])} {r['unit']}".strip()] for r in data["rows"]]
    return markdown_table(["measure", "value"], rows)


def targets(everything: list[dict[str, Any]]) -> str:
    rows = [
        [t["name"], t["goal"], t["value"], "yes" if t["met"] else "**no**"]
        for data in everything
        for t in data["targets"]
    ]
    return markdown_table(["target", "goal", "measured", "met"], rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.report", description=__doc__)
    parser.add_argument("folder", nargs="?", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    found = {p.stem.removesuffix("-full"): json.loads(p.read_text()) for p in sorted(args.folder.glob("*-full.json"))}
    sections = []
    if "latency" in found:
        sections.append(latency(found["latency"]))
        floor = latency_floor(found["latency"])
        if floor is not None:
            sections.append(floor)
    if "sweep" in found:
        sections.append(sweep(found["sweep"]))
    dispatches = [found[k] for k in ("dispatch", "dispatch-postgresql") if k in found]
    if dispatches:
        sections.append(dispatch(dispatches))
    if "memory" in found:
        sections.append(memory(found["memory"]))
    sections.append(targets(list(found.values())))
    machines = {json.dumps({k: v for k, v in d["machine"].items() if k != "other_load_cores"}) for d in found.values()}
    for machine in sorted(machines):
        sections.append(f"<!-- machine: {machine} -->")
    print("\n\n".join(sections))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
