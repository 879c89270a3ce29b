"""One match query over HTTP (`POST /api/v1/match`) against a national registry.

Seeds REPORTS reports and REMAINS remains into a fresh database (or into the one given with
--database-url, unless it holds them already: variants measured on the same data), starts
`registry serve`, signs in as an investigator and sends queries built
from stored records (as a clerk would describe the person: names, date of birth or age, place,
date, marks; remains as a forensic service records them), half among reports, half among both
kinds; prints p50 and p95 by kind of query.

    python -m benchmarks.bench_match_http --reports 250000 --remains 100000 --queries 1000
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import time
from datetime import date
from typing import Any

import httpx
from sqlalchemy import create_engine, text

from benchmarks.common import given_or_fresh, machine, registry
from benchmarks.serving import served, stored_count

PASSWORD = "benchmark-password-0123"
REPORT_QUERY = (
    "SELECT given_names, first_surname, second_surname, sex, date_of_birth, age_years, last_seen_date, "
    "last_seen_state, last_seen_municipality, height_cm, distinguishing_marks FROM missing_person_reports"
)
REMAINS_QUERY = (
    "SELECT sex, age_min, age_max, found_date, found_state, found_municipality, height_min_cm, height_max_cm, "
    "distinguishing_marks FROM unidentified_remains"
)


def _iso(value: Any) -> str | None:
    if value is None:
        return None
    return value.isoformat() if isinstance(value, date) else str(value)


def _report_query(row: Any) -> dict[str, Any]:
    body = {
        "given_names": row.given_names, "first_surname": row.first_surname, "second_surname": row.second_surname,
        "sex": row.sex, "date_of_birth": _iso(row.date_of_birth), "age_years": row.age_years,
        "event_date": _iso(row.last_seen_date), "state": row.last_seen_state,
        "municipality": row.last_seen_municipality, "height_cm": row.height_cm,
        "distinguishing_marks": row.distinguishing_marks,
    }  # fmt: skip
    return {k: v for k, v in body.items() if v is not None}


def _remains_query(row: Any) -> dict[str, Any]:
    body = {
        "kind": "remains", "sex": row.sex, "age_min": row.age_min, "age_max": row.age_max,
        "event_date": _iso(row.found_date), "state": row.found_state, "municipality": row.found_municipality,
        "height_min_cm": row.height_min_cm, "height_max_cm": row.height_max_cm,
        "distinguishing_marks": row.distinguishing_marks,
    }  # fmt: skip
    return {k: v for k, v in body.items() if v is not None}


def _queries(url: str, count: int, rng: random.Random) -> list[tuple[str, dict[str, Any]]]:
    engine = create_engine(url)
    with engine.connect() as conn:
        reports = conn.execute(text(REPORT_QUERY)).all()
        remains = conn.execute(text(REMAINS_QUERY)).all()
    engine.dispose()
    queries: list[tuple[str, dict[str, Any]]] = []
    for i in range(count):
        if i % 4 == 3 and remains:
            queries.append(("remains → reports", _remains_query(rng.choice(remains))))
        elif i % 2:
            queries.append(("report → reports and remains", {**_report_query(rng.choice(reports)),
                                                             "among": ["report", "remains"]}))  # fmt: skip
        else:
            queries.append(("report → reports", _report_query(rng.choice(reports))))
    return queries


def _percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[max(int(len(ordered) * 0.95) - 1, 0)]
    return f"p50 {statistics.median(ordered) * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms over {len(ordered)} queries"


def bench(kind: str, reports: int, remains: int, count: int, given_url: str | None) -> None:
    with given_or_fresh(kind, given_url) as url:
        env = {**os.environ, "REGISTRY_DATABASE_URL": url}
        registry(url, "db", "upgrade")
        if stored_count(url, "missing_person_reports") < reports:
            seconds = registry(url, "seed", "--reports", str(reports), "--remains", str(remains), "--seed", "5")
            print(f"[{kind}] seeded {reports} reports + {remains} remains in {seconds:.0f} s", flush=True)
        subprocess.run(
            ["registry", "users", "create", "bench.investigator", "--role", "investigator", "--password", PASSWORD],
            env=env, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        queries = _queries(url, count, random.Random(1))
        with served(url) as api:
            print(f"[{kind}] API ready in {api.ready_after_s:.0f} s; resident memory {api.rss_mb():.0f} MB",
                  flush=True)  # fmt: skip
            with httpx.Client(base_url=api.base, timeout=30) as client:
                form = {"username": "bench.investigator", "password": PASSWORD}
                client.headers["Authorization"] = (
                    "Bearer " + client.post("/api/v1/auth/token", data=form).json()["access_token"]
                )
                for _, body in queries[:50]:  # warm-up
                    client.post("/api/v1/match", json=body).raise_for_status()
                samples: dict[str, list[float]] = {}
                for label, body in queries:
                    t0 = time.perf_counter()
                    client.post("/api/v1/match", json=body).raise_for_status()
                    samples.setdefault(label, []).append(time.perf_counter() - t0)
            every = [s for values in samples.values() for s in values]
            print(f"[{kind}] all queries: {_percentiles(every)}; load {os.getloadavg()[0]:.2f}", flush=True)
            for label, values in samples.items():
                print(f"[{kind}]   {label}: {_percentiles(values)}", flush=True)
            print(f"[{kind}] resident memory after the queries {api.rss_mb():.0f} MB", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reports", type=int, default=250_000)
    parser.add_argument("--remains", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=1_000)
    parser.add_argument("--databases", default="sqlite")
    parser.add_argument(
        "--database-url",
        default=None,
        help="a database to measure (one kind), seeded first if it holds fewer reports",
    )
    args = parser.parse_args()
    print(machine())
    for kind in args.databases.split(","):
        bench(kind, args.reports, args.remains, args.queries, args.database_url)


if __name__ == "__main__":
    main()
