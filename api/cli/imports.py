"""`registry import`: load an interchange CSV, with a rejects file and a progress bar."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from api.cli.common import console, engine_for, fail, settings
from api.cli.review import describe, score_into_queue, version_mark
from api.importing import RejectsWriter, run_import, run_import_file
from api.readiness import check_ready
from registry.actor import Actor
from registry.db import session_factory
from registry.processes import ChildProcessStopped
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
    review: Annotated[
        bool, typer.Option(help="Score the imported records into the review queue (--no-review: leave it to a rematch)")
    ] = True,
) -> None:
    """Import FILE: valid rows are created or updated by (source, folio); invalid ones are listed, not imported."""
    rtype = REPORTS if kind is Kind.missing else REMAINS
    since = version_mark(settings().database_url) if review else 0
    actor = Actor(id=f"import:{file.name[:80]}", role="clerk", jurisdiction=None)
    total = _count_rows(file)
    batch_size = settings().import_batch_size
    with engine_for() as engine:
        check_ready(engine)
        rejects_handle = rejects.open("w", newline="", encoding="utf-8") if rejects else None
        try:
            with Progress(
                TextColumn("importing"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(), console=console
            ) as progress:
                task = progress.add_task("rows", total=total)
                sessions = audit.audited_sessions(
                    session_factory(engine),
                    actor=actor,
                    action="import.batch",
                    record_kind=rtype.kind.value,
                    request_id=None,
                )
                sink = (lambda header: RejectsWriter(rejects_handle, header)) if rejects_handle else None

                def advance(rows: int) -> None:
                    progress.advance(task, rows)

                if total > batch_size:  # a second process reads and validates while this one writes
                    summary = run_import_file(
                        sessions=sessions, rtype=rtype, path=file, actor=actor, batch_size=batch_size,
                        rejects=sink, progress=advance,
                    )  # fmt: skip
                else:
                    with file.open(newline="", encoding="utf-8-sig") as handle:
                        summary = run_import(
                            sessions=sessions, rtype=rtype, handle=handle, actor=actor, batch_size=batch_size,
                            rejects=sink, progress=advance,
                        )  # fmt: skip
        except UnicodeDecodeError as exc:
            raise fail(f"{file.name} is not UTF-8 (byte {exc.start}); batches before it were imported") from None
        except ChildProcessStopped as exc:
            raise fail(f"{exc}: reading {file.name} was interrupted; batches before it were imported") from None
        finally:
            if rejects_handle:
                rejects_handle.close()
    typer.echo(
        f"created {summary.created}, updated {summary.updated}, unchanged {summary.unchanged}, "
        f"rejected {summary.rejected}"
    )
    if summary.rejected and not rejects:
        console.print("rows were rejected: pass --rejects FILE to see which and why")
    if review and (summary.created or summary.updated):
        with console.status("scoring the imported records into the review queue"):
            scored = score_into_queue(settings().database_url, since)
        typer.echo(f"review queue: {describe(scored)}")
