"""Shared by the benchmarks: fresh databases, timed commands, and the machine they ran on."""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, make_url, text

PG_BASE = os.environ.get("BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1/postgres")


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


def registry(url: str, *args: str) -> float:
    """Runs a `registry` command against a database; returns its wall time in seconds."""
    env = {**os.environ, "REGISTRY_DATABASE_URL": url}
    started = time.perf_counter()
    subprocess.run(["registry", *args], env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def summary(label: str, seconds: list[float]) -> str:
    runs = ", ".join(f"{s:.1f}" for s in seconds)
    return f"{label}: median {statistics.median(seconds):.1f} s over {len(seconds)} runs ({runs})"
