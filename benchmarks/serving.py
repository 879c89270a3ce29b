"""`registry serve` started for a benchmark: a free port, readiness, resident memory, the database's size.

with served(url) as api:
    httpx.get(f"{api.base}/healthz")
"""

from __future__ import annotations

import os
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import httpx
from sqlalchemy import create_engine, text


@dataclass(frozen=True, slots=True)
class ServedAPI:
    base: str
    process: subprocess.Popen[bytes]
    ready_after_s: float

    def rss_mb(self) -> float:
        with open(f"/proc/{self.process.pid}/status") as handle:
            for line in handle:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        return float("nan")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_ready(base: str, process: subprocess.Popen[bytes], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("registry serve exited")
        try:
            if httpx.get(f"{base}/readyz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.5)  # a benchmark waiting for its server, not a test
    raise TimeoutError("the API did not become ready")


@contextmanager
def served(url: str, timeout: float = 900) -> Iterator[ServedAPI]:
    """`registry serve` on a free loopback port against `url`, ready (its matching index built)."""
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    started = time.perf_counter()
    env = {**os.environ, "REGISTRY_DATABASE_URL": url}
    process = subprocess.Popen(
        ["registry", "serve", "--port", str(port)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        _wait_ready(base, process, timeout)
        yield ServedAPI(base, process, time.perf_counter() - started)
    finally:
        process.terminate()
        process.wait()


def stored_count(url: str, table: str) -> int:
    """Rows in one of the registry's tables; 0 if the database is not migrated yet."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())
    except Exception:  # not migrated yet
        return 0
    finally:
        engine.dispose()
