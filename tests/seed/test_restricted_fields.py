"""Seeded reports carry restricted fields (contact, carpeta, circumstances) that look real and
can reach nobody, pass the registry's validation, and are hidden from other states' clerks."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from matching.states import FEDERAL_SOURCE
from matching.text import fold
from registry.interchange import CsvRow
from registry.models import MissingPersonReport, Role
from registry.record_types import REPORTS
from registry.services.imports import validate_batch
from seed.config import SeedConfig
from seed.contacts import FICTITIOUS_PHONE
from seed.loader import load
from tests.seed.conftest import Sample

RESERVED_DOMAINS = {"example.com", "example.org"}  # RFC 2606


def _share(sample: Sample, column: str) -> float:
    return sum(bool(r.row[column]) for r in sample.reports) / len(sample.reports)


def test_restricted_fields_are_filled_at_the_documented_rates(sample: Sample) -> None:
    assert abs(_share(sample, "contact_name") - 0.90) < 0.03
    assert abs(_share(sample, "contact_phone") - 0.90 * 0.85) < 0.03
    assert abs(_share(sample, "contact_email") - 0.90 * 0.25) < 0.03
    assert abs(_share(sample, "circumstances") - 0.75) < 0.03
    assert 0.5 < _share(sample, "investigation_file_number") < 0.8
    named = [r.row for r in sample.reports if r.row["contact_name"]]
    assert all(row["contact_relationship"] for row in named)
    relationships = Counter(row["contact_relationship"] for row in named)
    assert relationships.most_common(1)[0][0] == "madre"
    assert relationships["esposa"] > relationships["esposo"]


def test_phones_are_ten_digits_that_no_mexican_numbering_plan_assigns(sample: Sample) -> None:
    phones = [r.row["contact_phone"] for r in sample.reports if r.row["contact_phone"]]
    assert phones
    assert all(FICTITIOUS_PHONE.fullmatch(p) and len(p) == 10 for p in phones)
    assert not any(p[0] in "23456789" for p in phones)  # the first digit of every real number


def test_emails_are_only_at_reserved_domains(sample: Sample) -> None:
    emails = [r.row["contact_email"] for r in sample.reports if r.row["contact_email"]]
    assert emails
    assert all(re.fullmatch(r"[a-z0-9._]+@[a-z.]+", e) for e in emails)
    assert {e.rsplit("@", 1)[1] for e in emails} == RESERVED_DOMAINS


def test_relatives_carry_the_surnames_their_relationship_implies(sample: Sample) -> None:
    checked = Counter[str]()
    for record in sample.reports:
        row, person = record.row, sample.persons[record.person_id]
        first, second = fold(person.names.first_surname), fold(person.names.second_surname)
        contact = f" {fold(row['contact_name'])} "
        relationship = row["contact_relationship"]
        if relationship == "madre" and second:
            assert f" {second} " in contact, (row["contact_name"], person.names)
            checked[relationship] += 1
        elif relationship == "padre" and second:
            assert f" {first} " in contact, (row["contact_name"], person.names)
            checked[relationship] += 1
        elif relationship in ("hermana", "hermano"):
            assert contact.endswith(f" {first} {second} ".replace("  ", " ")), (row["contact_name"], person.names)
            checked[relationship] += 1
    assert min(checked.values()) > 20, checked


def test_a_mother_who_files_twice_gives_the_same_name_and_number(sample: Sample) -> None:
    by_person: dict[str, set[tuple[str, str]]] = {}
    for record in sample.reports:
        if record.row["contact_relationship"] == "madre" and record.row["contact_phone"]:
            name = fold(record.row["contact_name"])
            by_person.setdefault(record.person_id, set()).add((name, record.row["contact_phone"]))
    assert by_person
    assert all(len(mothers) == 1 for mothers in by_person.values())


def test_carpetas_name_the_filing_registry_and_circumstances_the_report_s_day(sample: Sample) -> None:
    months = ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre",
              "noviembre", "diciembre")  # fmt: skip
    for record in sample.reports:
        row = record.row
        carpeta = row["investigation_file_number"]
        if carpeta:
            assert len(carpeta) <= 100
            expected = "FED/FGR/" if row["source"] == FEDERAL_SOURCE else f"/{row['source']}/"
            assert expected in carpeta, (carpeta, row["source"])
        if row["circumstances"]:
            seen = row["last_seen_date"]
            day = f"{int(seen[8:])} de {months[int(seen[5:7]) - 1]} de {seen[:4]}"
            assert day in row["circumstances"].lower(), (row["circumstances"], seen)


def test_every_seeded_report_passes_the_registry_s_validation(sample: Sample) -> None:
    rows = [CsvRow(line, record.row) for line, record in enumerate(sample.reports, start=2)]
    batch = validate_batch(rtype=REPORTS, rows=rows)
    assert batch.rejects == []


def test_a_seeded_report_s_contact_is_seen_by_its_state_and_not_by_another(
    sessions: sessionmaker[Session], client_as: Callable[..., TestClient]
) -> None:
    load(sessions=sessions, config=SeedConfig(reports=40, remains=5, seed=11), batch_size=50)
    with sessions() as session:
        report = session.scalars(
            select(MissingPersonReport)
            .where(MissingPersonReport.contact_name.is_not(None), MissingPersonReport.source != FEDERAL_SOURCE)
            .limit(1)
        ).one()
        record_id, source, contact = report.id, report.source, report.contact_name
    other = "SIN" if source != "SIN" else "JAL"
    own_state = client_as(Role.clerk, source).get(f"/api/v1/reports/{record_id}")
    other_state = client_as(Role.clerk, other).get(f"/api/v1/reports/{record_id}")
    assert own_state.status_code == other_state.status_code == 200
    assert own_state.json()["contact_name"] == contact
    assert "contact_name" not in other_state.json()
    assert "circumstances" not in other_state.json()
