"""`registry seed --dna`: STR samples of remains and references as shared/spec/dna.md writes them,
deterministic, in the documented proportions, Mendelian, and with a truth DNA can be scored on."""

from __future__ import annotations

import csv
import math
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from api.cli.main import app
from matching.dna.markers import Profile, build_profile
from matching.dna.pedigree import Family, Reference, Relationship, kinship_lr
from matching.dna.simulate import Configuration
from registry.db import build_engine, session_factory
from registry.models.dna import DnaGenotype, DnaSample, DnaSampleVersion
from seed.config import SeedConfig
from seed.dna import (
    CONFIGURATION_SHARES,
    GLOBALFILER,
    IDENTIFILER,
    KITS,
    generate_dna_samples,
    iter_reported_units,
)
from seed.dna_evaluation import ReferenceConfiguration, configuration_of
from seed.files import write_dataset, write_dna, write_dna_truth, write_truth
from seed.loader import load

CONFIG = SeedConfig(reports=1500, remains=500, seed=14)
SAMPLE_HEADER = [
    "lab", "sample_id", "kind", "record_source", "record_folio", "relationship", "donor_id", "child_donor_id",
    "kit", "collected_date", "degraded",
]  # fmt: skip
GENOTYPE_HEADER = ["sample_id", "lab", "marker", "allele_1", "allele_2"]
RELATIONSHIPS = {r.value for r in Relationship} - {"direct"}


@dataclass(frozen=True)
class Written:
    directory: Path
    samples: list[dict[str, str]]
    genotypes: dict[tuple[str, str], list[tuple[str, str, str]]]
    sample_header: list[str]
    genotype_header: list[str]
    links: list[dict[str, str]]
    references: list[dict[str, str]]

    def profile(self, sample: dict[str, str]) -> Profile:
        return build_profile(
            self.genotypes[(sample["lab"], sample["sample_id"])], degraded=sample["degraded"] == "true"
        )


def _read(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> Written:
    directory = tmp_path_factory.mktemp("dna")
    write_dataset(CONFIG, directory, parallel=False)
    write_dna(CONFIG, directory)
    write_dna_truth(CONFIG, directory)
    sample_header, samples = _read(directory / "dna_samples.csv")
    genotype_header, genotype_rows = _read(directory / "dna_genotypes.csv")
    genotypes: dict[tuple[str, str], list[tuple[str, str, str]]] = defaultdict(list)
    for row in genotype_rows:
        genotypes[(row["lab"], row["sample_id"])].append((row["marker"], row["allele_1"], row["allele_2"]))
    _, links = _read(directory / "dna_links.csv")
    _, references = _read(directory / "dna_references.csv")
    return Written(directory, samples, genotypes, sample_header, genotype_header, links, references)


def _families(written: Written) -> dict[tuple[str, str], Family]:
    references: dict[tuple[str, str], list[Reference]] = defaultdict(list)
    for s in written.samples:
        if s["kind"] == "remains":
            continue
        relationship = Relationship.DIRECT if s["kind"] == "direct" else Relationship(s["relationship"])
        references[(s["record_source"], s["record_folio"])].append(
            Reference(relationship, written.profile(s), s["donor_id"], s["child_donor_id"] or None)
        )
    return {k: Family(tuple(v)) for k, v in references.items()}


def test_the_same_seed_writes_the_same_bytes_and_another_seed_other_ones(tmp_path: Path) -> None:
    small = SeedConfig(reports=300, remains=80, seed=1)
    write_dna(small, tmp_path / "one")
    write_dna(small, tmp_path / "again")
    write_dna(SeedConfig(reports=300, remains=80, seed=2), tmp_path / "two")
    for name in ("dna_samples.csv", "dna_genotypes.csv"):
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "again" / name).read_bytes()
        assert (tmp_path / "one" / name).read_bytes() != (tmp_path / "two" / name).read_bytes()


def test_adding_dna_changes_no_report_and_no_remains(tmp_path: Path) -> None:
    """DNA draws on streams of its own: the records of a seed are the same with or without it."""
    small = SeedConfig(reports=300, remains=80, seed=1)
    write_dataset(small, tmp_path / "records", parallel=False)
    result = CliRunner().invoke(
        app, ["seed", "--reports", "300", "--remains", "80", "--seed", "1", "--dna", "--csv", str(tmp_path / "both")]
    )
    assert result.exit_code == 0, result.output
    for name in ("reports.csv", "remains.csv"):
        assert (tmp_path / "both" / name).read_bytes() == (tmp_path / "records" / name).read_bytes()


