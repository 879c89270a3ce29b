"""Bulk import of interchange CSVs (shared/spec/interchange.md), through `run_import` and `registry import`.

Good rows are stored, bad rows land in the rejects file with their line and a message naming the
column, re-running a file is harmless, and an interrupted import leaves whole batches only.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

import api.importing
from api.cli.main import app as cli
from api.importing import RejectsWriter, run_import
from registry.actor import Actor
from registry.interchange import HeaderError
from registry.models import CandidatePair, MissingPersonReport, RecordVersion, StatusEvent, UnidentifiedRemains
from registry.record_types import REMAINS, REPORTS, RecordType
from registry.services.imports import ImportSummary
from registry.settings import get_settings

IMPORTER = Actor(id="import:test.csv", role="system", jurisdiction=None, via="cli")

REPORT_HEADER = "source,folio,given_names,first_surname,second_surname,aliases,sex,date_of_birth,last_seen_date,last_seen_state,height_cm,distinguishing_marks\n"  # noqa: E501


def report_row(folio: str, **values: str) -> str:
    row = {
        "source": "JAL", "folio": folio, "given_names": "María Guadalupe", "first_surname": "Hernández",
        "second_surname": "García", "aliases": "Lupe;Lupita", "sex": "female", "date_of_birth": "1990-05-17",
        "last_seen_date": "2021-03-02", "last_seen_state": "JAL", "height_cm": "158",
        "distinguishing_marks": "tatuaje de rosa",
    }  # fmt: skip
    row.update(values)
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(row.values())
    return out.getvalue()


# Lines 2..9: six good rows and three bad ones; line 6 is a quoted, multi-line cell spanning lines 6-7.
MIXED = (
    REPORT_HEADER
    + report_row("F-1")  # line 2
    + report_row("F-2", sex="M")  # line 3: ambiguous sex
    + report_row("F-3", last_seen_state="XXX")  # line 4: unknown state
    + report_row("F-4", distinguishing_marks="cicatriz, en la frente")  # line 5: comma in a quoted cell
    + report_row("F-5", distinguishing_marks="tatuaje de rosa\ncicatriz en mano")  # lines 6-7
    + report_row("F-6", last_seen_date="2021-02-30")  # line 8: impossible date
    + report_row("F-7", given_names="", first_surname="", second_surname="", aliases="")  # line 9: no name
    + report_row("F-8", sex="unknown", date_of_birth="")  # line 10
)
MIXED_GOOD = {"F-1", "F-4", "F-5", "F-8"}
MIXED_REJECTS = {
    "3": ("F-2", "sex", "ambiguous"),
    "4": ("F-3", "last_seen_state", "XXX"),
    "8": ("F-6", "last_seen_date", ""),
    "9": ("F-7", "given_names", ""),
}


def run(
    sessions: sessionmaker[Session], text: str, *, rtype: RecordType = REPORTS, batch_size: int = 2000
) -> tuple[ImportSummary, list[dict[str, str]]]:
    """Imports `text`; returns the summary and the rejects file read back as rows."""
    rejects = io.StringIO()
    summary = run_import(
        sessions=sessions,
        rtype=rtype,
        handle=io.StringIO(text, newline=""),
        actor=IMPORTER,
        batch_size=batch_size,
        rejects=lambda header: RejectsWriter(rejects, header),
    )
    return summary, list(csv.DictReader(io.StringIO(rejects.getvalue(), newline="")))


def stored(engine: Engine, model: Any = MissingPersonReport) -> dict[str, Any]:
    with engine.connect() as conn:
        rows = conn.execute(select(model.__table__)).mappings().all()
    return {row["folio"]: dict(row) for row in rows}


def count(engine: Engine, model: Any) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(model)).scalar_one()


def test_good_rows_are_stored_and_bad_rows_rejected_with_line_and_column(
    sessions: sessionmaker[Session], engine: Engine
) -> None:
    summary, rejects = run(sessions, MIXED)

    assert (summary.created, summary.updated, summary.unchanged, summary.rejected) == (4, 0, 0, 4)
    records = stored(engine)
    assert set(records) == MIXED_GOOD
    assert records["F-4"]["distinguishing_marks"] == "cicatriz, en la frente"
    assert records["F-5"]["distinguishing_marks"] == "tatuaje de rosa\ncicatriz en mano"
    assert records["F-1"]["aliases"] == ["Lupe", "Lupita"]
    assert records["F-8"]["sex"] == "unknown"
    assert count(engine, RecordVersion) == 4
    assert count(engine, StatusEvent) == 4
    by_line = {r["line"]: r for r in rejects}
    assert set(by_line) == set(MIXED_REJECTS)
    for line, (folio, column, detail) in MIXED_REJECTS.items():
        assert by_line[line]["folio"] == folio, "the rejects file keeps the original row"
        assert by_line[line]["error"].startswith(f"{column}:"), by_line[line]["error"]
        assert detail in by_line[line]["error"]
    assert "ambiguous between Spanish and English" in by_line["3"]["error"]
    assert list(rejects[0])[-2:] == ["line", "error"]


def test_rerunning_the_same_file_changes_nothing(sessions: sessionmaker[Session], engine: Engine) -> None:
    run(sessions, MIXED)
    before = stored(engine), count(engine, RecordVersion), count(engine, StatusEvent)

    summary, rejects = run(sessions, MIXED)

    assert (summary.created, summary.updated, summary.unchanged, summary.rejected) == (0, 0, 4, 4)
    assert len(rejects) == 4
    assert (stored(engine), count(engine, RecordVersion), count(engine, StatusEvent)) == before


def test_a_changed_row_updates_the_record_and_adds_a_version(sessions: sessionmaker[Session], engine: Engine) -> None:
    run(sessions, REPORT_HEADER + report_row("F-1") + report_row("F-2"))
    first = stored(engine)["F-1"]

    summary, _ = run(sessions, REPORT_HEADER + report_row("F-1", height_cm="161") + report_row("F-2"))

    assert (summary.created, summary.updated, summary.unchanged) == (0, 1, 1)
    now = stored(engine)["F-1"]
    assert now["id"] == first["id"]
    assert (now["version"], now["height_cm"]) == (2, 161)
    assert stored(engine)["F-2"]["version"] == 1
    with engine.connect() as conn:
        versions = conn.execute(
            select(RecordVersion.version, RecordVersion.changes, RecordVersion.changed_by)
            .where(RecordVersion.record_id == first["id"])
            .order_by(RecordVersion.version)
        ).all()
    assert [v.version for v in versions] == [1, 2]
    assert versions[1].changes == {"height_cm": [158, 161]}
    assert versions[1].changed_by == IMPORTER.id


def test_the_same_record_twice_in_one_file_ends_as_the_last_row(
    sessions: sessionmaker[Session], engine: Engine
) -> None:
    summary, _ = run(sessions, REPORT_HEADER + report_row("F-1") + report_row("F-1", height_cm="170"))

    assert count(engine, MissingPersonReport) == 1
    assert stored(engine)["F-1"]["height_cm"] == 170
    assert (summary.created, summary.updated) == (1, 1)


def test_an_unknown_column_refuses_the_whole_file_naming_it(sessions: sessionmaker[Session], engine: Engine) -> None:
    text = REPORT_HEADER.replace("first_surname", "First_Surname") + report_row("F-1")
    with pytest.raises(HeaderError, match="'First_Surname'"):
        run(sessions, text)
    assert count(engine, MissingPersonReport) == 0


def test_a_byte_order_mark_is_accepted(sessions: sessionmaker[Session], engine: Engine) -> None:
    summary, rejects = run(sessions, "\ufeff" + REPORT_HEADER + report_row("F-1"))
    assert (summary.created, rejects) == (1, [])
    assert stored(engine)["F-1"]["source"] == "JAL"


def test_line_numbers_stay_right_after_multi_line_cells(sessions: sessionmaker[Session]) -> None:
    text = (
        REPORT_HEADER
        + report_row("F-1", distinguishing_marks="uno\ndos\ntres")  # lines 2-4
        + report_row("F-2", sex="H")  # line 5
        + report_row("F-3", distinguishing_marks='dijo "hola"\r\nadiós')  # lines 6-7
        + "\n"  # line 8: blank, skipped
        + report_row("F-4", sex="F")  # line 9
    )
    summary, rejects = run(sessions, text)
    assert (summary.created, summary.rejected) == (2, 2)
    assert [(r["line"], r["folio"]) for r in rejects] == [("5", "F-2"), ("9", "F-4")]
    assert all("ambiguous" in r["error"] and r["error"].startswith("sex:") for r in rejects)


def test_remains_import_checks_the_age_range(sessions: sessionmaker[Session], engine: Engine) -> None:
    header = "source,folio,found_date,found_state,sex,age_min,age_max\n"
    text = header + "JAL,R-1,2022-06-10,JAL,male,20,30\nJAL,R-2,2022-06-10,JAL,male,40,30\nJAL,R-3,2022-06-10,JAL,M,,\n"
    summary, rejects = run(sessions, text, rtype=REMAINS)
    assert (summary.created, summary.rejected) == (1, 2)
    assert set(stored(engine, UnidentifiedRemains)) == {"R-1"}
    assert [(r["line"], r["error"].split(":")[0]) for r in rejects] == [("3", "age_min"), ("4", "sex")]


# --- an interrupted import ---------------------------------------------------------------------------


class PowerCut(Exception):
    """Stands for whatever stops an import midway: a crash, a lost connection, a killed process."""


def many_rows(count_: int) -> str:
    return REPORT_HEADER + "".join(report_row(f"F-{i:03d}", height_cm=str(100 + i)) for i in range(count_))


def test_an_interrupted_import_leaves_whole_batches_and_a_rerun_completes_it(
    sessions: sessionmaker[Session], engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = many_rows(25)
    with monkeypatch.context() as patch:
        real = api.importing.import_batch
        calls = {"n": 0}

        def failing(**kwargs: Any) -> Any:
            calls["n"] += 1
            result = real(**kwargs)
            if calls["n"] == 3:
                raise PowerCut
            return result

        patch.setattr(api.importing, "import_batch", failing)
        with pytest.raises(PowerCut):
            run(sessions, text, batch_size=10)

    assert sorted(stored(engine)) == [f"F-{i:03d}" for i in range(20)], "two whole batches, nothing of the third"
    assert count(engine, RecordVersion) == 20
    assert count(engine, StatusEvent) == 20

    summary, rejects = run(sessions, text, batch_size=10)

    assert (summary.created, summary.unchanged, summary.rejected) == (5, 20, 0)
    assert rejects == []
    assert sorted(stored(engine)) == [f"F-{i:03d}" for i in range(25)]
    assert count(engine, RecordVersion) == 25


# --- the `registry import` command -------------------------------------------------------------------


@pytest.fixture
def cli_env(database_url: str, monkeypatch: pytest.MonkeyPatch, engine: Engine) -> Iterator[CliRunner]:
    """`registry import` pointed at the test database, with small batches."""
    monkeypatch.setenv("REGISTRY_DATABASE_URL", database_url)
    monkeypatch.setenv("REGISTRY_IMPORT_BATCH_SIZE", "3")
    get_settings.cache_clear()
    yield CliRunner()
    get_settings.cache_clear()


def test_the_import_command_stores_good_rows_and_writes_rejects(
    cli_env: CliRunner, engine: Engine, tmp_path: Path
) -> None:
    source = tmp_path / "jalisco.csv"
    source.write_bytes(("\ufeff" + MIXED).encode("utf-8"))
    rejects_path = tmp_path / "rejects.csv"

    result = cli_env.invoke(
        cli, ["import", str(source), "--kind", "missing", "--national", "--rejects", str(rejects_path)]
    )

    assert result.exit_code == 0, result.output
    assert "created 4, updated 0, unchanged 0, rejected 4" in result.stdout
    assert set(stored(engine)) == MIXED_GOOD
    with rejects_path.open(newline="", encoding="utf-8") as handle:
        rejects = list(csv.DictReader(handle))
    assert {r["line"]: r["error"].split(":")[0] for r in rejects} == {
        line: column for line, (_folio, column, _detail) in MIXED_REJECTS.items()
    }

    again = cli_env.invoke(
        cli, ["import", str(source), "--kind", "missing", "--national", "--rejects", str(rejects_path)]
    )
    assert again.exit_code == 0, again.output
    assert "created 0, updated 0, unchanged 4, rejected 4" in again.stdout
    assert count(engine, RecordVersion) == 4


def test_the_import_command_refuses_an_unknown_column_by_name(
    cli_env: CliRunner, engine: Engine, tmp_path: Path
) -> None:
    source = tmp_path / "bad-header.csv"
    source.write_text(REPORT_HEADER.replace("height_cm", "altura") + report_row("F-1"), encoding="utf-8")

    result = cli_env.invoke(cli, ["import", str(source), "--kind", "missing", "--national"])

    assert result.exit_code == 2, result.output
    assert "'altura'" in result.stderr
    assert count(engine, MissingPersonReport) == 0


@pytest.mark.parametrize("review", [True, False], ids=["scored", "no-review"])
def test_the_import_command_puts_the_duplicates_it_brings_in_the_review_queue(
    cli_env: CliRunner, engine: Engine, tmp_path: Path, review: bool
) -> None:
    source = tmp_path / "two-of-one-person.csv"
    rows = report_row("F-1") + report_row("F-2", source="SIN", last_seen_state="SIN", given_names="Ma. Guadalupe")
    source.write_text(REPORT_HEADER + rows + report_row("F-3", given_names="Pedro", sex="male"), encoding="utf-8")

    result = cli_env.invoke(
        cli, ["import", str(source), "--kind", "missing", "--national", *([] if review else ["--no-review"])]
    )

    assert result.exit_code == 0, result.output
    assert ("review queue: 1 candidate pairs (1 new" in result.stdout) is review
    assert count(engine, CandidatePair) == (1 if review else 0)
