"""Seeding speed: `registry seed` of a national-scale registry into SQLite and PostgreSQL.

python benchmarks/bench_seed.py --reports 82000 --remains 20500 --runs 3
"""

from __future__ import annotations

import argparse

from benchmarks.common import fresh_database, machine, registry, summary, timed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reports", type=int, default=82_000)
    parser.add_argument("--remains", type=int, default=20_500)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--databases", default="sqlite,postgresql")
    args = parser.parse_args()
    print(machine())
    for kind in args.databases.split(","):
        timings = []
        for _ in range(args.runs):
            with fresh_database(kind) as url:
                registry(url, "db", "upgrade")
                timings.append(
                    timed(url, "seed", "--reports", str(args.reports), "--remains", str(args.remains), "--seed", "1")
                )
        print(summary(f"seed {args.reports} reports + {args.remains} remains into {kind}", timings), flush=True)


if __name__ == "__main__":
    main()