def test_files_have_exactly_the_specified_columns_and_valid_rows(written: Written) -> None:
    assert written.sample_header == SAMPLE_HEADER
    assert written.genotype_header == GENOTYPE_HEADER
    _, reports = _read(written.directory / "reports.csv")
    _, remains = _read(written.directory / "remains.csv")
    report_keys = {(r["source"], r["folio"]) for r in reports}
    remains_keys = {(r["source"], r["folio"]) for r in remains}
    keys = [(s["lab"], s["sample_id"]) for s in written.samples]
    assert len(keys) == len(set(keys)), "(lab, sample_id) identifies a sample"
    child_donors = {s["donor_id"] for s in written.samples if s["relationship"] == "child"}
    for s in written.samples:
        assert s["lab"]
        assert 1 <= len(s["sample_id"]) <= 64
        assert s["kit"] in KITS
        assert s["degraded"] in ("", "true")
        assert s["collected_date"] <= CONFIG.today.isoformat()
        record = (s["record_source"], s["record_folio"])
        match s["kind"]:
            case "remains":
                assert record in remains_keys
                assert not s["relationship"]
                assert not s["donor_id"]
            case "reference":
                assert record in report_keys
                assert s["relationship"] in RELATIONSHIPS
                assert s["donor_id"]
                if s["relationship"] == "child_other_parent":
                    assert s["child_donor_id"] in child_donors
            case "direct":
                assert record in report_keys
            case other:
                pytest.fail(f"unknown kind {other}")
    assert set(written.genotypes) == set(keys), "every sample has genotypes and every genotype a sample"


def test_each_sample_is_typed_on_its_kit_and_amelogenin_gives_its_sex(written: Written) -> None:
    for s in written.samples:
        markers = [m for m, _, _ in written.genotypes[(s["lab"], s["sample_id"])]]
        assert markers[0] == "AMEL"
        loci = markers[1:]
        assert set(loci) <= set(KITS[s["kit"]])
        if s["degraded"] != "true":
            assert loci == list(KITS[s["kit"]])
        assert written.profile(s).sex is not None
    kits = Counter(s["kit"] for s in written.samples)
    assert kits["Identifiler"]
    assert kits["GlobalFiler"]
    assert len(IDENTIFILER) == 15
    assert len(GLOBALFILER) == 21
    assert set(IDENTIFILER) < set(GLOBALFILER)


def test_configurations_come_in_the_documented_proportions() -> None:
    """Per family unit: one parent the most common, every configuration present, shares as documented
    (a minor's family gives one parent where it would have given a child: it only moves shares that way)."""
    config = SeedConfig(reports=3000, remains=0, seed=5)
    drawn = Counter(reported.dna.configuration for reported in iter_reported_units(config))
    units = sum(drawn.values())
    for configuration, share in CONFIGURATION_SHARES:
        observed = drawn[configuration] / units
        slack = 4 * math.sqrt(share * (1 - share) / units) + 0.005
        if configuration in (Configuration.ONE_PARENT, Configuration.CHILD_AND_OTHER_PARENT):
            slack += 0.04  # the minors' fallback
        assert abs(observed - share) <= slack, (configuration, observed, share)
    assert drawn.most_common(1)[0][0] is Configuration.ONE_PARENT


def test_written_references_match_their_configuration_and_a_donor_serves_two_missing_siblings(
    written: Written,
) -> None:
    labels = Counter(configuration_of(r["references"]) for r in written.references)
    for configuration in (
        ReferenceConfiguration.ONE_PARENT,
        ReferenceConfiguration.BOTH_PARENTS,
        ReferenceConfiguration.PARENT_AND_SIBLING,
        ReferenceConfiguration.ONE_SIBLING,
        ReferenceConfiguration.DIRECT,
        ReferenceConfiguration.CHILD_AND_OTHER_PARENT,
    ):
        assert labels[configuration] > 0, configuration
    assert ReferenceConfiguration.OTHER not in labels
    by_donor: dict[str, set[tuple[str, str]]] = defaultdict(set)
    genotypes_of_donor: dict[str, set[tuple[tuple[str, str, str], ...]]] = defaultdict(set)
    for s in written.samples:
        if s["donor_id"]:
            by_donor[s["donor_id"]].add((s["record_source"], s["record_folio"]))
            genotypes_of_donor[s["donor_id"]].add(tuple(written.genotypes[(s["lab"], s["sample_id"])]))
    assert any(len(records) >= 2 for records in by_donor.values()), "a donor is the reference of two missing persons"
    assert all(len(g) == 1 for g in genotypes_of_donor.values()), "one donor, one profile"


def _shares_an_allele(a: tuple[str, str], b: tuple[str, str]) -> bool:
    return bool(set(a) & set(b))


def test_parents_and_children_are_mendelian_but_for_rare_mutations(written: Written) -> None:
    """Every locus of a mother's or father's reference shares an allele with the true remains of their
    missing child, but for mutations (rates 0.002 / 0.0005 per meiosis): never more than two loci."""
    families = _families(written)
    remains = {(s["record_source"], s["record_folio"]): s for s in written.samples if s["kind"] == "remains"}
    compared = inconsistent = 0
    for link in written.links:
        sample = remains[(link["remains_source"], link["remains_folio"])]
        if sample["degraded"] == "true":
            continue
        body = written.profile(sample)
        for reference in families[(link["missing_source"], link["missing_folio"])].references:
            if reference.relationship in (Relationship.FATHER, Relationship.MOTHER, Relationship.CHILD):
                shared = set(body.loci) & set(reference.profile.loci)
                misses = sum(not _shares_an_allele(body.loci[x], reference.profile.loci[x]) for x in shared)
                assert misses <= 2
                compared += len(shared)
                inconsistent += misses
    assert compared > 1000
    assert inconsistent / compared < 0.005


