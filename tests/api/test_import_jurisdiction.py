"""A clerk's import reaches only the clerk's own registry, however the file is written (issue #12, item 1).

Each file below once let a Jalisco clerk overwrite a Nuevo León report through the upload
endpoint: the check read the file differently from the importer. Now every row's registry is
checked by the import service as the row is written; another registry's row is rejected with its
reason, and the record it names is untouched.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from api.cli.main import app as cli
from registry.actor import SYSTEM
from registry.db import transaction
from registry.models import MissingPersonReport, RecordVersion, Role
from registry.record_types import REPORTS
from registry.schemas.reports import ReportCreate
from registry.services import records as records_service
from tests.builders import report_payload

HEADER = ["source", "folio", "given_names", "first_surname", "sex", "last_seen_date", "last_seen_state", "curp"]
NLE_FOLIO = "NLE-2021-777"


def _row(source: str, folio: str, given: str = "Intruso") -> list[str]:
    return [source, folio, given, "Falso", "male", "2021-01-01", source, ""]


def _csv(header: list[str], rows: list[list[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


@pytest.fixture
def nle_report(sessions: sessionmaker[Session]) -> None:
    payload = report_payload(source="NLE", folio=NLE_FOLIO, last_seen_state="NLE", contact_phone="8112345678")
    with transaction(sessions) as session:
        records_service.create_record(
            session=session, rtype=REPORTS, data=ReportCreate.model_validate(payload), actor=SYSTEM
        )


def _nle_untouched(sessions: sessionmaker[Session]) -> None:
    with sessions() as session:
        report = session.scalars(select(MissingPersonReport).where(MissingPersonReport.folio == NLE_FOLIO)).one()
        versions = session.scalars(select(RecordVersion).where(RecordVersion.record_id == report.id)).all()
    assert (report.given_names, report.contact_phone, report.version) == ("María Guadalupe", "8112345678", 1)
    assert len(versions) == 1


def _jal_clerk(client_as: Callable[..., TestClient]) -> TestClient:
    return client_as(Role.clerk, "JAL")


FILES = {
    "leading space in the first column's name": _csv([" " + HEADER[0], *HEADER[1:]], [_row("NLE", NLE_FOLIO)]),
    "double byte-order mark": "\ufeff\ufeff" + _csv(HEADER, [_row("NLE", NLE_FOLIO)]),
    "foreign row after a 128 KB field": _csv(
        HEADER, [_row("JAL", "JAL-BIG", given="x" * 140_000), _row("NLE", NLE_FOLIO)]
    ),
    "lower-case source": _csv(HEADER, [_row("nle", NLE_FOLIO)]),
}


@pytest.mark.usefixtures("nle_report")
@pytest.mark.parametrize("text", FILES.values(), ids=FILES.keys())
def test_a_foreign_row_is_rejected_and_its_record_untouched(
    client_as: Callable[..., TestClient], sessions: sessionmaker[Session], text: str
) -> None:
    response = _jal_clerk(client_as).post(
        "/api/v1/imports/missing", files={"file": ("nle.csv", text.encode("utf-8"), "text/csv")}
    )
    assert response.status_code in (200, 422), response.text
    if response.status_code == 200:
        body = response.json()
        assert body["updated"] == 0
        foreign = [r for r in body["rejects"] if "not NLE" in r["error"]]
        assert foreign, body["rejects"]
        assert foreign[0]["error"].startswith("source:")
    _nle_untouched(sessions)


@pytest.mark.usefixtures("nle_report")
def test_an_undecodable_line_after_a_batch_stores_no_foreign_row(
    client_as: Callable[..., TestClient], sessions: sessionmaker[Session]
) -> None:
    """A bad byte after the first batch rejects its line only; no batch stores a foreign row."""
    # The bad byte lies well past the first batch (2,000 rows), beyond the sample the encoding is found on.
    rows = [_row("NLE", f"NLE-NEW-{i}") for i in range(2_000)] + [_row("JAL", f"JAL-{i}", "José") for i in range(400)]
    data = _csv(HEADER, rows).encode("utf-8") + b"JAL,JAL-BAD,\xff\xfe,x,male,2021-01-01,JAL,\n"
    response = _jal_clerk(client_as).post("/api/v1/imports/missing", files={"file": ("nle.csv", data, "text/csv")})
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["created"], body["foreign"], body["rejected"]) == (400, 2_000, 2_001)
    assert body["reading"]["encoding"] == "UTF-8"
    bad = [r for r in body["rejects"] if r["line"] == 2_402]
    assert bad[0]["error"].startswith("line 2402: byte 0xFF cannot be read as UTF-8")
    with sessions() as session:
        stored = session.scalars(select(MissingPersonReport.folio).where(MissingPersonReport.source == "NLE")).all()
    assert stored == [NLE_FOLIO]
    _nle_untouched(sessions)


@pytest.mark.usefixtures("nle_report")
def test_own_rows_of_a_mixed_file_are_imported(client_as: Callable[..., TestClient]) -> None:
    text = _csv(HEADER, [_row("JAL", "JAL-1"), _row("NLE", NLE_FOLIO), _row("JAL", "JAL-2")])
    response = _jal_clerk(client_as).post(
        "/api/v1/imports/missing", files={"file": ("mixed.csv", text.encode(), "text/csv")}
    )
    body = response.json()
    assert (body["created"], body["rejected"]) == (2, 1)
    assert body["rejects"][0]["line"] == 3
    assert body["rejects"][0]["error"] == "source: you may file reports for JAL only, not NLE"


@pytest.mark.usefixtures("nle_report")
def test_the_cli_imports_as_a_named_account_within_its_jurisdiction(
    registry_cli: CliRunner, make_user: Callable[..., object], sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    clerk = make_user(Role.clerk, "JAL")
    source = tmp_path / "nle.csv"
    source.write_text(_csv(HEADER, [_row("NLE", NLE_FOLIO), _row("JAL", "JAL-CLI-1")]), encoding="utf-8")
    rejects = tmp_path / "rejects.csv"
    result = registry_cli.invoke(
        cli,
        ["import", str(source), "--kind", "missing", "--user", clerk.username, "--rejects", str(rejects)],  # type: ignore[attr-defined]
    )
    assert result.exit_code == 0, result.output
    assert "created 1" in result.output
    assert "not NLE" in rejects.read_text(encoding="utf-8")
    _nle_untouched(sessions)


def test_the_cli_import_says_who_imports(registry_cli: CliRunner, tmp_path: Path) -> None:
    source = tmp_path / "any.csv"
    source.write_text(_csv(HEADER, [_row("JAL", "JAL-1")]), encoding="utf-8")
    result = registry_cli.invoke(cli, ["import", str(source), "--kind", "missing"])
    assert result.exit_code == 2
    assert "--user" in result.output
    assert "--national" in result.output
