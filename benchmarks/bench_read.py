"""Reading one record by id over HTTP with the database holding a national registry.

Seeds REPORTS reports into a fresh database, starts `registry serve` on 127.0.0.1, signs in
and reads random reports by id with one keep-alive client; prints p50 and p95, each with the
load average at that moment (the machine is shared: compare variants back to back).

    python -m benchmarks.bench_read --reports 250000 --requests 2000 --databases postgresql,sqlite

`--database-url URL` measures an existing database instead (seeding it only if it holds fewer
than REPORTS reports), so that variants of the code can be compared on the same data without
seeding again; `--rounds N` repeats the measurement N times against the same server.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import socket
import statistics
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
from sqlalchemy import create_engine, text

from benchmarks.common import fresh_database, machine, registry

PASSWORD = "benchmark-password-0123"


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
        time.sleep(0.5)
    raise TimeoutError("the API did not become ready")


def _rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as handle:
        for line in handle:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def _percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[int(len(ordered) * 0.95) - 1]
    return f"p50 {statistics.median(ordered) * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms over {len(ordered)} reads"


def _load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load {one:.2f} {five:.2f} {fifteen:.2f}"


def _stored_reports(url: str) -> int:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(text("SELECT count(*) FROM missing_person_reports")).scalar_one())
    except Exception:  # not migrated yet
        return 0
    finally:
        engine.dispose()


@contextmanager
def _database(kind: str, url: str | None) -> Iterator[str]:
    if url is None:
        with fresh_database(kind) as fresh:
            yield fresh
    else:
        yield url


def _prepare(kind: str, url: str, reports: int) -> None:
    """Migrates and seeds the database (unless it holds the reports already) and adds the two clerks."""
    registry(url, "db", "upgrade")
    if _stored_reports(url) >= reports:
        print(f"[{kind}] reusing the {_stored_reports(url)} reports already stored", flush=True)
    else:
        seeded = registry(url, "seed", "--reports", str(reports), "--seed", "5")
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"[{kind}] seeded {reports} reports in {seeded:.0f} s; largest process peak RSS {peak_mb:.0f} MB",
              flush=True)  # fmt: skip
    env = {**os.environ, "REGISTRY_DATABASE_URL": url}
    # check=False: on a reused database the accounts exist already.
    for name, jurisdiction in (("bench.jal", "JAL"), ("bench.sin", "SIN")):
        subprocess.run(
            ["registry", "users", "create", name, "--role", "clerk", "--jurisdiction", jurisdiction,
             "--password", PASSWORD],
            env=env, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip


def bench(kind: str, reports: int, requests: int, url: str | None = None, rounds: int = 1) -> None:
    with _database(kind, url) as url:
        _prepare(kind, url, reports)
        env = {**os.environ, "REGISTRY_DATABASE_URL": url}
        engine = create_engine(url)
        with engine.connect() as conn:
            ids = [str(r[0]) for r in conn.execute(text("SELECT id, source FROM missing_person_reports"))]
            jal = [str(r[0]) for r in conn.execute(text("SELECT id FROM missing_person_reports WHERE source='JAL'"))]
        engine.dispose()
        port = _free_port()
        base = f"http://127.0.0.1:{port}"
        started = time.perf_counter()
        server = subprocess.Popen(
            ["registry", "serve", "--port", str(port)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        try:
            _wait_ready(base, server, timeout=600)
            print(f"[{kind}] API ready in {time.perf_counter() - started:.0f} s (matching index built); "
                  f"resident memory {_rss_mb(server.pid):.0f} MB", flush=True)  # fmt: skip
            rng = random.Random(1)
            scenarios = (
                ("a clerk of SIN reads any report (match-relevant fields only)", "bench.sin", ids),
                ("a clerk of JAL reads JAL reports (restricted fields: each read audited)", "bench.jal", jal),
            )
            for label, user, pool in (s for _ in range(rounds) for s in scenarios):
                with httpx.Client(base_url=base, timeout=10) as client:
                    token = client.post("/api/v1/auth/token", data={"username": user, "password": PASSWORD}).json()[
                        "access_token"
                    ]
                    client.headers["Authorization"] = f"Bearer {token}"
                    for record_id in rng.sample(pool, 50):  # warm-up
                        client.get(f"/api/v1/reports/{record_id}").raise_for_status()
                    samples = []
                    for record_id in (rng.choice(pool) for _ in range(requests)):
                        t0 = time.perf_counter()
                        client.get(f"/api/v1/reports/{record_id}").raise_for_status()
                        samples.append(time.perf_counter() - t0)
                print(f"[{kind}] {label}: {_percentiles(samples)}; {_load()}", flush=True)
        finally:
            server.terminate()
            server.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reports", type=int, default=250_000)
    parser.add_argument("--requests", type=int, default=2_000)
    parser.add_argument("--databases", default="postgresql,sqlite")
    parser.add_argument("--database-url", default=None, help="an existing database to measure (one kind only)")
    parser.add_argument("--rounds", type=int, default=1, help="measurements per reader against the same server")
    args = parser.parse_args()
    kinds = args.databases.split(",")
    if args.database_url is not None and len(kinds) != 1:
        parser.error("--database-url measures one database: name its kind alone in --databases")
    print(machine())
    for kind in kinds:
        bench(kind, args.reports, args.requests, args.database_url, args.rounds)


if __name__ == "__main__":
    main()
