"""Bulk import speed: `registry import` of an interchange CSV of reports into SQLite and PostgreSQL.

python benchmarks/bench_import.py --reports 100000 --runs 3
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from benchmarks.common import fresh_database, machine, registry, summary
from seed.columns import REPORT_COLUMNS
from seed.config import SeedConfig
from seed.files import write_rows
from seed.generator import generate_reports


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reports", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--databases", default="sqlite,postgresql")
    args = parser.parse_args()
    print(machine())
    with tempfile.TemporaryDirectory() as tmp:
        csv_file = Path(tmp) / "reports.csv"
        write_rows(csv_file, REPORT_COLUMNS, generate_reports(SeedConfig(reports=args.reports, seed=3)))
        for kind in args.databases.split(","):
            first, again = [], []
            for _ in range(args.runs):
                with fresh_database(kind) as url:
                    registry(url, "db", "upgrade")
                    first.append(registry(url, "import", str(csv_file), "--kind", "missing"))
                    again.append(registry(url, "import", str(csv_file), "--kind", "missing"))
            print(summary(f"import {args.reports} reports into empty {kind}", first), flush=True)
            print(summary(f"re-import of the same file into {kind} (all unchanged)", again), flush=True)


if __name__ == "__main__":
    main()
