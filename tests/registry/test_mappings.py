"""`--mapping FILE` for any other export, and `--print-mapping` as its starting point (docs/interchange.md)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from api.cli.main import app as cli
from registry.mappings import BUILT_IN, MappingError, load
from tests.registry.test_import import cli_env, stored  # noqa: F401 (cli_env is a fixture)
from tests.registry.test_spanish_exports import run_bytes

# A state that writes its own words: "Expediente" for the folio, "En búsqueda" for missing, dotted dates.
MAPPING = """
date_format = "%d.%m.%Y"
empty = ["Pendiente"]
ignore = ["Observaciones"]

[columns]
"Expediente" = "folio"
"Nombre completo de pila" = "given_names"
"Apellido 1" = "first_surname"
"Género" = "sex"
"Desaparición" = "last_seen_date"
"Lugar" = "last_seen_state"
"Situación actual" = "status"

[values.status]
"En búsqueda" = "missing"
"Hallada con vida" = "located_alive"

[values.states]
"Jal." = "JAL"
"""

EXPORT = (
    "Registro;Expediente;Nombre completo de pila;Apellido 1;Género;Desaparición;Lugar;Situación actual;Observaciones\n"
    "JAL;EXP-1;Ana;Peña;Mujer;02.03.2021;Jal.;En búsqueda;llamó la familia\n"
    "JAL;EXP-2;Luis;Soto;Hombre;05/04/2021;Jalisco;Hallada con vida;Pendiente\n"
    "JAL;EXP-3;Eva;Luna;Mujer;2021/04/05;Jal.;Pendiente;\n"
)


def test_a_mapping_file_reads_another_exports_headers_values_and_dates(
    sessions: sessionmaker[Session], engine: Engine
) -> None:
    mapping = load(MAPPING, name="jalisco.toml")

    summary, rejects = run_bytes(sessions, EXPORT.encode("cp1252"), mapping=mapping)

    assert (summary.created, summary.rejected) == (2, 1)
    records = stored(engine)
    assert (records["EXP-1"]["last_seen_date"].isoformat(), records["EXP-1"]["status"].value) == (
        "2021-03-02",
        "missing",
    )
    assert records["EXP-2"]["status"].value == "located_alive"
    assert summary.reading is not None
    assert summary.reading.mapping == "jalisco.toml"
    assert summary.reading.ignored == ("Observaciones",)
    assert rejects[0]["line"] == "4"
    assert rejects[0]["error"].startswith("Desaparición: ")
    assert "'2021/04/05'" in rejects[0]["error"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[columns\n", "is not valid TOML"),
        ('colums = {"a" = "b"}', "unknown entry 'colums'"),
        ('[columns]\n"Sexo" = 1', "columns must map text to text"),
        ('date_format = "%m/%Y"', "needs a day"),
    ],
)
def test_a_broken_mapping_is_refused_naming_its_entry(text: str, message: str) -> None:
    with pytest.raises(MappingError, match=message):
        load(text, name="m.toml")


def test_the_printed_mapping_reads_back_as_the_built_in_one(cli_env: CliRunner, tmp_path: Path) -> None:  # noqa: F811
    result = cli_env.invoke(cli, ["import", "--print-mapping"])

    assert result.exit_code == 0, result.output
    assert '"Fecha de desaparición" = "last_seen_date"' in result.stdout
    printed = load(result.stdout, name="printed.toml")
    assert dict(printed.columns) == dict(BUILT_IN.columns)
    assert {key: dict(table) for key, table in printed.values.items()} == {
        key: dict(table) for key, table in BUILT_IN.values.items()
    }


def test_the_cli_imports_with_a_mapping_file(cli_env: CliRunner, engine: Engine, tmp_path: Path) -> None:  # noqa: F811
    mapping, export = tmp_path / "jalisco.toml", tmp_path / "export.csv"
    mapping.write_text(MAPPING, encoding="utf-8")
    export.write_bytes(EXPORT.encode("utf-8"))

    refused = cli_env.invoke(cli, ["import", str(export), "--kind", "missing", "--national", "--no-review"])
    assert refused.exit_code == 2
    assert "'Expediente'" in refused.stderr

    result = cli_env.invoke(
        cli, ["import", str(export), "--kind", "missing", "--national", "--no-review", "--mapping", str(mapping)]
    )
    assert result.exit_code == 0, result.output
    assert "jalisco.toml headers and values" in result.stdout
    assert "created 2, updated 0, unchanged 0, rejected 1" in result.stdout
    assert set(stored(engine)) == {"EXP-1", "EXP-2"}
