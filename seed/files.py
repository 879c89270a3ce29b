"""Writing a synthetic registry to disk: interchange CSVs and the ground-truth CSVs.

Files are UTF-8 without a byte-order mark, RFC 4180 (CRLF line ends, minimal quoting), with
exactly the interchange columns in the specification's order; the same config gives the same
bytes.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from registry.csv_safety import SafeDictWriter, SafeWriter
from seed.columns import DUPLICATES_COLUMNS, LINKS_COLUMNS, REMAINS_COLUMNS, REPORT_COLUMNS
from seed.config import SeedConfig
from seed.dna import (
    DNA_LINK_COLUMNS,
    DNA_REFERENCE_COLUMNS,
    GENOTYPE_COLUMNS,
    SAMPLE_COLUMNS,
    dna_links,
    dna_references,
    generate_dna_samples,
)
from seed.generator import duplicate_pairs, generate_remains_records, generate_reports, remains_links

REPORTS_FILE = "reports.csv"
REMAINS_FILE = "remains.csv"
DUPLICATES_FILE = "duplicates.csv"
LINKS_FILE = "links.csv"


@dataclass(frozen=True, slots=True)
class DatasetFiles:
    """Where a written dataset's files are, and how many rows each holds."""

    reports: Path
    remains: Path
    duplicates: Path
    links: Path
    report_rows: int
    remains_rows: int
    duplicate_rows: int
    link_rows: int


def write_rows(path: Path, columns: Sequence[str], rows: Iterable[dict[str, str]]) -> int:
    """Write dict rows (extra keys ignored) as an RFC 4180 CSV; returns how many were written."""
    count = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = SafeDictWriter(handle, fieldnames=list(columns), extrasaction="ignore", lineterminator="\r\n")
        writer.writeheader()
        for row in rows:
            writer.writerow(row)
            count += 1
    return count


def write_tuples(path: Path, columns: Sequence[str], rows: Iterable[Sequence[str]]) -> int:
    """Write tuple rows under a header as an RFC 4180 CSV; returns how many were written."""
    count = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = SafeWriter(handle, lineterminator="\r\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow(row)
            count += 1
    return count


def _write_remains_and_links(config: SeedConfig, remains: Path, links: Path) -> tuple[int, int]:
    remains_rows = link_rows = 0
    with (
        remains.open("w", encoding="utf-8", newline="") as remains_handle,
        links.open("w", encoding="utf-8", newline="") as links_handle,
    ):
        remains_writer = SafeDictWriter(
            remains_handle, fieldnames=list(REMAINS_COLUMNS), extrasaction="ignore", lineterminator="\r\n"
        )
        links_writer = SafeWriter(links_handle, lineterminator="\r\n")
        remains_writer.writeheader()
        links_writer.writerow(LINKS_COLUMNS)
        for record in generate_remains_records(config):
            remains_writer.writerow(record.row)
            remains_rows += 1
            for source, folio in record.links:
                links_writer.writerow((record.row["source"], record.row["folio"], source, folio))
                link_rows += 1
    return remains_rows, link_rows


def write_dataset(config: SeedConfig, directory: Path, *, parallel: bool = True) -> DatasetFiles:
    """Write reports.csv, remains.csv, duplicates.csv and links.csv into a directory.

    With `parallel`, remains and links are written by a second process while this one writes
    the reports: the two halves share nothing, so the bytes are the same either way.
    """
    directory.mkdir(parents=True, exist_ok=True)
    reports, remains = directory / REPORTS_FILE, directory / REMAINS_FILE
    duplicates, links = directory / DUPLICATES_FILE, directory / LINKS_FILE
    if parallel:
        with ProcessPoolExecutor(max_workers=1) as pool:
            other_half = pool.submit(_write_remains_and_links, config, remains, links)
            report_rows = write_rows(reports, REPORT_COLUMNS, generate_reports(config))
            duplicate_rows = write_tuples(duplicates, DUPLICATES_COLUMNS, duplicate_pairs(config))
            remains_rows, link_rows = other_half.result()
    else:
        report_rows = write_rows(reports, REPORT_COLUMNS, generate_reports(config))
        duplicate_rows = write_tuples(duplicates, DUPLICATES_COLUMNS, duplicate_pairs(config))
        remains_rows, link_rows = _write_remains_and_links(config, remains, links)
    return DatasetFiles(reports, remains, duplicates, links, report_rows, remains_rows, duplicate_rows, link_rows)


def write_truth(config: SeedConfig, directory: Path) -> tuple[int, int]:
    """Write only the ground truth (duplicates.csv, links.csv): how `registry evaluate` scores matching."""
    directory.mkdir(parents=True, exist_ok=True)
    duplicate_rows = write_tuples(directory / DUPLICATES_FILE, DUPLICATES_COLUMNS, duplicate_pairs(config))
    link_rows = write_tuples(directory / LINKS_FILE, LINKS_COLUMNS, remains_links(config))
    return duplicate_rows, link_rows


DNA_SAMPLES_FILE = "dna_samples.csv"
DNA_GENOTYPES_FILE = "dna_genotypes.csv"
DNA_LINKS_FILE = "dna_links.csv"
DNA_REFERENCES_FILE = "dna_references.csv"


@dataclass(frozen=True, slots=True)
class DnaFiles:
    """Where the DNA interchange files of a dataset are (shared/spec/dna.md), and their row counts."""

    samples: Path
    genotypes: Path
    sample_rows: int
    genotype_rows: int


def write_dna(config: SeedConfig, directory: Path) -> DnaFiles:
    """Write dna_samples.csv and dna_genotypes.csv (`registry dna import`'s two files) into a directory."""
    directory.mkdir(parents=True, exist_ok=True)
    samples, genotypes = directory / DNA_SAMPLES_FILE, directory / DNA_GENOTYPES_FILE
    sample_rows = genotype_rows = 0
    with (
        samples.open("w", encoding="utf-8", newline="") as samples_handle,
        genotypes.open("w", encoding="utf-8", newline="") as genotypes_handle,
    ):
        samples_writer = SafeDictWriter(samples_handle, fieldnames=list(SAMPLE_COLUMNS), lineterminator="\r\n")
        genotypes_writer = SafeWriter(genotypes_handle, lineterminator="\r\n")
        samples_writer.writeheader()
        genotypes_writer.writerow(GENOTYPE_COLUMNS)
        for sample in generate_dna_samples(config):
            samples_writer.writerow(sample.row)
            sample_rows += 1
            for marker, allele_1, allele_2 in sample.genotypes:
                genotypes_writer.writerow((sample.row["sample_id"], sample.row["lab"], marker, allele_1, allele_2))
                genotype_rows += 1
    return DnaFiles(samples, genotypes, sample_rows, genotype_rows)


def write_dna_truth(config: SeedConfig, directory: Path) -> tuple[int, int]:
    """Write the DNA truth: dna_links.csv (true remains → report pairs DNA can find, with the references
    given) and dna_references.csv (every missing person with references, and the family unit)."""
    directory.mkdir(parents=True, exist_ok=True)
    links = write_tuples(directory / DNA_LINKS_FILE, DNA_LINK_COLUMNS, dna_links(config))
    references = write_tuples(directory / DNA_REFERENCES_FILE, DNA_REFERENCE_COLUMNS, dna_references(config))
    return links, references
