"""Bulk import speed: `registry import` of an interchange CSV of reports into SQLite and PostgreSQL.

python -m benchmarks.bench_import --reports 100000 --runs 3

`--no-review` measures the import alone, without scoring the imported records into the review
queue afterwards (what `registry import` does unless told `--no-review`).
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from benchmarks.common import fresh_database, machine, registry, summary, timed
from seed.columns import REPORT_COLUMNS
from seed.config import SeedConfig
from seed.files import write_rows
from seed.generator import generate_reports


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reports", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--no-review", action="store_true", help="pass --no-review to `registry import`")
    args = parser.parse_args()
    command = ["--kind", "missing", "--national", *(["--no-review"] if args.no_review else [])]
    print(machine())
    with tempfile.TemporaryDirectory() as tmp:
        csv_file = Path(tmp) / "reports.csv"
        write_rows(csv_file, REPORT_COLUMNS, generate_reports(SeedConfig(reports=args.reports, seed=3)))
        for kind in args.databases.split(","):
            first, again = [], []
            for _ in range(args.runs):
                with fresh_database(kind) as url:
                    registry(url, "db", "upgrade")
                    first.append(timed(url, "import", str(csv_file), *command))
                    again.append(timed(url, "import", str(csv_file), *command))
            label = " (--no-review)" if args.no_review else ""
            print(summary(f"import{label} {args.reports} reports into empty {kind}", first), flush=True)
            print(summary(f"re-import{label} of the same file into {kind} (all unchanged)", again), flush=True)


if __name__ == "__main__":
    main()
