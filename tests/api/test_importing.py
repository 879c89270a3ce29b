"""Importing a file on disk with a second process that reads and validates it (`run_import_file`).

It must do what `run_import` does, batch for batch: the same records, history, summary and
rejects, the same errors at the same point, and whole batches only when interrupted.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, delete, func, select
from sqlalchemy.orm import Session, sessionmaker

import api.importing
from api.importing import RejectsWriter, run_import, run_import_file
from registry.actor import Actor
from registry.interchange import HeaderError
from registry.models import MissingPersonReport, RecordVersion, StatusEvent
from registry.record_types import REPORTS
from registry.services.imports import ImportSummary, write_batch
from tests.registry.test_import import MIXED, REPORT_HEADER, report_row

IMPORTER = Actor(id="import:test.csv", role="system", jurisdiction=None, via="cli")

# Batches of two rows: MIXED's eight rows (lines 2-10, good and bad), then a batch holding the
# same record twice, each time changed (lines 11 and 12), then a good row and a bad one.
SEVERAL_BATCHES = (
    MIXED
    + report_row("F-1", height_cm="170")
    + report_row("F-1", height_cm="171")
    + report_row("F-9")
    + report_row("F-10", sex="H")
)


def _import(sessions: sessionmaker[Session], path: Path, *, in_process: bool, batch_size: int = 2) -> Any:
    rejects = io.StringIO()
    progress: list[int] = []
    options: dict[str, Any] = {
        "sessions": sessions,
        "rtype": REPORTS,
        "actor": IMPORTER,
        "batch_size": batch_size,
        "rejects": lambda header: RejectsWriter(rejects, header),
        "progress": progress.append,
    }
    if in_process:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            summary = run_import(handle=handle, **options)
    else:
        summary = run_import_file(path=path, **options)
    return summary, rejects.getvalue(), progress


def _content(engine: Engine) -> tuple[Any, ...]:
    """What an import leaves, without its random ids and timestamps."""
    with engine.connect() as conn:
        records = conn.execute(select(MissingPersonReport.__table__)).mappings().all()
        versions = conn.execute(select(RecordVersion.__table__)).mappings().all()
        events = conn.execute(select(StatusEvent.__table__)).mappings().all()
    keys = {row["id"]: row["folio"] for row in records}
    skip = {"id", "created_at", "updated_at", "changed_at", "recorded_at", "record_id"}

    def plain(row: Any) -> list[tuple[str, str]]:
        return sorted((k, repr(v)) for k, v in row.items() if k not in skip)

    return (
        sorted(plain(row) for row in records),
        sorted((keys[row["record_id"]], plain(row)) for row in versions),
        sorted((keys[row["record_id"]], plain(row)) for row in events),
    )


def test_a_file_read_by_a_second_process_imports_as_in_this_one(
    sessions: sessionmaker[Session], engine: Engine, tmp_path: Path
) -> None:
    path = tmp_path / "jalisco.csv"
    path.write_bytes(("\ufeff" + SEVERAL_BATCHES).encode("utf-8"))

    expected = _import(sessions, path, in_process=True)
    content = _content(engine)
    _wipe_records(engine)

    assert _import(sessions, path, in_process=False) == expected
    assert _content(engine) == content
    summary: ImportSummary = expected[0]
    assert (summary.created, summary.updated, summary.unchanged, summary.rejected) == (5, 2, 0, 5)
    rejects = list(csv.DictReader(io.StringIO(expected[1], newline="")))
    assert [r["line"] for r in rejects] == ["3", "4", "8", "9", "14"]
    assert expected[2] == [2, 2, 2, 2, 2, 2]


def test_rerunning_a_file_through_a_second_process_changes_nothing(
    sessions: sessionmaker[Session], engine: Engine, tmp_path: Path
) -> None:
    path = tmp_path / "jalisco.csv"
    path.write_text(MIXED, encoding="utf-8")
    _import(sessions, path, in_process=False)
    before = _content(engine)

    summary, _rejects, progress = _import(sessions, path, in_process=False)

    assert (summary.created, summary.updated, summary.unchanged, summary.rejected) == (0, 0, 4, 4)
    assert sum(progress) == 8
    assert _content(engine) == before


def test_a_bad_header_is_refused_before_anything_is_written(
    sessions: sessionmaker[Session], engine: Engine, tmp_path: Path
) -> None:
    path = tmp_path / "bad-header.csv"
    path.write_text(REPORT_HEADER.replace("height_cm", "altura") + report_row("F-1"), encoding="utf-8")

    with pytest.raises(HeaderError, match="'altura'"):
        _import(sessions, path, in_process=False)
    assert _count(engine) == 0


def test_a_line_that_is_not_utf8_is_rejected_alone_in_either_process(
    sessions: sessionmaker[Session], engine: Engine, tmp_path: Path
) -> None:
    good = REPORT_HEADER + "".join(report_row(f"F-{i:03d}") for i in range(400))
    path = tmp_path / "latin1.csv"
    path.write_bytes(good.encode("utf-8") + report_row("F-999", given_names="José").encode("latin-1"))

    summary, rejects, _progress = _import(sessions, path, in_process=False, batch_size=50)

    assert (summary.created, summary.rejected) == (400, 1)
    reject = next(csv.DictReader(io.StringIO(rejects, newline="")))
    assert reject["line"] == "402"
    assert reject["error"].startswith("line 402: byte 0xE9 cannot be read as UTF-8")
    _wipe_records(engine)
    with path.open("rb") as handle:
        in_process = run_import(sessions=sessions, rtype=REPORTS, handle=handle, actor=IMPORTER, batch_size=50)
    assert (in_process.created, in_process.rejected) == (400, 1)


def test_an_interrupted_file_import_leaves_whole_batches(
    sessions: sessionmaker[Session], engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "many.csv"
    path.write_text(REPORT_HEADER + "".join(report_row(f"F-{i:03d}") for i in range(25)), encoding="utf-8")
    calls = {"n": 0}

    def failing(**kwargs: Any) -> Any:
        calls["n"] += 1
        result = write_batch(**kwargs)
        if calls["n"] == 3:
            raise RuntimeError("power cut")
        return result

    with monkeypatch.context() as patch:
        patch.setattr(api.importing, "write_batch", failing)
        with pytest.raises(RuntimeError, match="power cut"):
            _import(sessions, path, in_process=False, batch_size=10)
    assert _count(engine) == 20

    summary, _rejects, _progress = _import(sessions, path, in_process=False, batch_size=10)
    assert (summary.created, summary.unchanged) == (5, 20)


def _count(engine: Engine) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(MissingPersonReport)).scalar_one()


def _wipe_records(engine: Engine) -> None:
    with engine.begin() as conn:
        for model in (StatusEvent, RecordVersion, MissingPersonReport):
            conn.execute(delete(model))
