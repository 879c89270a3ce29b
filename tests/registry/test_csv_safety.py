"""Every CSV the registry writes keeps a typed formula as text (issue #12, item 7).

A folio or a name typed as `=HYPERLINK(...)` came out of `registry review export` and the import
rejects file as a live formula in Excel. Such cells are now written with a leading quote (OWASP),
and the import takes the quote off again, so a rejects file fixed and imported gives the values back.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from api.cli.review import app as review_app
from api.importing import RejectsWriter, run_import
from registry.actor import Actor
from registry.csv_safety import FORMULA_STARTS, neutralise, restore
from registry.models import MissingPersonReport
from registry.record_types import REPORTS
from tests.builders import report_payload, valid_curp_for
from tests.registry.test_review_service import add

IMPORTER = Actor(id="import:test.csv", role="system", jurisdiction=None, via="cli")
FORMULA = '=HYPERLINK("http://example.org/x","ver")'


@given(st.text())
def test_a_neutralised_cell_is_never_a_formula_and_restores_to_itself(value: str) -> None:
    written = neutralise(value)
    assert not written.startswith(FORMULA_STARTS)
    assert restore(written) == value


def test_the_rejects_file_keeps_formulas_as_text(sessions: sessionmaker[Session]) -> None:
    header = "source,folio,given_names,first_surname,sex,last_seen_date,last_seen_state\n"
    row = f'JAL,"{FORMULA.replace(chr(34), chr(34) * 2)}",@Lupe,-Pérez,M,2021-03-02,JAL\n'
    rejects = io.StringIO()
    run_import(
        sessions=sessions,
        rtype=REPORTS, handle=io.StringIO(header + row, newline=""), actor=IMPORTER, batch_size=10,
        rejects=lambda columns: RejectsWriter(rejects, columns),
    )  # fmt: skip
    written = rejects.getvalue()
    cells = next(csv.DictReader(io.StringIO(written)))
    assert cells["folio"] == "'" + FORMULA
    assert (cells["given_names"], cells["first_surname"]) == ("'@Lupe", "'-Pérez")
    assert all(not value.startswith(FORMULA_STARTS) for value in cells.values())


def test_a_fixed_rejects_row_imports_with_its_original_values(sessions: sessionmaker[Session]) -> None:
    text = (
        "source,folio,given_names,first_surname,sex,last_seen_date,last_seen_state\n"
        + "JAL,'=F-1,'@Lupe,Pérez,female,2021-03-02,JAL\n"
    )
    summary = run_import(
        sessions=sessions, rtype=REPORTS, handle=io.StringIO(text, newline=""), actor=IMPORTER, batch_size=10
    )
    assert summary.created == 1
    with sessions() as session:
        report = session.scalars(select(MissingPersonReport)).one()
    assert (report.folio, report.given_names) == ("=F-1", "@Lupe")


def test_the_review_export_keeps_formulas_as_text(
    registry_cli: CliRunner, sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    curp = valid_curp_for(report_payload())
    add(sessions, REPORTS, report_payload(curp=curp, folio=FORMULA))
    add(sessions, REPORTS, report_payload(curp=curp, source="SIN", folio="+SIN-1", last_seen_state="SIN"))
    assert registry_cli.invoke(review_app, ["rematch"]).exit_code == 0
    out = tmp_path / "queue.csv"

    assert registry_cli.invoke(review_app, ["export", "--out", str(out)]).exit_code == 0

    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    folios = {rows[0]["left_folio"], rows[0]["right_folio"]}
    assert folios == {"'" + FORMULA, "'+SIN-1"}
