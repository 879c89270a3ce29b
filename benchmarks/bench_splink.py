"""Duplicate detection side by side: the registry's matcher and Splink (DuckDB), same seeded data.

    python -m benchmarks.bench_splink --reports 27640 --seed 1 --profile harsh --runs 3

Both systems get the same missing-person reports (seed/ data, its ground truth) and are scored
on the same duplicate pairs, at the same probability threshold (0.5 by default: the registry's
default threshold, that of `registry dedupe`). Wall time counts everything from
the rows in memory to the scored pairs: index build or table load, parameter estimation
(unsupervised for both) and prediction.

Splink is configured as its tutorials configure person data (`ForenameSurnameComparison`,
`NameComparison`, `DateOfBirthComparison`, exact matches with term-frequency adjustments,
u by random sampling, m by expectation maximisation on two blocking rules), with the usual
cleaning step first (lower case, accents removed, blanks as NULL). It needs the bench extra:
`pip install -e ".[bench]"`. With --runs N each system runs N times, alternating, and the
median wall and CPU time is printed (the quality figures do not change between runs).
"""

from __future__ import annotations

import argparse
import csv
import os
import statistics
import tempfile
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from benchmarks.matching_seeded import Dataset, load, to_record
from matching import MatchIndex

SPLINK_COLUMNS = (
    "unique_id",
    "given_names",
    "first_surname",
    "second_surname",
    "full_name",
    "sex",
    "date_of_birth",
    "curp",
    "last_seen_state",
    "last_seen_municipality",
)


@dataclass(frozen=True)
class Outcome:
    system: str
    pairs: int
    precision: float
    recall: float
    f1: float
    wall: float
    cpu: float

    def line(self) -> str:
        return (
            f"{self.system:9} pairs {self.pairs:7d}  precision {self.precision:.4f}  recall {self.recall:.4f}  "
            f"F1 {self.f1:.4f}  wall {self.wall:6.1f} s  CPU {self.cpu:6.1f} s"
        )


def _key(source: str, folio: str) -> str:
    return f"{source}|{folio}"


def _score(system: str, found: set[frozenset[str]], truth: set[frozenset[str]], wall: float, cpu: float) -> Outcome:
    tp = len(found & truth)
    precision, recall = tp / max(len(found), 1), tp / max(len(truth), 1)
    f1 = 2 * precision * recall / max(precision + recall, 1e-9)
    return Outcome(system, len(found), precision, recall, f1, wall, cpu)


def run_registry(data: Dataset, threshold: float, seed: int) -> set[frozenset[str]]:
    """The registry's matcher: index build, parameter estimation and dedupe."""
    index = MatchIndex()
    index.add_many([to_record(row, "report") for row in data.reports])
    index.estimate_parameters(seed=seed)
    return {frozenset((p.key_a, p.key_b)) for p in index.dedupe(threshold)}


def _clean(value: str) -> str:
    folded = unicodedata.normalize("NFKD", value.strip().lower())
    return "".join(c for c in folded if not unicodedata.combining(c))


def _write_csv(data: Dataset, path: Path) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(SPLINK_COLUMNS)
        for row in data.reports:
            given, first, second = (_clean(row[c]) for c in ("given_names", "first_surname", "second_surname"))
            full = " ".join(part for part in (given, first, second) if part)
            writer.writerow(
                (_key(row["source"], row["folio"]), given, first, second, full, row["sex"], row["date_of_birth"],
                 row["curp"].strip().upper(), row["last_seen_state"], _clean(row["last_seen_municipality"]))
            )  # fmt: skip


