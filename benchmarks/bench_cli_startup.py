"""Command-line start-up: `registry --help` and every sub-command's `--help`, against `python -c pass`.

python -m benchmarks.bench_cli_startup --runs 7

Each command runs in a fresh interpreter (the installed `registry` script), `--runs` times; the
median wall time and the median CPU time (user + system of the child) are reported. The machine is
shared, so the CPU time says more than the wall time, and `python -c pass` on the same machine at
the same moment is the floor no command can go under. Target: every line ≤ 0.5 s wall.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.common import machine

REGISTRY = str(Path(sys.executable).with_name("registry"))
TARGET_S = 0.5
COMMANDS = [
    [], ["db"], ["db", "upgrade"], ["serve"], ["users"], ["users", "create"], ["users", "bootstrap-admin"],
    ["audit"], ["audit", "verify"], ["backup"], ["restore"], ["review"], ["review", "export"], ["import"],
    ["export"], ["seed"], ["demo"], ["dedupe"], ["link"], ["evaluate"],
]  # fmt: skip


def run_once(argv: list[str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the child) of one run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True, env={**os.environ})
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def measure(argv: list[str], runs: int) -> tuple[float, float]:
    results = [run_once(argv) for _ in range(runs)]
    return statistics.median(w for w, _ in results), statistics.median(c for _, c in results)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    print(machine())
    floor_wall, floor_cpu = measure([sys.executable, "-c", "pass"], args.runs)
    print(f"{'python -c pass':<36} wall {floor_wall:5.2f} s  cpu {floor_cpu:5.2f} s")
    slow = []
    for command in COMMANDS:
        wall, cpu = measure([REGISTRY, *command, "--help"], args.runs)
        label = " ".join(["registry", *command, "--help"])
        mark = "" if wall <= TARGET_S else "  > target"
        if mark:
            slow.append(label)
        print(f"{label:<36} wall {wall:5.2f} s  cpu {cpu:5.2f} s  (+{wall - floor_wall:4.2f} s over python){mark}",
              flush=True)  # fmt: skip
    print(f"over {TARGET_S} s: {', '.join(slow) if slow else 'none'}")


if __name__ == "__main__":
    main()
