"""A dry run (`?dry_run=true`, `registry import --dry-run`) reports what the import would do and writes nothing."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select
from typer.testing import CliRunner

from api.cli.main import app as cli
from registry.models import AuditEvent, MissingPersonReport, RecordVersion, Role, StatusEvent
from tests.registry.test_import import cli_env  # noqa: F401 (a fixture)
from tests.registry.test_mappings import EXPORT, MAPPING
from tests.registry.test_spanish_exports import SPANISH_HEADER, spanish_csv, spanish_row, write_workbook


def _content(engine: Engine) -> tuple[int, int, int, list[str]]:
    with engine.connect() as conn:
        counts = [conn.execute(select(func.count()).select_from(m)).scalar_one() for m in (MissingPersonReport,
                  RecordVersion, StatusEvent)]  # fmt: skip
        actions = conn.execute(select(AuditEvent.action).order_by(AuditEvent.id)).scalars().all()
    return counts[0], counts[1], counts[2], list(actions)


def _counts(body: dict[str, Any]) -> tuple[int, int, int, int]:
    return body["created"], body["updated"], body["unchanged"], body["rejected"]


def _upload(client: TestClient, data: bytes, name: str = "excel.csv", **params: Any) -> dict[str, Any]:
    response = client.post("/api/v1/imports/missing", params=params, files={"file": (name, data, "text/csv")})
    assert response.status_code == 200, response.text
    return response.json()


def test_a_dry_run_reports_what_the_import_would_do_and_writes_nothing(
    client_as: Callable[..., TestClient], engine: Engine
) -> None:
    clerk = client_as(Role.clerk, "JAL")
    first = spanish_csv([spanish_row("JAL-1"), spanish_row("JAL-2"), spanish_row("JAL-3", Sexo="X")])
    _upload(clerk, first.encode("cp1252"))
    before = _content(engine)
    # Against what is stored: one unchanged, one corrected, one new twice in the file (created, then
    # updated by its second row), one of another registry, one bad date.
    rows = [
        spanish_row("JAL-1"),
        spanish_row("JAL-2", **{"Estatura (cm)": "170"}),
        spanish_row("JAL-4"),
        spanish_row("JAL-4", Municipio="Tonalá"),
        spanish_row("NLE-1", Registro="Nuevo León"),
        spanish_row("JAL-5", **{"Fecha de desaparición": "31/02/2021"}),
    ]
    data = spanish_csv(rows).encode("cp1252")

    dry = _upload(clerk, data, dry_run="true")

    assert dry["dry_run"] is True
    assert _counts(dry) == (1, 2, 1, 2)
    assert dry["foreign"] == 1
    assert dry["reading"]["encoding"] == "Windows-1252"
    assert dry["reading"]["separator"] == ";"
    assert dry["reading"]["columns"]["Fecha de desaparición"] == "last_seen_date"
    assert [r["line"] for r in dry["rejects"]] == [6, 7]
    assert dry["rejects"][1]["error"].startswith("Fecha de desaparición:")
    after = _content(engine)
    assert after[:3] == before[:3], "no record, version or status event written"
    assert after[3] == [*before[3], "import.dry_run"], "one audit event says it ran; no batch event"

    real = _upload(clerk, data)
    assert _counts(real) == _counts(dry)
    assert real["dry_run"] is False


def test_a_workbook_and_a_mapping_file_upload_like_the_cli(
    client_as: Callable[..., TestClient], engine: Engine, tmp_path: Path
) -> None:
    clerk = client_as(Role.clerk, "JAL")
    path = tmp_path / "registro.xlsx"
    write_workbook(path, SPANISH_HEADER, [spanish_row("JAL-1"), spanish_row("JAL-2")])

    body = clerk.post(
        "/api/v1/imports/missing", params={"sheet": "Hoja1"}, files={"file": ("r.xlsx", path.read_bytes())}
    ).json()
    assert (body["created"], body["reading"]["format"], body["reading"]["sheet"]) == (2, "xlsx", "Hoja1")

    files = {"file": ("export.csv", EXPORT.encode()), "mapping": ("jalisco.toml", MAPPING.encode())}
    mapped = clerk.post("/api/v1/imports/missing", files=files).json()
    assert (mapped["created"], mapped["rejected"], mapped["reading"]["mapping"]) == (2, 1, "jalisco.toml")

    files = {"file": ("export.csv", EXPORT.encode()), "mapping": ("bad.toml", b"colums = 1")}
    refused = clerk.post("/api/v1/imports/missing", files=files)
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "mapping"
    assert "unknown entry 'colums'" in refused.json()["errors"][0]["message"]


def test_the_cli_dry_run_writes_nothing_and_lists_the_first_rejects(
    cli_env: CliRunner,  # noqa: F811
    engine: Engine,
    tmp_path: Path,
) -> None:
    path = tmp_path / "excel.csv"
    path.write_bytes(spanish_csv([spanish_row("JAL-1"), spanish_row("JAL-2", Entidad="Jalsco")]).encode("cp1252"))

    result = cli_env.invoke(cli, ["import", str(path), "--kind", "missing", "--national", "--dry-run"])

    assert result.exit_code == 0, result.output
    assert "dry run, nothing written: would be created 1" in result.stdout
    assert "line 3: Entidad: 'JALSCO' is not a state code" in result.stdout
    assert "read as: CSV, Windows-1252, semicolon-separated" in result.stdout
    counts = _content(engine)
    assert counts[:3] == (0, 0, 0)
    assert counts[3] == ["import.dry_run"]
