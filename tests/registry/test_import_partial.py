"""A re-import changes only what the file says (issue #12, item 2).

A clerk re-imported one row to fix a given name, and the report lost its relative's phone number,
its clothing and its vulnerability flags, and went back from located_alive to missing. Now an
import updates only the columns present in the file (an empty cell in a present column clears that
field), and a status change through an import follows the status endpoint's rules.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from api.importing import RejectsWriter, run_import
from registry.actor import SYSTEM, Actor
from registry.db import transaction
from registry.interchange import FORMATS, stored_field_of
from registry.models import StatusEvent
from registry.record_types import REMAINS, REPORTS, RecordType
from registry.schemas.common import StatusChange
from registry.services import records as records_service
from registry.services.imports import ImportSummary
from registry.services.records import current_values
from tests.builders import remains_payload, report_payload, valid_curp_for

IMPORTER = Actor(id="import:fix.csv", role="system", jurisdiction=None, via="cli")
MARKS = [{"kind": "tattoo", "body_part": "antebrazo", "side": "right", "description": "rosa"}]


def _full_report() -> dict[str, Any]:
    payload = report_payload(
        aliases=["Lupe"], age_years=30, last_seen_municipality="Zapopan", marks=MARKS, clothing="playera roja",
        complexion="delgada", skin_tone="morena", hair="negro corto", eye_colour="cafe", weight_kg=60,
        nationality="mexicana", birth_state="JAL", indigenous_group="wixárika", indigenous_language="wixárika",
        vulnerability=["migrant"], publication_consent=True, circumstances="salió hacia el trabajo",
        investigation_file_number="CI-123-2021", contact_name="Ana Pérez", contact_phone="3312345678",
        contact_email="contacto@example.org", contact_relationship="hermana",
    )  # fmt: skip
    payload["curp"] = valid_curp_for(payload)
    return payload


def _full_remains() -> dict[str, Any]:
    return remains_payload(
        marks=MARKS, given_names="Juan", first_surname="Pérez", second_surname="López",
        forensic_service="SEMEFO Guadalajara", storage_location="Cámara 3", grave_reference="Fosa 12",
        intake_date="2022-06-11",
    )  # fmt: skip


FULL = {REPORTS.kind: _full_report, REMAINS.kind: _full_remains}
# The column a re-import corrects, and the corrected value.
CORRECTION = {REPORTS.kind: ("given_names", "María Lupita"), REMAINS.kind: ("given_names", "Juana")}


def _create(sessions: sessionmaker[Session], rtype: RecordType, *, status: str | None = None) -> dict[str, Any]:
    with transaction(sessions) as session:
        saved = records_service.create_record(
            session=session, rtype=rtype, data=rtype.create_schema.model_validate(FULL[rtype.kind]()), actor=SYSTEM
        )
        record_id = saved.record.id
        if status is not None:
            records_service.change_status(
                session=session, rtype=rtype, record_id=record_id,
                change=StatusChange(status=status, date=date(2023, 1, 5), note=None), expected_version=1,
                actor=SYSTEM,
            )  # fmt: skip
    return _values(sessions, rtype, record_id)


def _values(sessions: sessionmaker[Session], rtype: RecordType, record_id: Any) -> dict[str, Any]:
    with sessions() as session:
        record = records_service.get_record(session=session, rtype=rtype, record_id=record_id)
        return {"id": record.id, "version": record.version, **current_values(rtype, record)}


def _import(
    sessions: sessionmaker[Session], rtype: RecordType, cells: dict[str, str]
) -> tuple[ImportSummary, list[dict[str, str]]]:
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=list(cells), lineterminator="\n")
    writer.writeheader()
    writer.writerow(cells)
    rejects = io.StringIO()
    summary = run_import(
        sessions=sessions, rtype=rtype, handle=io.StringIO(text.getvalue(), newline=""), actor=IMPORTER,
        batch_size=100, rejects=lambda header: RejectsWriter(rejects, header), allow_extra=True,
    )  # fmt: skip
    return summary, list(csv.DictReader(io.StringIO(rejects.getvalue())))


def _required_cells(rtype: RecordType, stored: dict[str, Any]) -> dict[str, str]:
    return {name: str(stored[name]) for name in FORMATS[rtype.kind].required}


def _fields(rtype: RecordType) -> list[Any]:
    return [pytest.param(rtype, name, id=f"{rtype.kind.value}.{name}") for name in rtype.stored_fields]


@pytest.mark.parametrize(("rtype", "field"), [*_fields(REPORTS), *_fields(REMAINS)])
def test_a_field_the_file_does_not_mention_is_kept(
    sessions: sessionmaker[Session], rtype: RecordType, field: str
) -> None:
    before = _create(sessions, rtype, status="located_alive" if rtype is REPORTS else None)
    column, corrected = CORRECTION[rtype.kind]
    cells = {**_required_cells(rtype, before), column: corrected}

    summary, rejects = _import(sessions, rtype, cells)

    assert (summary.updated, rejects) == (1, [])
    after = _values(sessions, rtype, before["id"])
    assert after[column] == corrected
    if field not in cells:
        assert after[field] == before[field], f"{field} changed although the file has no such column"


def _optional_columns(rtype: RecordType) -> list[Any]:
    fmt = FORMATS[rtype.kind]
    return [
        pytest.param(rtype, column, id=f"{rtype.kind.value}.{column}")
        for column in (*fmt.columns, *fmt.extra_columns)
        if column not in fmt.required and column != "status"
    ]


@pytest.mark.parametrize(("rtype", "column"), [*_optional_columns(REPORTS), *_optional_columns(REMAINS)])
def test_an_empty_cell_in_a_present_column_clears_the_field(
    sessions: sessionmaker[Session], rtype: RecordType, column: str
) -> None:
    before = _create(sessions, rtype)
    name = stored_field_of(column)
    assert before[name] not in (None, [], False), f"the full {rtype.label} should know {name}"
    cells = {**_required_cells(rtype, before), column: ""}
    if column in ("given_names", "first_surname", "second_surname"):
        cells.update({other: str(before[other]) for other in ("given_names", "first_surname") if other != column})

    summary, rejects = _import(sessions, rtype, cells)

    assert (summary.updated, rejects) == (1, [])
    after = _values(sessions, rtype, before["id"])
    assert after[name] in (None, [], False)
    assert all(after[other] == before[other] for other in rtype.stored_fields if other not in {name, *cells})


def test_an_empty_status_cell_leaves_the_status_alone(sessions: sessionmaker[Session]) -> None:
    before = _create(sessions, REPORTS, status="located_alive")
    cells = {**_required_cells(REPORTS, before), "given_names": "María Lupita", "status": ""}

    summary, _ = _import(sessions, REPORTS, cells)

    assert summary.updated == 1
    assert _values(sessions, REPORTS, before["id"])["status"] == "located_alive"


@pytest.mark.parametrize(("rtype", "located"), [(REPORTS, "located_alive"), (REMAINS, "identified")])
def test_an_import_cannot_set_a_record_back_to_its_first_status(
    sessions: sessionmaker[Session], rtype: RecordType, located: str
) -> None:
    before = _create(sessions, rtype, status=located)
    cells = {**_required_cells(rtype, before), "status": rtype.initial_status}

    summary, rejects = _import(sessions, rtype, cells)

    assert (summary.updated, summary.rejected) == (0, 1)
    assert rejects[0]["error"].startswith(f"status: the {rtype.label} is {located}")
    assert _values(sessions, rtype, before["id"]) == before


def test_a_status_change_by_import_is_a_dated_event(sessions: sessionmaker[Session]) -> None:
    before = _create(sessions, REPORTS)
    cells = {**_required_cells(REPORTS, before), "status": "located_dead"}

    summary, _ = _import(sessions, REPORTS, cells)

    assert summary.updated == 1
    with sessions() as session:
        events = session.scalars(
            select(StatusEvent).where(StatusEvent.record_id == before["id"]).order_by(StatusEvent.record_version)
        ).all()
    assert [(e.from_status, e.to_status) for e in events] == [(None, "missing"), ("missing", "located_dead")]
    assert events[-1].effective_date is not None
    after = _values(sessions, REPORTS, before["id"])
    assert (after["status"], after["contact_phone"]) == ("located_dead", before["contact_phone"])


def test_a_present_column_must_agree_with_what_is_stored(sessions: sessionmaker[Session]) -> None:
    """The merged record is validated whole: a new last-seen date before the stored birth date is refused."""
    before = _create(sessions, REPORTS)
    cells = {**_required_cells(REPORTS, before), "last_seen_date": "1980-01-01"}

    summary, rejects = _import(sessions, REPORTS, cells)

    assert summary.rejected == 1
    assert rejects[0]["error"].startswith("date_of_birth:")
    assert _values(sessions, REPORTS, before["id"]) == before
