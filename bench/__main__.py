"""Every bench, one after the other: `python -m bench [--size small|full] [--out DIR] [--only a,b]`.

Each prints its table and writes bench/results/<name>-<size>.json (or DIR/<name>-<size>.json).
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from pathlib import Path

from bench import dispatch, latency, memory, sweep

BENCHES: dict[str, Callable[[list[str] | None], int]] = {
    "latency": latency.main,
    "sweep": sweep.main,
    "dispatch": dispatch.main,
    "memory": memory.main,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description="Run every bench.")
    parser.add_argument("--size", choices=["small", "full"], default="full")
    parser.add_argument("--out", type=Path, default=None, help="folder for the JSON files")
    parser.add_argument("--only", default=",".join(BENCHES), help=f"comma-separated, from {', '.join(BENCHES)}")
    args = parser.parse_args(argv)
    chosen = [name.strip() for name in args.only.split(",") if name.strip()]
    unknown = set(chosen) - set(BENCHES)
    if unknown:
        parser.error(f"unknown bench: {', '.join(sorted(unknown))}")
    for name in chosen:
        started = time.perf_counter()
        bench_args = ["--size", args.size]
        if args.out is not None:
            bench_args += ["--json", str(args.out / f"{name}-{args.size}.json")]
        BENCHES[name](bench_args)
        print(f"({name} took {time.perf_counter() - started:.0f} s)\n", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