def test_the_truth_pairs_are_the_remains_of_the_missing_person_the_references_belong_to(written: Written) -> None:
    """True pairs of remains with both parents or a direct sample have strong LRs; none is excluded
    outright; every DNA truth pair is also a pair of the matching truth (links.csv)."""
    write_truth(CONFIG, written.directory)
    _, matching_links = _read(written.directory / "links.csv")
    linked = {
        (r["remains_source"], r["remains_folio"], r["missing_source"], r["missing_folio"]) for r in matching_links
    }
    families = _families(written)
    remains = {(s["record_source"], s["record_folio"]): s for s in written.samples if s["kind"] == "remains"}
    assert written.links
    strong = total = 0
    for link in written.links:
        assert (link["remains_source"], link["remains_folio"], link["missing_source"], link["missing_folio"]) in linked
        family = families[(link["missing_source"], link["missing_folio"])]
        sample = remains[(link["remains_source"], link["remains_folio"])]
        if configuration_of(link["references"]) in (ReferenceConfiguration.DIRECT, ReferenceConfiguration.BOTH_PARENTS):
            result = kinship_lr(written.profile(sample), family)
            assert result.log10_lr > 0
            total += 1
            strong += result.log10_lr >= 4
    assert total >= 10
    assert strong / total >= 0.9


def test_some_remains_are_degraded_with_loci_lost_and_some_belong_to_nobody_searched_for(written: Written) -> None:
    remains = [s for s in written.samples if s["kind"] == "remains"]
    degraded = [s for s in remains if s["degraded"] == "true"]
    assert 0.15 <= len(degraded) / len(remains) <= 0.6
    lost = sum(len(KITS[s["kit"]]) - len(written.profile(s).loci) for s in degraded)
    typed = sum(len(KITS[s["kit"]]) for s in degraded)
    assert 0.15 <= lost / typed <= 0.4
    truth = {(link["remains_source"], link["remains_folio"]) for link in written.links}
    assert len(truth) < len(remains), "remains of people nobody searches for, or whose family gave nothing"
    assert len(remains) <= CONFIG.remains_count


def test_cli_writes_the_dna_files_and_truth_with_the_csv_output(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app,
        ["seed", "--reports", "120", "--remains", "40", "--seed", "3", "--dna",
         "--csv", str(tmp_path / "out"), "--truth", str(tmp_path / "truth")],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    for name in ("dna_samples.csv", "dna_genotypes.csv"):
        assert (tmp_path / "out" / name).stat().st_size > 0
    header, _ = _read(tmp_path / "truth" / "dna_links.csv")
    assert header == ["remains_source", "remains_folio", "missing_source", "missing_folio", "references"]
    assert (tmp_path / "truth" / "dna_references.csv").exists()


def test_loading_a_sandbox_with_dna_stores_every_sample_and_genotype(sessions: sessionmaker[Session]) -> None:
    """`registry seed --dna` (and `registry demo`) load the samples through the registry's DNA import:
    every generated sample is stored against its record, with its genotypes and a first version."""
    config = SeedConfig(reports=200, remains=60, seed=4)
    generated = list(generate_dna_samples(config))
    summary = load(sessions=sessions, config=config, batch_size=50, dna=True)
    assert summary.dna is not None
    assert (summary.dna.created, summary.dna.rejected) == (len(generated), 0)
    assert summary.dna.genotypes_stored == sum(len(s.genotypes) for s in generated)
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(DnaSample)) == len(generated)
        assert session.scalar(select(func.count()).select_from(DnaGenotype)) == summary.dna.genotypes_stored
        assert session.scalar(select(func.count()).select_from(DnaSampleVersion)) == len(generated)
        kinds = Counter(session.scalars(select(DnaSample.kind)).all())
    assert {k.value for k in kinds} == {s.row["kind"] for s in generated}


def test_the_demo_sandbox_has_dna_to_teach_with(tmp_path: Path) -> None:
    path = tmp_path / "demo.sqlite3"
    result = CliRunner().invoke(app, ["demo", "--no-serve", "--reports", "150", "--seed", "3", "--path", str(path)])
    assert result.exit_code == 0, result.output
    engine = build_engine(f"sqlite:///{path}")
    try:
        with session_factory(engine)() as session:
            kinds = Counter(k.value for k in session.scalars(select(DnaSample.kind)).all())
    finally:
        engine.dispose()
    assert kinds["remains"] > 0
    assert kinds["reference"] > 0
