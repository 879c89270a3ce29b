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
import statistics
import subprocess
import time

import httpx
from sqlalchemy import create_engine, text

from benchmarks.common import given_or_fresh, machine, registry
from benchmarks.serving import served, stored_count

PASSWORD = "benchmark-password-0123"


def _percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[int(len(ordered) * 0.95) - 1]
    return f"p50 {statistics.median(ordered) * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms over {len(ordered)} reads"


def _load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load {one:.2f} {five:.2f} {fifteen:.2f}"


def _prepare(kind: str, url: str, reports: int) -> None:
    """Migrates and seeds the database (unless it holds the reports already) and adds the two clerks."""
    registry(url, "db", "upgrade")
    if stored_count(url, "missing_person_reports") >= reports:
        print(f"[{kind}] reusing the {stored_count(url, 'missing_person_reports')} reports already stored", flush=True)
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
    with given_or_fresh(kind, url) as url:
        _prepare(kind, url, reports)
        engine = create_engine(url)
        with engine.connect() as conn:
            ids = [str(r[0]) for r in conn.execute(text("SELECT id, source FROM missing_person_reports"))]
            jal = [str(r[0]) for r in conn.execute(text("SELECT id FROM missing_person_reports WHERE source='JAL'"))]
        engine.dispose()
        with served(url, timeout=600) as api:
            print(f"[{kind}] API ready in {api.ready_after_s:.0f} s (matching index built); "
                  f"resident memory {api.rss_mb():.0f} MB", flush=True)  # fmt: skip
            rng = random.Random(1)
            scenarios = (
                ("a clerk of SIN reads any report (match-relevant fields only)", "bench.sin", ids),
                ("a clerk of JAL reads JAL reports (restricted fields: each read audited)", "bench.jal", jal),
            )
            for label, user, pool in (s for _ in range(rounds) for s in scenarios):
                with httpx.Client(base_url=api.base, timeout=10) as client:
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
