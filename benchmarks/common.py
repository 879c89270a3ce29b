"""Shared by the benchmarks: fresh databases, timed commands, and the machine they ran on.

The machine is shared, so a wall time alone says little: every timed command also reports the
CPU time it used (its own and its child processes', user + system) and, on PostgreSQL, the CPU
time of the server backends that served it, with the load average when it ended.
"""

from __future__ import annotations

import os
import platform
import resource
import statistics
import subprocess
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, make_url, text

PG_BASE = os.environ.get("BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1/postgres")
_CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def machine() -> str:
    cpus = os.cpu_count()
    with open("/proc/meminfo") as handle:
        total_kb = int(handle.readline().split()[1])
    load = os.getloadavg()
    return (
        f"{platform.processor() or platform.machine()}, {cpus} cores, {total_kb / 1_048_576:.0f} GiB, "
        f"Python {platform.python_version()}, load average at start {load[0]:.2f}"
    )


@contextmanager
def fresh_database(kind: str) -> Iterator[str]:
    """An empty database URL of the given kind ("sqlite" or "postgresql"), removed afterwards."""
    if kind == "sqlite":
        with tempfile.TemporaryDirectory() as tmp:
            yield f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        return
    name = f"bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(make_url(PG_BASE), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(PG_BASE).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@dataclass(frozen=True, slots=True)
class Timing:
    """What one command cost: wall time, its CPU time, the database server's CPU time, the load."""

    wall: float
    cpu: float  # user + system of the command and every child process it waited for
    server_cpu: float | None  # PostgreSQL backends connected to the command's database (None on SQLite)
    load: float  # 1-minute load average when the command ended

    def describe(self) -> str:
        server = f", server CPU {self.server_cpu:.1f} s" if self.server_cpu is not None else ""
        return f"{self.wall:.1f} s wall, CPU {self.cpu:.1f} s{server}, load {self.load:.2f}"


@contextmanager
def given_or_fresh(kind: str, url: str | None) -> Iterator[str]:
    """The database at `url` if one is given (kept afterwards), else a fresh one of `kind` (dropped)."""
    if url is None:
        with fresh_database(kind) as fresh:
            yield fresh
    else:
        yield url


def _process_cpu(pid: int) -> float | None:
    """User + system CPU seconds of a process on this machine, None once it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return None
    return (int(fields[11]) + int(fields[12])) / _CLOCK_TICKS


class _ServerCpu:
    """Samples the CPU time of the PostgreSQL backends serving one database while a command runs.

    Backends are processes of the server on this machine (127.0.0.1); the last sample of each is
    kept, so a backend's final fraction of a second after the last sample may be missed.
    """

    def __init__(self, url: str, interval: float = 0.2) -> None:
        self._database = make_url(url).database
        self._engine = create_engine(make_url(PG_BASE), isolation_level="AUTOCOMMIT", pool_size=1)
        self._interval = interval
        self._seen: dict[int, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        with self._engine.connect() as conn:
            while True:
                pids = conn.execute(
                    text("SELECT pid FROM pg_stat_activity WHERE datname = :name"), {"name": self._database}
                ).scalars()
                for pid in pids:
                    cpu = _process_cpu(pid)
                    if cpu is not None:
                        self._seen[pid] = max(cpu, self._seen.get(pid, 0.0))
                if self._stop.wait(self._interval):
                    return

    def __enter__(self) -> _ServerCpu:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self._engine.dispose()

    @property
    def seconds(self) -> float:
        return sum(self._seen.values())


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(url: str, *args: str) -> Timing:
    """Runs a `registry` command against a database; returns what it cost."""
    env = {**os.environ, "REGISTRY_DATABASE_URL": url}
    server = _ServerCpu(url) if url.startswith("postgresql") else None
    cpu_before = _children_cpu()
    started = time.perf_counter()
    with server or nullcontext():
        subprocess.run(["registry", *args], env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - started
    return Timing(wall, _children_cpu() - cpu_before, server.seconds if server else None, os.getloadavg()[0])


def registry(url: str, *args: str) -> float:
    """Runs a `registry` command against a database; returns its wall time in seconds."""
    return timed(url, *args).wall


def summary(label: str, timings: list[Timing]) -> str:
    runs = "; ".join(t.describe() for t in timings)
    median_cpu = statistics.median(t.cpu for t in timings)
    return (
        f"{label}: median {statistics.median(t.wall for t in timings):.1f} s wall, {median_cpu:.1f} s CPU "
        f"over {len(timings)} runs ({runs})"
    )
