"""The console's pair page over HTTP with the database holding a national registry.

Seeds REPORTS reports and REMAINS remains (scored into the review queue) into a fresh database,
starts `registry serve` on 127.0.0.1, signs an investigator in through the console's own form and
opens random pair pages (both records side by side, the waterfall) with one keep-alive client;
prints p50 and p95 of the time to the full page, with the load average at that moment.

    python -m benchmarks.bench_console_pair --reports 250000 --remains 100000 --pages 500 --databases postgresql

`--database-url URL` measures an existing database instead (seeding it only if it holds fewer
than REPORTS reports).
"""

from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import subprocess
import time

import httpx
from sqlalchemy import create_engine, text

from benchmarks.common import given_or_fresh, machine, registry
from benchmarks.serving import served, stored_count

PASSWORD = "benchmark-password-0123"
USER = "bench.investigator"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def _percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)]
    return f"p50 {statistics.median(ordered) * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms over {len(ordered)} pages"


def _load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load {one:.2f} {five:.2f} {fifteen:.2f}"


def _prepare(kind: str, url: str, reports: int, remains: int) -> None:
    registry(url, "db", "upgrade")
    if stored_count(url, "missing_person_reports") >= reports:
        print(f"[{kind}] reusing the {stored_count(url, 'missing_person_reports')} reports already stored", flush=True)
    else:
        seconds = registry(url, "seed", "--reports", str(reports), "--remains", str(remains), "--seed", "5", "--review")
        print(f"[{kind}] seeded {reports} reports and {remains} remains, scored into the queue, in {seconds:.0f} s")
    env = {**os.environ, "REGISTRY_DATABASE_URL": url}
    subprocess.run(
        ["registry", "users", "create", USER, "--role", "investigator", "--password", PASSWORD],
        env=env,
        check=False,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _signed_in(base: str) -> httpx.Client:
    client = httpx.Client(base_url=base, timeout=30, follow_redirects=True)
    page = client.get("/console/login")
    found = CSRF.search(page.text)
    assert found, "no sign-in form"
    response = client.post("/console/login", data={"username": USER, "password": PASSWORD, "csrf_token": found[1]})
    response.raise_for_status()
    return client


def bench(kind: str, reports: int, remains: int, pages: int, url: str | None) -> None:
    with given_or_fresh(kind, url) as url:
        _prepare(kind, url, reports, remains)
        engine = create_engine(url)
        with engine.connect() as conn:
            pairs = [str(r[0]) for r in conn.execute(text("SELECT id FROM candidate_pairs"))]
        engine.dispose()
        print(f"[{kind}] {len(pairs)} candidate pairs stored", flush=True)
        with served(url, timeout=900) as api:
            rng = random.Random(1)
            client = _signed_in(api.base)
            try:
                for pair_id in rng.sample(pairs, min(30, len(pairs))):  # warm-up
                    client.get(f"/console/pairs/{pair_id}").raise_for_status()
                samples = []
                for pair_id in (rng.choice(pairs) for _ in range(pages)):
                    t0 = time.perf_counter()
                    client.get(f"/console/pairs/{pair_id}").raise_for_status()
                    samples.append(time.perf_counter() - t0)
            finally:
                client.close()
            print(f"[{kind}] pair page: {_percentiles(samples)}; {_load()}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reports", type=int, default=250_000)
    parser.add_argument("--remains", type=int, default=100_000)
    parser.add_argument("--pages", type=int, default=500)
    parser.add_argument("--databases", default="postgresql")
    parser.add_argument("--database-url", default=None, help="an existing database to measure (one kind only)")
    args = parser.parse_args()
    kinds = args.databases.split(",")
    if args.database_url is not None and len(kinds) != 1:
        parser.error("--database-url measures one database: name its kind alone in --databases")
    print(machine())
    for kind in kinds:
        bench(kind, args.reports, args.remains, args.pages, args.database_url)


if __name__ == "__main__":
    main()
