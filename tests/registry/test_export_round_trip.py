"""`registry export`: a state takes its data back out, and importing the export changes nothing."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import Engine
from typer.testing import CliRunner

from api.cli.main import app as cli
from registry.models import Role, UnidentifiedRemains, User
from tests.registry.test_import import MIXED, REPORT_HEADER, cli_env, report_row, stored  # noqa: F401


def _import(runner: CliRunner, path: Path, kind: str = "missing") -> str:
    result = runner.invoke(cli, ["import", str(path), "--kind", kind, "--national", "--no-review"])
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.parametrize(("file_format", "lang"), [("csv", "en"), ("csv", "es"), ("xlsx", "en"), ("xlsx", "es")])
def test_export_then_import_changes_nothing(
    cli_env: CliRunner,  # noqa: F811
    engine: Engine,
    tmp_path: Path,
    file_format: str,
    lang: str,
) -> None:
    source = tmp_path / "in.csv"
    text = MIXED + report_row("F-9", given_names="=HYPERLINK(1)", last_seen_state="NLE")
    source.write_text(text + report_row("F-10", source="NLE", aliases="", date_of_birth=""), encoding="utf-8")
    _import(cli_env, source)
    located = tmp_path / "located.csv"
    located.write_text(
        "source,folio,given_names,sex,last_seen_date,last_seen_state,status\n"
        "VER,V-1,Ana,female,2021-01-02,VER,located_alive\n",
        encoding="utf-8",
    )
    _import(cli_env, located)
    remains = tmp_path / "remains.csv"
    remains.write_text(
        "source,folio,found_date,found_state,sex,age_min,age_max,status\n"
        "JAL,R-1,2022-06-10,CMX,male,20,30,identified\nJAL,R-2,2022-06-11,VER,unknown,,,\n",
        encoding="utf-8",
    )
    _import(cli_env, remains, "remains")
    before = stored(engine), stored(engine, UnidentifiedRemains)

    assert {"F-9", "F-10", "V-1"} <= set(before[0])
    assert before[0]["V-1"]["status"].value == "located_alive"
    for kind, expected in (("missing", len(before[0])), ("remains", 2)):
        out = tmp_path / f"{kind}.{file_format}"
        exported = cli_env.invoke(
            cli, ["export", "--kind", kind, "--format", file_format, "--lang", lang, "--out", str(out), "--national"]
        )
        assert exported.exit_code == 0, exported.output
        assert f"wrote {expected} " in exported.stdout
        again = _import(cli_env, out, kind)
        assert f"created 0, updated 0, unchanged {expected}, rejected 0" in again

    assert (stored(engine), stored(engine, UnidentifiedRemains)) == before


def test_a_spanish_workbook_has_spanish_headers_words_and_date_cells(
    cli_env: CliRunner,  # noqa: F811
    engine: Engine,
    tmp_path: Path,
) -> None:
    source = tmp_path / "in.csv"
    source.write_text(REPORT_HEADER + report_row("F-1", given_names="=cmd|' /C calc'!A0"), encoding="utf-8")
    _import(cli_env, source)
    out = tmp_path / "jalisco.xlsx"

    result = cli_env.invoke(
        cli, ["export", "--kind", "missing", "--format", "xlsx", "--lang", "es", "--out", str(out), "--national"]
    )

    assert result.exit_code == 0, result.output
    sheet = load_workbook(out, read_only=True).worksheets[0]
    header, row = (list(values) for values in sheet.iter_rows(values_only=True))
    record = dict(zip(header, row, strict=True))
    assert (record["Registro"], record["Sexo"], record["Entidad"], record["Estatus"]) == (
        "Jalisco", "Mujer", "Jalisco", "Desaparecida",
    )  # fmt: skip
    assert record["Fecha de desaparición"].date().isoformat() == "2021-03-02"
    assert record["Nombre(s)"] == "'=cmd|' /C calc'!A0", "a formula is written as quoted text"


def test_an_account_exports_its_own_registry_only(
    cli_env: CliRunner,  # noqa: F811
    engine: Engine,
    tmp_path: Path,
    make_user: Callable[..., User],
) -> None:
    source = tmp_path / "in.csv"
    source.write_text(REPORT_HEADER + report_row("J-1") + report_row("N-1", source="NLE"), encoding="utf-8")
    _import(cli_env, source)
    clerk = make_user(Role.clerk, "JAL")
    admin = make_user(Role.administrator, None)
    out = tmp_path / "out.csv"

    mine = cli_env.invoke(cli, ["export", "--kind", "missing", "--out", str(out), "--user", clerk.username])
    assert mine.exit_code == 0, mine.output
    with out.open(encoding="utf-8", newline="") as handle:
        assert [row["folio"] for row in csv.DictReader(handle)] == ["J-1"]
    other = cli_env.invoke(
        cli, ["export", "--kind", "missing", "--out", str(out), "--user", clerk.username, "--source", "NLE"]
    )
    assert other.exit_code == 1
    assert "exports its own registry only" in other.stderr
    refused = cli_env.invoke(cli, ["export", "--kind", "missing", "--out", str(out), "--user", admin.username])
    assert refused.exit_code == 1
