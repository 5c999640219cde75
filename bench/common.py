"""What every bench shares: its command line, percentiles, the plain text table, the JSON it
writes, and a description of the machine it ran on."""

from __future__ import annotations

import argparse
import json
import os
import platform
import signal
import sqlite3
import statistics
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

Size = Literal["small", "full"]
RESULTS = Path(__file__).resolve().parent / "results"
BUSY_MACHINE_CORES = 0.15  # more than this, used by other processes during a run, is worth a warning


@dataclass
class Target:
    """One of the issue's targets, and whether this run met it."""

    name: str
    goal: str
    value: str
    met: bool

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "goal": self.goal, "value": self.value, "met": self.met}


@dataclass
class Report:
    """What a bench found: rows for its table (and the JSON), targets, and notes."""

    bench: str
    size: Size
    columns: list[str]
    rows: list[dict[str, Any]] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)
    machine: dict[str, Any] = field(default_factory=dict)

    def table(self) -> str:
        lines = [format_table(self.columns, [[_cell(row.get(c)) for c in self.columns] for row in self.rows])]
        if self.targets:
            lines.append("")
            lines.append(
                format_table(
                    ["target", "goal", "measured", "met"],
                    [[t.name, t.goal, t.value, "yes" if t.met else "NO"] for t in self.targets],
                )
            )
        lines.extend(f"* {note}" for note in self.notes)
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        return {
            "bench": self.bench,
            "size": self.size,
            "machine": self.machine,
            "columns": self.columns,
            "rows": self.rows,
            "targets": [t.to_dict() for t in self.targets],
            "notes": self.notes,
            **self.extra,
        }


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        if value >= 100:
            return f"{value:.0f}"
        if value >= 10:
            return f"{value:.1f}"
        return f"{value:.2f}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value)


def format_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    widths = [max([len(h), *(len(r[i]) for r in rows)]) for i, h in enumerate(headers)]
    numeric = [all(_looks_numeric(r[i]) for r in rows) and bool(rows) for i in range(len(headers))]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(c.rjust(w) if n else c.ljust(w) for c, w, n in zip(cells, widths, numeric, strict=True))

    out = [line(headers), "  ".join("-" * w for w in widths)]
    out.extend(line(r) for r in rows)
    return "\n".join(s.rstrip() for s in out)


def _looks_numeric(cell: str) -> bool:
    return cell.replace(",", "").replace(".", "", 1).replace("-", "", 1).replace("x", "").isdigit() or cell == "-"


def percentile(values: Sequence[float], p: float) -> float:
    """The p-th percentile (0-100), interpolated between the nearest ranks."""
    if not values:
        raise ValueError("no values")
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    rank = (len(ordered) - 1) * p / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def median(values: Sequence[float]) -> float:
    return float(statistics.median(values))


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def machine_info(**extra: Any) -> dict[str, Any]:
    return {
        "date": datetime.now(UTC).date().isoformat(),
        "cpus": os.cpu_count(),
        "cpu": cpu_model(),
        "memory_gb": _memory_gb(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "platform": platform.platform(terse=True),
        "load_average_at_start": round(os.getloadavg()[0], 2),  # other work on the machine skews numbers
        **extra,
    }


def _memory_gb() -> float | None:
    try:
        import psutil
    except ImportError:  # pragma: no cover - psutil is in the dev extra
        return None
    return round(psutil.virtual_memory().total / 2**30, 1)


def stop_on_sigterm() -> None:
    """SIGTERM ends a bench like Ctrl-C does, so the processes it started are stopped too."""
    signal.signal(signal.SIGTERM, signal.default_int_handler)


class OtherLoad:
    """How busy the rest of the machine was during a run: CPU time used by everything but this
    process and the processes it started (a database server counts as "everything"), in cores.
    Benchmarks on a shared machine are only as good as this number is small."""

    def __init__(self) -> None:
        self.started = time.perf_counter()
        self.busy = self._busy_seconds()
        self.ours = self._our_seconds()

    @staticmethod
    def _busy_seconds() -> float:
        import psutil

        times = psutil.cpu_times()
        return float(sum(times) - times.idle - getattr(times, "iowait", 0.0))

    @staticmethod
    def _our_seconds() -> float:
        import resource

        seconds = 0.0
        for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN):
            usage = resource.getrusage(who)
            seconds += usage.ru_utime + usage.ru_stime
        return seconds

    def cores(self) -> float:
        wall = time.perf_counter() - self.started
        others = (self._busy_seconds() - self.busy) - (self._our_seconds() - self.ours)
        return round(max(others, 0.0) / wall, 2) if wall > 0 else 0.0


def build_parser(name: str, description: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=f"python -m bench.{name}", description=description)
    parser.add_argument(
        "--size",
        choices=["small", "full"],
        default="full",
        help="small proves the bench works in seconds; full gives the published numbers (default)",
    )
    parser.add_argument(
        "--json",
        type=Path,
        default=None,
        help=f"where to write the results (default: bench/results/{name}-<size>.json)",
    )
    return parser


def finish(report: Report, json_path: Path | None, load: OtherLoad | None = None) -> Path:
    """Print the table and write the JSON; returns where the JSON went."""
    if load is not None:
        report.machine["other_load_cores"] = load.cores()
        if report.machine["other_load_cores"] > BUSY_MACHINE_CORES:
            report.notes.append(
                f"Other processes kept {report.machine['other_load_cores']} of {os.cpu_count()} cores busy during "
                "this run (a database server included): the numbers are skewed."
            )
    path = json_path or RESULTS / f"{report.bench}-{report.size}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report.to_dict(), indent=2, default=str) + "\n")
    title = (
        f"== {report.bench} ({report.size}) on {report.machine.get('cpus')} cores, Python {platform.python_version()}"
    )
    print(title)
    print(report.table())
    print(f"(JSON: {path})")
    sys.stdout.flush()
    return path


def progress(message: str) -> None:
    """Progress goes to stderr, so stdout keeps just the table."""
    print(f"  .. {message}", file=sys.stderr, flush=True)