def run_splink(data: Dataset, threshold: float, seed: int) -> set[frozenset[str]]:
    """Splink 5 on DuckDB, trained without labels as its person-data tutorials do."""
    import duckdb  # the bench extra only
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "reports.csv"
        _write_csv(data, path)
        con = duckdb.connect()
        con.execute("CREATE TABLE reports AS SELECT * FROM read_csv(?, header = true, all_varchar = true)", [str(path)])
        for column in SPLINK_COLUMNS[1:]:
            con.execute(f"UPDATE reports SET {column} = NULL WHERE {column} = ''")
        db_api = DuckDBAPI(connection=con)
        table = db_api.register("reports", dataset_display_name="reports")
        settings = SettingsCreator(
            link_type="dedupe_only",
            blocking_rules_to_generate_predictions=[
                block_on("given_names", "first_surname"),
                block_on("first_surname", "date_of_birth"),
                block_on("given_names", "date_of_birth"),
                block_on("second_surname", "date_of_birth"),
                block_on("curp"),
                block_on("first_surname", "second_surname"),
            ],
            comparisons=[
                cl.ForenameSurnameComparison(
                    "given_names", "first_surname", forename_surname_concat_col_name="full_name"
                ),
                cl.NameComparison("second_surname"),
                cl.DateOfBirthComparison("date_of_birth", input_is_string=True),
                cl.ExactMatch("sex"),
                cl.LevenshteinAtThresholds("curp", [1, 2]),
                cl.ExactMatch("last_seen_state").configure(term_frequency_adjustments=True),
                cl.ExactMatch("last_seen_municipality").configure(term_frequency_adjustments=True),
            ],
            retain_intermediate_calculation_columns=False,
        )
        linker = Linker(table, settings, log_level=None)
        linker.training.estimate_probability_two_random_records_match(
            [block_on("given_names", "first_surname", "date_of_birth"), block_on("curp")], recall=0.7
        )
        linker.training.estimate_u_using_random_sampling(max_pairs=5e6, seed=seed)
        linker.training.estimate_parameters_using_expectation_maximisation(
            block_on("given_names", "first_surname"), estimate_without_term_frequencies=True
        )
        linker.training.estimate_parameters_using_expectation_maximisation(block_on("date_of_birth"))
        predictions = linker.inference.predict(threshold_match_probability=threshold)
        rows = predictions.as_duckdbpyrelation().select("unique_id_l, unique_id_r").fetchall()
        con.close()
    return {frozenset(row) for row in rows}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reports", type=int, default=82_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--threshold", type=float, default=0.5)
    parser.add_argument("--profile", default="default", help="seed noise profile (docs/seed.md)")
    parser.add_argument("--runs", type=int, default=1, help="runs of each system; medians are printed")
    args = parser.parse_args()
    data = load(args.reports, 0, args.seed, args.profile)
    truth = {frozenset((_key(*p[:2]), _key(*p[2:]))) for p in data.duplicate_pairs}
    print(
        f"{len(data.reports)} reports ({args.profile}), {len(truth)} true duplicate pairs, threshold {args.threshold}; "
        f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}",
        flush=True,
    )
    runners = (("registry", run_registry), ("splink", run_splink))
    outcomes: dict[str, list[Outcome]] = {system: [] for system, _ in runners}
    for run in range(args.runs):
        for system, runner in runners:
            wall, cpu = time.perf_counter(), time.process_time()
            found = runner(data, args.threshold, args.seed)
            outcome = _score(system, found, truth, time.perf_counter() - wall, time.process_time() - cpu)
            outcomes[system].append(outcome)
            print(f"run {run + 1} {outcome.line()}  load {os.getloadavg()[0]:.2f}", flush=True)
    if args.runs > 1:
        for system, runs in outcomes.items():
            walls, cpus = [o.wall for o in runs], [o.cpu for o in runs]
            median = Outcome(
                system, runs[0].pairs, runs[0].precision, runs[0].recall, runs[0].f1,
                statistics.median(walls), statistics.median(cpus),
            )  # fmt: skip
            print(f"median {median.line()}  (wall {min(walls):.1f}–{max(walls):.1f} s)")
    print(f"load average at the end {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
