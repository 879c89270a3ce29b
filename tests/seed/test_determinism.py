"""The same seed gives the same bytes; another seed gives another registry."""

from __future__ import annotations

from pathlib import Path

from seed.config import SeedConfig
from seed.files import write_dataset
from seed.generator import duplicate_pairs, generate_remains, generate_reports


def test_same_seed_gives_identical_rows() -> None:
    config = SeedConfig(reports=700, remains=200, seed=11)
    assert list(generate_reports(config)) == list(generate_reports(config))
    assert list(generate_remains(config)) == list(generate_remains(config))
    assert list(duplicate_pairs(config)) == list(duplicate_pairs(config))


def test_different_seeds_give_different_rows() -> None:
    first = list(generate_reports(SeedConfig(reports=300, seed=1)))
    second = list(generate_reports(SeedConfig(reports=300, seed=2)))
    assert first != second
    assert {r["given_names"] for r in first} != {r["given_names"] for r in second}


def test_written_files_are_byte_identical_across_runs(tmp_path: Path) -> None:
    config = SeedConfig(reports=600, remains=150, seed=5)
    one = write_dataset(config, tmp_path / "one")
    write_dataset(config, tmp_path / "two", parallel=False)
    for name in ("reports.csv", "remains.csv", "duplicates.csv", "links.csv"):
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes(), name
    assert one.report_rows == 600
    assert one.remains_rows == 150


def test_a_smaller_dataset_is_a_prefix_of_the_persons_of_a_larger_one() -> None:
    # Persons depend only on (seed, index): growing the dataset adds persons, it does not reshuffle them.
    small = {(r["given_names"], r["last_seen_date"]) for r in generate_reports(SeedConfig(reports=200, seed=3))}
    large = {(r["given_names"], r["last_seen_date"]) for r in generate_reports(SeedConfig(reports=400, seed=3))}
    assert small <= large


def test_exact_report_and_remains_counts() -> None:
    for reports, remains in ((1, 0), (2, 1), (97, None), (1000, 30)):
        config = SeedConfig(reports=reports, remains=remains, seed=4)
        assert sum(1 for _ in generate_reports(config)) == reports
        assert sum(1 for _ in generate_remains(config)) == config.remains_count
