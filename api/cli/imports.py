"""`registry import`: load an interchange CSV, a state's Spanish export or a workbook, with a rejects file.

`--dry-run` reads, validates and reports what the import would do, and writes nothing;
`--print-mapping` writes the built-in Spanish mapping, a starting point for `--mapping FILE`.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from api.cli.common import console, deferred, engine_for, fail, settings
from api.cli.review import describe, score_into_queue, version_mark
from registry.actor import Actor
from registry.i18n import _
from registry.import_report import more_rejects, summary_line

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from api import importing, readiness
    from registry import db, mappings, policy, processes, record_types, workbooks
    from registry.services import audit, jurisdiction
    from registry.services.imports import ImportSummary, Rejected
else:  # imported when a command runs, not for --help (see api.cli.common)
    importing = deferred("api.importing")
    readiness = deferred("api.readiness")
    db = deferred("registry.db")
    mappings = deferred("registry.mappings")
    policy = deferred("registry.policy")
    processes = deferred("registry.processes")
    record_types = deferred("registry.record_types")
    workbooks = deferred("registry.workbooks")
    audit = deferred("registry.services.audit")
    jurisdiction = deferred("registry.services.jurisdiction")

# A dry run prints this many rejects (all of them go to --rejects FILE).
SHOWN_REJECTS = 20


class Kind(StrEnum):
    missing = "missing"
    remains = "remains"


def _is_workbook(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(len(workbooks.XLSX_MAGIC)) == workbooks.XLSX_MAGIC


def _count_rows(path: Path) -> int | None:
    if _is_workbook(path):
        return None  # a workbook says how many rows it has only once it is opened
    with path.open("rb") as handle:
        return max(sum(1 for _ in handle) - 1, 0)


def _importer(engine: Engine, username: str | None, file: Path) -> Actor:
    if username is None:
        return Actor(id=f"import:{file.name[:80]}", role=jurisdiction.SYSTEM_ROLE, jurisdiction=None, via="cli")
    with db.transaction(db.session_factory(engine)) as session:
        return jurisdiction.account_actor(session, username, policy.Action.import_upload)


def _mapping(path: Path | None) -> mappings.ImportMapping | None:
    if path is None:
        return None
    try:
        return mappings.load(path.read_text(encoding="utf-8-sig"), name=path.name)
    except (mappings.MappingError, UnicodeDecodeError, OSError) as exc:
        raise fail(_("the mapping cannot be used: {exc}", exc=exc), 2) from None


class _FirstRejects:
    """Keeps the first rejects for the screen, and passes every one on to the rejects file, if any."""

    def __init__(self, then: importing.RejectsWriter | None) -> None:
        self.then = then
        self.first: list[Rejected] = []

    def write(self, rejected: Rejected) -> None:
        if len(self.first) < SHOWN_REJECTS:
            self.first.append(rejected)
        if self.then is not None:
            self.then.write(rejected)


def import_file(
    file: Annotated[
        Path | None,
        typer.Argument(help="Interchange CSV, a state's CSV export or an .xlsx workbook", exists=True, dir_okay=False),
    ] = None,
    kind: Annotated[Kind | None, typer.Option(help="missing: reports; remains: unidentified remains")] = None,
    rejects: Annotated[Path | None, typer.Option(help="Write rejected rows here (CSV with line and error)")] = None,
    review: Annotated[
        bool, typer.Option(help="Score the imported records into the review queue (--no-review: leave it to a rematch)")
    ] = True,
    user: Annotated[
        str | None,
        typer.Option("--user", help="Import as this account: its role and jurisdiction decide which rows it may write"),
    ] = None,
    national: Annotated[
        bool,
        typer.Option(help="Import as the registry's operator, for every jurisdiction (audited as such)"),
    ] = False,
    mapping: Annotated[
        Path | None,
        typer.Option(help="A mapping file (TOML) for another export's headers and values", exists=True, dir_okay=False),
    ] = None,
    sheet: Annotated[str | None, typer.Option(help="The workbook's sheet to read (default: the first)")] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Read, validate and report what the import would do; write nothing")
    ] = False,
    print_mapping: Annotated[
        bool, typer.Option("--print-mapping", help="Print the built-in Spanish mapping (TOML) and stop")
    ] = False,
) -> None:
    """Import FILE: valid rows are created or updated by (source, folio); invalid ones are listed, not imported.

    The import acts as a named account (--user) or, explicitly, as the operator of the whole registry
    (--national); a row of a registry the account may not write is rejected with its reason.
    """
    if print_mapping:
        typer.echo(mappings.dump(mappings.BUILT_IN), nl=False)
        return
    if file is None or kind is None:
        raise fail(_("say what to import: registry import FILE --kind missing|remains"), 2)
    if (user is None) == (not national):
        raise fail(_("say who imports: --user USERNAME (an account) or --national (the registry's operator)"), 2)
    rtype = record_types.REPORTS if kind is Kind.missing else record_types.REMAINS
    chosen = _mapping(mapping)
    since = version_mark(settings().database_url) if review and not dry_run else 0
    total = _count_rows(file)
    batch_size = settings().import_batch_size
    with engine_for() as engine:
        readiness.check_ready(engine)
        actor = _importer(engine, user, file)
        rejects_handle = rejects.open("w", newline="", encoding="utf-8") if rejects else None
        shown = _FirstRejects(None)
        try:
            with Progress(
                TextColumn("checking" if dry_run else "importing"), BarColumn(), MofNCompleteColumn(),
                TimeRemainingColumn(), console=console,
            ) as progress:  # fmt: skip
                task = progress.add_task(_("rows"), total=total)
                # A dry run's one transaction is rolled back: no batch events, one event that it ran.
                sessions = db.session_factory(engine) if dry_run else audit.audited_sessions(
                    db.session_factory(engine), actor=actor, action="import.batch", record_kind=rtype.kind.value,
                    request_id=None,
                )  # fmt: skip

                def sink(header: list[str]) -> _FirstRejects:
                    shown.then = importing.RejectsWriter(rejects_handle, header) if rejects_handle else None
                    return shown

                def advance(rows: int) -> None:
                    progress.advance(task, rows)

                if total is None or total > batch_size:  # a second process reads and validates while this one writes
                    summary = importing.run_import_file(
                        sessions=sessions, rtype=rtype, path=file, actor=actor, batch_size=batch_size,
                        rejects=sink, progress=advance, mapping=chosen, sheet=sheet, dry_run=dry_run,
                    )  # fmt: skip
                else:
                    with file.open("rb") as handle:
                        summary = importing.run_import(
                            sessions=sessions, rtype=rtype, handle=handle, actor=actor, batch_size=batch_size,
                            rejects=sink, progress=advance, mapping=chosen, sheet=sheet, dry_run=dry_run,
                        )  # fmt: skip
            if dry_run:
                with db.transaction(db.session_factory(engine)) as session:
                    audit.record(session, actor=actor, action="import.dry_run", record_kind=rtype.kind.value,
                                 detail=_counts(summary))  # fmt: skip
        except workbooks.WorkbookError as exc:
            raise fail(_("the file cannot be imported: {exc}", exc=exc), 2) from None
        except processes.ChildProcessStopped as exc:
            raise fail(
                _("{exc}: reading {name} was interrupted; batches before it were imported", exc=exc, name=file.name)
            ) from None
        finally:
            if rejects_handle:
                rejects_handle.close()
    _report(summary, shown.first, dry_run=dry_run, rejects_given=rejects is not None)
    if review and not dry_run and (summary.created or summary.updated):
        with console.status(_("scoring the imported records into the review queue")):
            scored = score_into_queue(settings().database_url, since)
        typer.echo(_("review queue: {describe}", describe=describe(scored)))


def _counts(summary: ImportSummary) -> dict[str, int]:
    return {
        "created": summary.created,
        "updated": summary.updated,
        "unchanged": summary.unchanged,
        "rejected": summary.rejected,
        "foreign": summary.foreign,
    }


def _report(summary: ImportSummary, first: list[Rejected], *, dry_run: bool, rejects_given: bool) -> None:
    reading = summary.reading
    if reading is not None:
        typer.echo(_("read as: {describe}", describe=reading.describe()))
        for header, column in reading.columns.items():
            typer.echo(_("  column {header} read as {column}", header=repr(header), column=column))
        for header in reading.ignored:
            typer.echo(_("  column {header} left out", header=repr(header)))
    typer.echo(summary_line(**_counts(summary), dry_run=dry_run))
    if dry_run:
        for rejected in first:
            typer.echo(_("  line {line}: {error}", line=rejected.line, error=rejected.error))
        if summary.rejected > len(first):
            typer.echo(more_rejects(summary.rejected - len(first), rejects_given=rejects_given))
    elif summary.rejected and not rejects_given:
        console.print(_("rows were rejected: pass --rejects FILE to see which and why"))
