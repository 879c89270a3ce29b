"""`registry import`: load an interchange CSV, with a rejects file and a progress bar."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from api.cli.common import console, engine_for, fail, settings
from api.importing import RejectsWriter, run_import
from api.readiness import check_ready
from registry.actor import Actor
from registry.db import session_factory
from registry.record_types import REMAINS, REPORTS
from registry.services import audit


class Kind(StrEnum):
    missing = "missing"
    remains = "remains"


def _count_rows(path: Path) -> int:
    with path.open("rb") as handle:
        return max(sum(1 for _ in handle) - 1, 0)


def import_file(
    file: Annotated[Path, typer.Argument(help="Interchange CSV (UTF-8)", exists=True, dir_okay=False)],
    kind: Annotated[Kind, typer.Option(help="missing: reports; remains: unidentified remains")],
    rejects: Annotated[Path | None, typer.Option(help="Write rejected rows here (CSV with line and error)")] = None,
) -> None:
    """Import FILE: valid rows are created or updated by (source, folio); invalid ones are listed, not imported."""
    rtype = REPORTS if kind is Kind.missing else REMAINS
    actor = Actor(id=f"import:{file.name[:80]}", role="clerk", jurisdiction=None)
    total = _count_rows(file)
    with engine_for() as engine:
        check_ready(engine)
        rejects_handle = rejects.open("w", newline="", encoding="utf-8") if rejects else None
        try:
            with (
                file.open(newline="", encoding="utf-8-sig") as handle,
                Progress(
                    TextColumn("importing"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(), console=console
                ) as progress,
            ):
                task = progress.add_task("rows", total=total)
                summary = run_import(
                    sessions=audit.audited_sessions(
                        session_factory(engine),
                        actor=actor,
                        action="import.batch",
                        record_kind=rtype.kind.value,
                        request_id=None,
                    ),
                    rtype=rtype,
                    handle=handle,
                    actor=actor,
                    batch_size=settings().import_batch_size,
                    rejects=(lambda header: RejectsWriter(rejects_handle, header)) if rejects_handle else None,
                    progress=lambda n: progress.advance(task, n),
                )
        except UnicodeDecodeError as exc:
            raise fail(f"{file.name} is not UTF-8 (byte {exc.start}); batches before it were imported") from None
        finally:
            if rejects_handle:
                rejects_handle.close()
    typer.echo(
        f"created {summary.created}, updated {summary.updated}, unchanged {summary.unchanged}, "
        f"rejected {summary.rejected}"
    )
    if summary.rejected and not rejects:
        console.print("rows were rejected: pass --rejects FILE to see which and why")
