"""Each bench runs once at its small size and writes its table and JSON. Benches are not timed
tests: nothing here looks at the numbers, only that they were measured."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from bench.common import Report, Target, format_table, percentile
from bench.latency import Sample, _shares, pooled, targets_for
from bench.report import latency_floor
from slack_standin.workspace import Workspace

REPO = Path(__file__).resolve().parents[2]
TIMEOUT = 240


def run_bench(args: list[str], json_path: Path) -> tuple[str, dict[str, Any]]:
    result = subprocess.run(
        [sys.executable, "-m", *args, "--size", "small", "--json", str(json_path)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout, json.loads(json_path.read_text())


def check_common(stdout: str, data: dict[str, Any], name: str) -> None:
    assert data["bench"] == name and data["size"] == "small"
    assert {"date", "cpus", "python", "sqlite"} <= set(data["machine"])
    assert data["rows"], "no rows measured"
    for row in data["rows"]:
        assert set(data["columns"]) <= set(row), row
    for target in data["targets"]:
        assert set(target) == {"name", "goal", "value", "met"}
    assert stdout.startswith(f"== {name} (small)")
    assert " ".join(data["columns"][:2]) in " ".join(stdout.split()), stdout


@pytest.mark.slow
def test_latency_bench_measures_each_command_at_each_concurrency_against_the_bare_app(tmp_path: Path) -> None:
    stdout, data = run_bench(["bench.latency"], tmp_path / "latency.json")
    check_common(stdout, data, "latency")
    cells = {(r["command"], r["concurrency"]) for r in data["rows"]}
    assert cells == {(c, n) for c in ("help", "status", "present") for n in (1, 10, 50)}
    for row in data["rows"]:
        assert row["errors"] == 0, row
        assert row["app_p99_ms"] >= row["app_p50_ms"] > 0 and row["bare_p99_ms"] >= row["bare_p50_ms"] > 0
        assert row["p99_ratio"] > 0
        if sys.platform == "linux":
            assert row["app_cpu_ms"] > 0 and row["bare_cpu_ms"] > 0, row
        if row["command"] == "status":  # measured against its floor too, which answered every request
            assert row["floor_p99_ms"] > 0 and row["floor_p99_ratio"] > 0, row
            assert sys.platform != "linux" or row["floor_cpu_ms"] > 0, row
        else:
            assert row["floor_p99_ms"] is None and row["floor_cpu_ms"] is None, row
    assert data["turns"] > 1  # bare and app took turns
    assert data["views_open"]["ok"] > 0  # /als present opened modals after acknowledging
    assert {t["name"] for t in data["targets"]} >= {"status p99, concurrency 10", "help p99 / bare p99, concurrency 10"}


@pytest.mark.slow
def test_sweep_bench_times_find_and_claim_and_shows_the_plans(tmp_path: Path) -> None:
    backends = "sqlite,postgresql" if os.environ.get("TEST_DATABASE_URL") else "sqlite"
    stdout, data = run_bench(["bench.sweep", "--backends", backends], tmp_path / "sweep.json")
    check_common(stdout, data, "sweep")
    assert {r["backend"] for r in data["rows"]} == set(backends.split(","))
    for row in data["rows"]:
        assert row["found"] == row["due"] and row["claimed"] == min(row["due"], data["batches"]["claim"])
        assert row["total_ms"] > 0
    plans = data["plans"]
    assert "ix_commitment_next_reminder_at" in plans["sqlite"]["query"]
    assert "ix_outbox_message_status_due_at" in plans["sqlite"]["claim"]
    if "postgresql" in plans:
        assert "ix_commitment_next_reminder_at" in plans["postgresql"]["query"]


@pytest.mark.slow
def test_dispatch_bench_sends_every_reminder_through_the_standin(tmp_path: Path) -> None:
    stdout, data = run_bench(["bench.dispatch"], tmp_path / "dispatch.json")
    check_common(stdout, data, "dispatch")
    assert [r["slack_ms"] for r in data["rows"]] == [0, 100]
    for row, run in zip(data["rows"], data["runs"], strict=True):
        assert row["reminders"] == run["stand_in_calls"]["ok"]["chat.postMessage"] > 0
        assert row["per_second"] > 0 and row["cpu_ms_per_reminder"] > 0
        assert sum(s["sent"] for s in run["sweeps"]) == row["reminders"]
    scheduled = data["scheduled"]
    assert 0 < scheduled["per_second"] <= scheduled["posts_per_second"]  # the default pace sets the rate
    assert scheduled["minutes_for_all"] == pytest.approx(
        data["rows"][0]["reminders"] / scheduled["per_second"] / 60, abs=0.2
    )


@pytest.mark.slow
def test_memory_bench_reads_startup_and_resident_memory_of_the_real_process(tmp_path: Path) -> None:
    stdout, data = run_bench(["bench.memory"], tmp_path / "memory.json")
    check_common(stdout, data, "memory")
    values = data["values"]
    assert values["sent"] == values["expected"] > 0
    assert values["startup_s"] > 0 and values["exit_status"] == 0
    assert values["rss_after_mb"] > 0 and values["rss_idle_mb"] > 0
    assert {t["name"] for t in data["targets"]} == {"RSS idle and after dispatch", "start-up to /healthz 200"}


def test_the_runner_refuses_an_unknown_bench() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bench", "--only", "nonsense"], cwd=REPO, capture_output=True, text=True, check=False
    )
    assert result.returncode == 2 and "unknown bench: nonsense" in result.stderr


def test_a_cell_is_split_into_even_turns_that_add_up() -> None:
    assert _shares(3000, 5) == [600] * 5
    assert _shares(7, 5) == [2, 2, 1, 1, 1]
    assert _shares(3, 5) == [1, 1, 1]  # no empty turn


def test_an_apps_turns_are_pooled_into_one_sample() -> None:
    first = Sample(latencies=[0.010, 0.020], wall=1.0, errors=0, cpu_ms=1.0)
    second = Sample(latencies=[0.030, 0.040, 0.050], wall=2.0, errors=1, cpu_ms=2.0)
    both = pooled([first, second])
    assert both.latencies == [0.010, 0.020, 0.030, 0.040, 0.050]
    assert both.wall == 3.0 and both.errors == 1
    assert both.cpu_ms == pytest.approx((2 * 1.0 + 3 * 2.0) / 5)  # weighted by requests, not by turns
    assert pooled([first, Sample(latencies=[0.01], wall=1.0, errors=0)]).cpu_ms is None  # CPU not known


def test_the_targets_are_judged_at_concurrency_10_as_the_issue_sets_them() -> None:
    def row(command: str, concurrency: int, ratio: float, p99: float) -> dict[str, Any]:
        return {"command": command, "concurrency": concurrency, "p99_ratio": ratio, "app_p99_ms": p99}

    rows = [row(c, n, 1.0, 15.0) for n in (1, 10, 50) for c in ("help", "status", "present")]
    rows[4] = row("status", 10, 1.25, 15.0)  # misses the ratio at 10
    rows[5] = row("present", 10, 3.0, 120.0)  # no ratio target; misses 100 ms
    rows[7] = row("status", 50, 1.5, 40.0)  # reported in the table, no target at 50
    judged = {t.name: t.met for t in targets_for(rows)}
    assert judged == {
        "help p99 / bare p99, concurrency 10": True,
        "status p99 / bare p99, concurrency 10": False,
        "help p99, concurrency 10": True,
        "status p99, concurrency 10": True,
        "present p99, concurrency 10": False,
    }


def test_percentiles_interpolate_between_ranks() -> None:
    values = [float(v) for v in range(1, 101)]
    assert percentile(values, 50) == pytest.approx(50.5)
    assert percentile(values, 99) == pytest.approx(99.01)
    assert percentile([3.0], 99) == 3.0


def test_the_table_lines_up_numbers_on_the_right() -> None:
    table = format_table(["name", "ms"], [["help", "1.5"], ["status", "12.25"]])
    assert table.splitlines() == ["name       ms", "------  -----", "help      1.5", "status  12.25"]
    report = Report(bench="x", size="small", columns=["a"], rows=[{"a": 1_000}])
    report.targets.append(Target("t", "<= 1", "2", False))
    assert "1,000" in report.table() and "NO" in report.table()


def test_the_published_tables_show_status_against_its_floor_only_where_it_was_measured() -> None:
    common = {"app_p50_ms": 10.0, "app_p95_ms": 11.0, "bare_p50_ms": 9.0, "app_rps": 500.0, "errors": 0}
    rows = [
        {**common, "command": "help", "concurrency": 50, "app_p99_ms": 12.0, "bare_p99_ms": 10.0, "p99_ratio": 1.2},
        {
            **common,
            "command": "status",
            "concurrency": 50,
            "app_p99_ms": 30.0,
            "bare_p99_ms": 20.0,
            "p99_ratio": 1.5,
            "app_cpu_ms": 0.6,
            "bare_cpu_ms": 0.3,
            "floor_p99_ms": 22.0,
            "floor_p99_ratio": 1.1,
            "floor_cpu_ms": 0.4,
        },
    ]
    table = latency_floor({"rows": rows})
    assert table is not None
    assert table.splitlines()[2:] == ["| `/als status` | 50 | 20.0 | 22.0 | 30.0 | 1.10 | 1.50 | 0.30 | 0.40 | 0.60 |"]
    assert latency_floor({"rows": rows[:1]}) is None  # a run from before the floor: no table


def test_the_standin_keeps_one_dm_per_person() -> None:
    ws = Workspace()
    person = ws.add_user("Ada")
    dm = ws.im_with(person.id)
    assert ws.im_with(person.id) is dm and ws.channels[dm.id] is dm
    assert dm.is_im and dm.members == [person.id, ws.bot_user_id]
