"""`python -m seed --reports 82000 --out DIR`: write a synthetic registry and its ground truth."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from seed.config import SeedConfig
from seed.files import write_dataset


def main(argv: list[str] | None = None) -> None:
    """Parse the command line and write the dataset."""
    parser = argparse.ArgumentParser(prog="python -m seed", description=__doc__)
    parser.add_argument("--reports", type=int, default=82_000, help="number of missing-person reports")
    parser.add_argument("--remains", type=int, default=None, help="number of remains (default: reports / 4)")
    parser.add_argument("--seed", type=int, default=0, help="random seed; the same seed gives the same files")
    parser.add_argument("--out", type=Path, required=True, help="directory to write the CSV files into")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    files = write_dataset(SeedConfig(args.reports, args.remains, args.seed), args.out)
    elapsed = time.perf_counter() - started
    print(
        f"{files.report_rows} reports, {files.remains_rows} remains, {files.duplicate_rows} duplicate pairs, "
        f"{files.link_rows} links written to {args.out} in {elapsed:.1f} s"
    )


if __name__ == "__main__":
    main()
