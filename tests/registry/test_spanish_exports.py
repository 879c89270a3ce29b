"""State exports as they really are (docs/interchange.md, "Spanish exports"): Excel's encodings and
separators, Spanish headers and values, workbooks with date cells, and rejects a clerk can act on.
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from api.cli.main import app as cli
from api.importing import RejectsWriter, run_import
from registry.interchange import HeaderError
from registry.models import MissingPersonReport, UnidentifiedRemains
from registry.record_types import REMAINS, REPORTS, RecordType
from registry.services.imports import ImportSummary
from tests.registry.test_import import IMPORTER, cli_env, stored  # noqa: F401 (cli_env is a fixture)

SPANISH_HEADER = [
    "Registro", "Folio", "Nombre(s)", "Primer apellido", "Segundo apellido", "Sexo", "Fecha de nacimiento",
    "Fecha de desaparición", "Entidad", "Municipio", "Estatura (cm)", "Señas particulares", "Estatus",
]  # fmt: skip


def spanish_row(folio: str, **values: str) -> list[str]:
    row = {
        "Registro": "Jalisco", "Folio": folio, "Nombre(s)": "María José", "Primer apellido": "Peña",
        "Segundo apellido": "Núñez", "Sexo": "Mujer", "Fecha de nacimiento": "17/05/1990",
        "Fecha de desaparición": "02/03/2021", "Entidad": "Jalisco", "Municipio": "Zapopan",
        "Estatura (cm)": "158", "Señas particulares": "tatuaje de rosa", "Estatus": "Desaparecida",
    }  # fmt: skip
    row.update(values)
    return [row[name] for name in SPANISH_HEADER]


def spanish_csv(rows: list[list[str]], *, separator: str = ";", header: list[str] | None = None) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=separator, lineterminator="\r\n")
    writer.writerow(header or SPANISH_HEADER)
    writer.writerows(rows)
    return out.getvalue()


def run_bytes(
    sessions: sessionmaker[Session], data: bytes, *, rtype: RecordType = REPORTS, **options: Any
) -> tuple[ImportSummary, list[dict[str, str]]]:
    rejects = io.StringIO()
    summary = run_import(
        sessions=sessions, rtype=rtype, handle=io.BytesIO(data), actor=IMPORTER, batch_size=2000,
        rejects=lambda header: RejectsWriter(rejects, header), **options,
    )  # fmt: skip
    return summary, list(csv.DictReader(io.StringIO(rejects.getvalue(), newline="")))


# --- encodings and separators --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("encoding", "label"),
    [("utf-8", "UTF-8"), ("utf-8-sig", "UTF-8 with BOM"), ("cp1252", "Windows-1252"), ("latin-1", "Windows-1252")],
)
@pytest.mark.parametrize("separator", [";", ",", "\t"], ids=["semicolon", "comma", "tab"])
def test_an_excel_csv_in_any_allowed_encoding_and_separator_imports_with_its_accents(
    sessions: sessionmaker[Session], engine: Engine, encoding: str, label: str, separator: str
) -> None:
    text = spanish_csv([spanish_row("JAL-1"), spanish_row("JAL-2", **{"Nombre(s)": "Ñandú"})], separator=separator)

    summary, rejects = run_bytes(sessions, text.encode(encoding))

    assert (summary.created, rejects) == (2, [])
    assert summary.reading is not None
    # Latin-1 and Windows-1252 write these letters with the same bytes: either name is right.
    assert summary.reading.encoding == label
    assert summary.reading.separator == separator
    records = stored(engine)
    assert (records["JAL-1"]["given_names"], records["JAL-1"]["first_surname"]) == ("María José", "Peña")
    assert records["JAL-2"]["given_names"] == "Ñandú"


def test_latin1_bytes_that_windows1252_lacks_are_read_as_latin1(
    sessions: sessionmaker[Session], engine: Engine
) -> None:
    # 0x81 and 0x8D are undefined in Windows-1252: only Latin-1 reads such a file whole.
    data = spanish_csv([spanish_row("JAL-1", **{"Señas particulares": "marca \x81\x8d en brazo"})]).encode("latin-1")

    summary, rejects = run_bytes(sessions, data)

    assert (summary.created, rejects) == (1, [])
    assert summary.reading is not None
    assert summary.reading.encoding == "Latin-1"


def test_an_undecodable_byte_rejects_its_line_only_naming_the_encoding(sessions: sessionmaker[Session]) -> None:
    good = spanish_csv([spanish_row(f"JAL-{i}") for i in range(5)]).encode("utf-8")
    bad = spanish_csv([spanish_row("JAL-BAD", **{"Nombre(s)": "José"})]).split("\r\n", 1)[1].encode("cp1252")
    tail = spanish_csv([spanish_row("JAL-LAST")]).split("\r\n", 1)[1].encode("utf-8")

    summary, rejects = run_bytes(sessions, good + bad + tail)

    assert (summary.created, summary.rejected) == (6, 1)
    assert rejects[0]["line"] == "7"
    assert rejects[0]["error"].startswith("line 7: byte 0xE9 cannot be read as UTF-8 (the encoding assumed")
    assert rejects[0]["Folio"] == "JAL-BAD", "the rejects file keeps the Spanish headers"


# --- headers -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "variant",
    [
        {"Nombre(s)": "NOMBRES", "Estatura (cm)": "Estatura", "Fecha de desaparición": "fecha de desaparicion"},
        {"Nombre(s)": "  nombre ", "Estatura (cm)": "ESTATURA [CM]", "Primer apellido": "Apellido Paterno"},
        {"Fecha de desaparición": "Fecha en que se le vio por última vez", "Entidad": "Entidad de desaparición"},
        {"Fecha de desaparición": "Fecha de último avistamiento", "Entidad": "Estado", "Registro": "Fuente"},
        {"Segundo apellido": "Apellido materno", "Municipio": "Municipio de desaparición", "Estatus": "Situación"},
    ],
)
def test_spanish_headers_are_matched_without_regard_to_case_accents_spaces_or_unit(
    sessions: sessionmaker[Session], engine: Engine, variant: dict[str, str]
) -> None:
    header = [variant.get(name, name) for name in SPANISH_HEADER]

    summary, rejects = run_bytes(sessions, spanish_csv([spanish_row("JAL-1")], header=header).encode())

    assert (summary.created, rejects) == (1, [])
    record = stored(engine)["JAL-1"]
    assert (record["height_cm"], record["last_seen_date"], record["second_surname"]) == (158, date(2021, 3, 2), "Núñez")
    assert summary.reading is not None
    assert {summary.reading.columns[name.strip()] for name in variant.values()} <= {
        "given_names", "height_cm", "last_seen_date", "first_surname", "last_seen_state", "source",
        "second_surname", "last_seen_municipality", "status",
    }  # fmt: skip


def test_a_spanish_header_the_registry_does_not_know_refuses_the_file_naming_it(
    sessions: sessionmaker[Session],
) -> None:
    header = [name if name != "Municipio" else "Colonia" for name in SPANISH_HEADER]
    with pytest.raises(HeaderError, match=r"'Colonia'.*--mapping FILE"):
        run_bytes(sessions, spanish_csv([spanish_row("JAL-1")], header=header).encode())


def test_two_headers_for_one_column_are_refused_naming_both(sessions: sessionmaker[Session]) -> None:
    header = [*SPANISH_HEADER, "Nombres"]
    with pytest.raises(HeaderError, match="'Nombre\\(s\\)' and 'Nombres' \\(both given_names\\)"):
        run_bytes(sessions, spanish_csv([[*spanish_row("JAL-1"), "Ana"]], header=header).encode())


# --- values --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("column", "written", "field", "value"),
    [
        ("Sexo", "Hombre", "sex", "male"),
        ("Sexo", "MUJER", "sex", "female"),
        ("Sexo", "Masculino", "sex", "male"),
        ("Sexo", "femenino", "sex", "female"),
        ("Sexo", "Se desconoce", "sex", "unknown"),
        ("Sexo", "H", "sex", "male"),
        ("Sexo", "M", "sex", "female"),
        ("Fecha de desaparición", "15/11/2021", "last_seen_date", date(2021, 11, 15)),
        ("Fecha de desaparición", "5/3/2021", "last_seen_date", date(2021, 3, 5)),
        ("Fecha de desaparición", "05-03-2021", "last_seen_date", date(2021, 3, 5)),
        ("Fecha de desaparición", "2021-03-05", "last_seen_date", date(2021, 3, 5)),
        ("Entidad", "Nuevo Leon", "last_seen_state", "NLE"),
        ("Entidad", "Ciudad de México", "last_seen_state", "CMX"),
        ("Entidad", "CDMX", "last_seen_state", "CMX"),
        ("Entidad", "Estado de México", "last_seen_state", "MEX"),
        ("Entidad", "Veracruz", "last_seen_state", "VER"),
        ("Entidad", "michoacan", "last_seen_state", "MIC"),
        ("Entidad", "Coahuila", "last_seen_state", "COA"),
        ("Entidad", "SLP", "last_seen_state", "SLP"),
        ("Estatus", "No localizada", "status", "missing"),
        ("Estatus", "Localizada con vida", "status", "located_alive"),
        ("Estatus", "Localizado sin vida", "status", "located_dead"),
        ("Municipio", "Sin dato", "last_seen_municipality", None),
        ("Municipio", "N/D", "last_seen_municipality", None),
        ("Estatura (cm)", "S/D", "height_cm", None),
        ("Fecha de nacimiento", "No especificado", "date_of_birth", None),
    ],
)
def test_spanish_values_are_read_as_codes(
    sessions: sessionmaker[Session], engine: Engine, column: str, written: str, field: str, value: Any
) -> None:
    summary, rejects = run_bytes(sessions, spanish_csv([spanish_row("JAL-1", **{column: written})]).encode())

    assert (summary.created, rejects) == (1, [])
    stored_value = stored(engine)["JAL-1"][field]
    assert (stored_value.value if hasattr(stored_value, "value") else stored_value) == value


def test_remains_statuses_and_headers_are_read(sessions: sessionmaker[Session], engine: Engine) -> None:
    header = ["Registro", "Folio", "Fecha de hallazgo", "Entidad de hallazgo", "Municipio de hallazgo", "Sexo",
              "Edad mínima", "Edad máxima", "Estatura mínima (cm)", "Estatura máxima (cm)", "Estatus"]  # fmt: skip
    rows = [
        [
            "Jalisco",
            "R-1",
            "10/06/2022",
            "Jalisco",
            "Tlaquepaque",
            "Hombre",
            "20",
            "30",
            "160",
            "170",
            "Sin identificar",
        ],
        ["Jalisco", "R-2", "11/06/2022", "Nayarit", "Sin dato", "Se desconoce", "", "", "", "", "Identificada"],
    ]

    summary, rejects = run_bytes(sessions, spanish_csv(rows, header=header).encode("cp1252"), rtype=REMAINS)

    assert (summary.created, rejects) == (2, [])
    records = stored(engine, UnidentifiedRemains)
    assert (records["R-1"]["found_state"], records["R-1"]["age_max"], records["R-1"]["height_min_cm"]) == (
        "JAL",
        30,
        160,
    )
    assert (records["R-2"]["found_state"], records["R-2"]["found_municipality"]) == ("NAY", None)
    assert records["R-2"]["status"].value == "identified"


def test_an_unknown_value_is_rejected_naming_the_header_as_written_the_value_and_what_to_write(
    sessions: sessionmaker[Session], engine: Engine
) -> None:
    rows = [
        spanish_row("JAL-1", Entidad="Jalsco"),  # line 2
        spanish_row("JAL-2", **{"Fecha de desaparición": "31/02/2021"}),  # line 3
        spanish_row("JAL-3", Sexo="X"),  # line 4
        spanish_row("JAL-4", **{"Fecha de desaparición": "marzo 2021"}),  # line 5
        spanish_row("JAL-5", Estatus="En búsqueda"),  # line 6
        spanish_row("JAL-6", Entidad="jalisco"),  # line 7: accepted, read as JAL
    ]

    summary, rejects = run_bytes(sessions, spanish_csv(rows).encode())

    assert (summary.created, summary.rejected) == (1, 5)
    assert stored(engine)["JAL-6"]["last_seen_state"] == "JAL"
    errors = {r["line"]: r["error"] for r in rejects}
    assert errors["2"].startswith("Entidad: 'JALSCO' is not a state code")
    assert errors["2"].endswith("use a state code such as JAL, or the state's name (Jalisco)")
    assert errors["3"].startswith("Fecha de desaparición: ")
    assert "'31/02/2021'" in errors["3"]
    assert errors["3"].endswith("use DD/MM/YYYY or YYYY-MM-DD")
    assert errors["4"].startswith("Sexo: ")
    assert "'X'" in errors["4"]
    assert "Mujer, Hombre or Se desconoce" in errors["4"]
    assert "'marzo 2021'" in errors["5"]
    assert errors["5"].endswith("use DD/MM/YYYY or YYYY-MM-DD")
    assert errors["6"].startswith("Estatus: ")
    assert "'En búsqueda'" in errors["6"]
    assert {r["Folio"] for r in rejects} == {"JAL-1", "JAL-2", "JAL-3", "JAL-4", "JAL-5"}
    assert rejects[0]["Entidad"] == "Jalsco", "the rejects file holds the cells as written"


def test_an_interchange_file_still_rejects_h_and_m_as_ambiguous(sessions: sessionmaker[Session]) -> None:
    text = "source,folio,given_names,sex,last_seen_date,last_seen_state\nJAL,F-1,Ana,M,2021-03-02,JAL\n"
    summary, rejects = run_bytes(sessions, text.encode())
    assert summary.rejected == 1
    assert rejects[0]["error"].startswith("sex: 'M' is ambiguous")


# --- workbooks -----------------------------------------------------------------------------------


def write_workbook(path: Path, header: list[str], rows: list[list[Any]], *, sheet: str = "Hoja1") -> None:
    book = Workbook()
    first = book.active
    assert first is not None
    first.title = "Portada"
    first.append(["Registro estatal de personas desaparecidas"])
    worksheet = book.create_sheet(sheet)
    worksheet.append(header)
    for row in rows:
        worksheet.append(row)
    book.save(path)


def test_a_workbook_with_date_cells_and_numbers_imports_naming_spreadsheet_rows(
    sessions: sessionmaker[Session], engine: Engine, tmp_path: Path
) -> None:
    rows: list[list[Any]] = [
        ["Jalisco", 1001, "Ana", "Peña", "", "Mujer", datetime(1990, 5, 17), datetime(2021, 3, 2), "Jalisco", "", 158.0,
         "", ""],
        ["Jalisco", 1002, "Luis", "Soto", "", "Hombre", None, date(2021, 4, 1), "JAL", "", 171, "", "Desaparecido"],
        [None] * 13,  # an empty row: skipped, but counted in the numbering
        ["Jalisco", 1003, "Eva", "Luna", "", "Mujer", None, "31/02/2021", "Jalisco", "", 160, "", ""],
    ]  # fmt: skip
    path = tmp_path / "registro.xlsx"
    write_workbook(path, SPANISH_HEADER, rows)

    with path.open("rb") as handle:
        summary, rejects = run_bytes(sessions, handle.read(), sheet="Hoja1")

    assert (summary.created, summary.rejected) == (2, 1)
    assert summary.reading is not None
    assert (summary.reading.format, summary.reading.sheet) == ("xlsx", "Hoja1")
    records = stored(engine)
    assert records["1001"]["date_of_birth"] == date(1990, 5, 17)
    assert (records["1001"]["last_seen_date"], records["1001"]["height_cm"]) == (date(2021, 3, 2), 158)
    assert records["1002"]["last_seen_date"] == date(2021, 4, 1)
    assert rejects[0]["line"] == "5", "the spreadsheet's own row number"
    assert rejects[0]["error"].startswith("Fecha de desaparición:")


def test_the_cli_imports_a_workbook_by_sheet_and_says_how_it_read_it(
    cli_env: CliRunner,  # noqa: F811
    engine: Engine,
    tmp_path: Path,
) -> None:
    path = tmp_path / "registro.xlsx"
    write_workbook(path, SPANISH_HEADER, [spanish_row("JAL-1"), spanish_row("JAL-2", Sexo="Hombre")])

    missing = cli_env.invoke(cli, ["import", str(path), "--kind", "missing", "--national", "--sheet", "Otra"])
    assert missing.exit_code == 2
    assert "no sheet 'Otra'" in missing.stderr

    result = cli_env.invoke(cli, ["import", str(path), "--kind", "missing", "--national", "--sheet", "Hoja1"])
    assert result.exit_code == 0, result.output
    assert "read as: XLSX, sheet 'Hoja1', built-in Spanish headers and values" in result.stdout
    assert "column 'Nombre(s)' read as given_names" in result.stdout
    assert "created 2, updated 0, unchanged 0, rejected 0" in result.stdout
    assert len(stored(engine, MissingPersonReport)) == 2


def test_the_cli_reads_a_windows_1252_semicolon_csv(cli_env: CliRunner, engine: Engine, tmp_path: Path) -> None:  # noqa: F811
    path = tmp_path / "excel.csv"
    path.write_bytes(spanish_csv([spanish_row("JAL-1"), spanish_row("JAL-2")]).encode("cp1252"))

    result = cli_env.invoke(cli, ["import", str(path), "--kind", "missing", "--national", "--no-review"])

    assert result.exit_code == 0, result.output
    assert "read as: CSV, Windows-1252, semicolon-separated" in result.stdout
    assert stored(engine)["JAL-1"]["first_surname"] == "Peña"
