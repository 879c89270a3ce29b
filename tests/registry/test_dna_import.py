"""Importing DNA samples and genotypes (shared/spec/dna.md) through the service the CLI, the API and the seed use."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from matching.dna.markers import build_profile
from registry.actor import SYSTEM, Actor
from registry.db import transaction
from registry.errors import Forbidden
from registry.models import AuditEvent, DnaGenotype, DnaSample, DnaSampleVersion
from registry.repositories import dna as repo
from registry.services.dna_families import profile_of
from registry.services.dna_import import DnaFile, DnaHeaderError, DnaRow, import_dna
from tests.dna_builders import add_remains, add_report, family_case

GENETICIST_JAL = Actor(id="geneticist-1", role="geneticist", jurisdiction="JAL", via="cli")


def _import(sessions: sessionmaker[Session], samples, genotypes, actor: Actor = SYSTEM):  # type: ignore[no-untyped-def]
    with transaction(sessions) as session:
        return import_dna(session=session, samples=samples, genotypes=genotypes, actor=actor)


def test_a_family_and_remains_are_stored_with_versions_and_one_audit_event(sessions: sessionmaker[Session]) -> None:
    case = family_case(sessions, seed=1)
    summary = _import(sessions, case.samples, case.genotypes)
    assert (summary.created, summary.rejected, summary.genotypes_rejected) == (3, 0, 0)
    assert summary.genotypes_stored == len(case.genotypes)
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(DnaSample)) == 3
        assert session.scalar(select(func.count()).select_from(DnaGenotype)) == len(case.genotypes)
        versions = session.scalars(select(DnaSampleVersion)).all()
        assert {(v.version, v.change_kind) for v in versions} == {(1, "created")}
        events = session.scalars(select(AuditEvent).where(AuditEvent.action == "dna.import")).all()
        assert [e.detail["created"] for e in events] == [3]  # type: ignore[index]


def test_reimporting_is_harmless_and_a_change_is_a_new_version(sessions: sessionmaker[Session]) -> None:
    case = family_case(sessions, seed=2)
    _import(sessions, case.samples, case.genotypes)
    again = _import(sessions, case.samples, case.genotypes)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    first = case.genotypes[0]
    changed = [{**first, "allele_1": "99", "allele_2": ""}]
    samples = [{**case.samples[0], "degraded": "true"}]
    result = _import(sessions, samples, changed)
    assert (result.created, result.updated) == (0, 1)
    with sessions() as session:
        sample = session.scalar(select(DnaSample).where(DnaSample.sample_id == first["sample_id"]))
        assert sample is not None
        assert sample.version == 2
        assert sample.degraded
        # The re-typed sample holds exactly the genotypes of this import.
        genotypes = session.scalars(select(DnaGenotype).where(DnaGenotype.sample_pk == sample.id)).all()
        assert [(g.marker, g.allele_1, g.allele_2) for g in genotypes] == [(first["marker"], "99", None)]
        latest = session.scalar(select(DnaSampleVersion).where(DnaSampleVersion.version == 2))
        assert latest is not None
        assert latest.changes["degraded"] == [False, True]
        assert f"marker:{first['marker']}" in latest.changes


def test_rejects_name_file_line_column_and_value(sessions: sessionmaker[Session]) -> None:
    with transaction(sessions) as session:
        add_report(session, "JAL", "JAL-R-1")
        add_remains(session, "JAL", "SEMEFO-1")
    samples = [
        {"lab": "L", "sample_id": "S1", "kind": "reference", "record_source": "JAL", "record_folio": "JAL-R-1",
         "relationship": "uncle", "donor_id": "D1"},
        {"lab": "L", "sample_id": "S2", "kind": "remains", "record_source": "JAL", "record_folio": "NOPE"},
        {"lab": "L", "sample_id": "S3", "kind": "remains", "record_source": "JAL", "record_folio": "SEMEFO-1",
         "collected_date": "10/06/2022"},
        {"lab": "L", "sample_id": "S4", "kind": "remains", "record_source": "JAL", "record_folio": "SEMEFO-1"},
    ]  # fmt: skip
    genotypes = [
        {"sample_id": "S4", "lab": "L", "marker": "TH01", "allele_1": "9.3", "allele_2": "abc"},
        {"sample_id": "S4", "lab": "L", "marker": "THO1", "allele_1": "9.3", "allele_2": ""},
        {"sample_id": "S4", "lab": "L", "marker": "TH01", "allele_1": "6", "allele_2": "7"},
        {"sample_id": "S1", "lab": "L", "marker": "FGA", "allele_1": "20", "allele_2": "22"},
        {"sample_id": "S9", "lab": "L", "marker": "FGA", "allele_1": "20", "allele_2": "22"},
    ]
    summary = _import(sessions, samples, genotypes)
    found = {(r.file, r.line, r.column, r.value) for r in summary.rejects}
    assert found == {
        (DnaFile.samples, 2, "relationship", "uncle"),
        (DnaFile.samples, 3, "record_folio", "NOPE"),
        (DnaFile.samples, 4, "collected_date", "10/06/2022"),
        (DnaFile.genotypes, 2, "allele_2", "abc"),
        (DnaFile.genotypes, 4, "marker", "TH01"),  # THO1 is TH01: given twice with other alleles
        (DnaFile.genotypes, 5, "sample_id", "S1"),  # its sample's row was rejected
        (DnaFile.genotypes, 6, "sample_id", "S9"),
    }
    assert all(r.error.startswith(f"{r.column}: ") for r in summary.rejects)
    assert summary.created == 1
    with sessions() as session:
        stored = session.scalars(select(DnaGenotype)).all()
        assert [(g.marker, g.allele_1, g.allele_2) for g in stored] == [("TH01", "9.3", None)]


def test_an_unknown_column_is_an_error_naming_it(sessions: sessionmaker[Session]) -> None:
    with pytest.raises(DnaHeaderError, match="'colour'"):
        _import(sessions, [{"lab": "L", "sample_id": "S", "kind": "remains", "record_source": "JAL",
                            "record_folio": "F", "colour": "x"}], [])  # fmt: skip
    with pytest.raises(DnaHeaderError, match="'allele_1'"):
        _import(sessions, [], [DnaRow(2, {"sample_id": "S", "lab": "L", "marker": "FGA"})])


def test_a_geneticist_submits_for_their_registry_only(sessions: sessionmaker[Session]) -> None:
    own = family_case(sessions, seed=3, source="JAL")
    foreign = family_case(sessions, seed=4, source="SIN")
    summary = _import(sessions, own.samples + foreign.samples, own.genotypes + foreign.genotypes, GENETICIST_JAL)
    assert summary.created == len(own.samples)
    assert summary.foreign == len(foreign.samples)
    assert {r.column for r in summary.rejects if r.file is DnaFile.samples} == {"record_source"}
    investigator = Actor(id="inv", role="investigator", jurisdiction=None, via="cli")
    with pytest.raises(Forbidden):
        _import(sessions, own.samples, [], investigator)


MARKER_SPELLINGS = {
    "TH01": ["TH01", "THO1", "th01 "],
    "vWA": ["vWA", "VWA"],
    "Penta E": ["Penta E", "PENTA E", "PentaE"],
    "FGA": ["FGA", "FIBRA"],
    "D2S1338": ["D2S1338", "D2S1338 "],
}
ALLELES = st.sampled_from(["6", "7", "8", "9", "9.3", "10", "11", "12", "13.2", "22", "OL", ">27"])
_serial = itertools.count()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    typings=st.dictionaries(
        st.sampled_from(sorted(MARKER_SPELLINGS)),
        st.tuples(st.integers(0, 2), ALLELES, st.one_of(st.just(""), ALLELES)),
        min_size=1,
    ),
    degraded=st.booleans(),
)
def test_a_stored_profile_reads_back_as_the_labs_rows_and_reimports_unchanged(
    sessions: sessionmaker[Session], typings: dict[str, tuple[int, str, str]], degraded: bool
) -> None:
    serial = next(_serial)
    with transaction(sessions) as session:
        add_remains(session, "JAL", f"SEMEFO-P-{serial}")
    sample = {"lab": "L", "sample_id": f"P-{serial}", "kind": "remains", "record_source": "JAL",
              "record_folio": f"SEMEFO-P-{serial}", "degraded": "true" if degraded else ""}  # fmt: skip
    rows = [
        {"sample_id": f"P-{serial}", "lab": "L", "allele_1": first, "allele_2": second,
         "marker": MARKER_SPELLINGS[marker][spelling % len(MARKER_SPELLINGS[marker])]}
        for marker, (spelling, first, second) in typings.items()
    ]  # fmt: skip
    first = _import(sessions, [sample], rows)
    assert (first.created, first.genotypes_stored, first.rejects) == (1, len(rows), [])
    expected = build_profile(((r["marker"], r["allele_1"], r["allele_2"] or None) for r in rows), degraded=degraded)
    with sessions() as session:
        stored = session.scalar(select(DnaSample).where(DnaSample.sample_id == f"P-{serial}"))
        assert stored is not None
        genotypes = repo.genotypes_of(session, [stored.id])[stored.id]
        assert profile_of(stored, genotypes) == expected
    again = _import(sessions, [sample], rows)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)
