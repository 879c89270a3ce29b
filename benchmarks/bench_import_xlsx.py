"""Import of a state's Spanish workbook: `registry import` of a 100,000-row .xlsx of reports.

python -m benchmarks.bench_import_xlsx --reports 100000 --runs 1 [--no-review] [--databases sqlite,postgresql]

The workbook is made from the seed generator as a state would export it: Spanish headers, words
for sexes, statuses and states, dates as date cells (openpyxl's write-only mode). Targets:
≤ 90 s and a peak resident memory ≤ 500 MB. The peak is the largest of the processes the
command ran (the importer or the process reading the workbook for it).
"""

from __future__ import annotations

import argparse
import resource
import tempfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

from benchmarks.common import fresh_database, machine, registry, summary, timed
from registry.exports import write_xlsx
from registry.interchange import REPORT_COLUMNS
from registry.mappings import DATE_COLUMNS
from seed.config import SeedConfig
from seed.generator import generate_reports

_NUMBERS = {"age_years", "height_cm"}


def _typed(row: dict[str, str]) -> Iterator[tuple[str, Any]]:
    """A generated row as workbook cells: dates as dates, numbers as numbers, the rest as text."""
    for column in REPORT_COLUMNS:
        value: Any = row.get(column) or None
        if value is not None and column in DATE_COLUMNS:
            value = date.fromisoformat(value)
        elif value is not None and column in _NUMBERS:
            value = int(value)
        yield column, value


def write_spanish_workbook(path: Path, reports: int) -> int:
    rows = (dict(_typed(row)) for row in generate_reports(SeedConfig(reports=reports, seed=3)))
    with path.open("wb") as target:
        return write_xlsx(target, REPORT_COLUMNS, rows, "es", "Registro")


def _peak_rss_mb() -> float:
    """The largest resident set of any child process waited for so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reports", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--no-review", action="store_true", help="pass --no-review to `registry import`")
    args = parser.parse_args()
    command = ["--kind", "missing", "--national", *(["--no-review"] if args.no_review else [])]
    print(machine())
    with tempfile.TemporaryDirectory() as tmp:
        workbook = Path(tmp) / "registro.xlsx"
        written = write_spanish_workbook(workbook, args.reports)
        print(f"workbook: {written} rows, {workbook.stat().st_size / 1_048_576:.1f} MiB", flush=True)
        for kind in args.databases.split(","):
            runs = []
            for _ in range(args.runs):
                with fresh_database(kind) as url:
                    registry(url, "db", "upgrade")
                    runs.append(timed(url, "import", str(workbook), *command))
            label = " (--no-review)" if args.no_review else ""
            print(summary(f"import{label} of a {args.reports}-row Spanish workbook into empty {kind}", runs))
            print(f"peak RSS so far (largest process): {_peak_rss_mb():.0f} MB", flush=True)


if __name__ == "__main__":
    main()
