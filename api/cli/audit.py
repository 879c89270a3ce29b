"""`registry audit`: check the hash chain against anchors kept elsewhere, prune it, export it for oversight bodies."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from api.cli.common import console, deferred, engine_for, fail, settings
from registry.actor import CLI

if TYPE_CHECKING:
    from registry import db
    from registry.services import audit as service
else:  # imported when a command runs, not for --help (see api.cli.common)
    db = deferred("registry.db")
    service = deferred("registry.services.audit")

app = typer.Typer(help="Verify, anchor, prune and export the audit trail.", no_args_is_help=True)


class ExportFormat(StrEnum):
    """registry.services.audit.ExportFormat spelled out again, so that --help need not load the service."""

    csv = "csv"
    jsonl = "jsonl"


AnchorFile = Annotated[
    Path | None,
    typer.Option(
        "--anchor", help="An anchor written earlier: also prove the chain extends it", exists=True, dir_okay=False
    ),
]


@app.command()
def verify(anchor_file: AnchorFile = None) -> None:
    """Walk the chain from its first kept event; name the first broken one (exit 1) or confirm it is intact.

    With --anchor, also prove that the chain still holds the anchored head (exit 1 when it does not).
    """
    key = settings().audit_key
    anchor = None
    if anchor_file is not None:
        try:
            anchor = service.read_anchor(anchor_file.read_text(encoding="utf-8"))
        except service.AnchorUnreadable as exc:
            raise fail(f"{anchor_file}: {exc.detail}") from None
    with engine_for() as engine, db.transaction(db.session_factory(engine)) as session:
        result = service.verify(session)
        cut, problem = None, None
        if result.intact:
            cut = service.check_retention(session, key=key, chain=result)
        if anchor is not None and result.intact:
            problem = service.check_anchor(session, anchor=anchor, key=key, chain=result)
    if result.first_break is not None:
        raise fail(f"the audit chain is broken at {result.first_break.describe()}")
    if cut is not None:
        raise fail(f"the audit chain was cut: {cut}")
    if anchor is not None and problem is not None:
        raise fail(f"the audit chain does not extend the anchor {anchor_file}: {problem}")
    typer.echo(f"audit chain intact: {result.events} events")
    if anchor is not None:
        signed = "signed" if anchor.signature is not None else "unsigned"
        typer.echo(f"extends the anchor of event {anchor.seq} ({signed}, anchored {anchor.anchored_at.isoformat()})")
        if anchor.signature is None:
            console.print(
                "warning: the anchor is unsigned (REGISTRY_AUDIT_KEY was not set): it proves the chain only "
                "as far as its file was kept where no one who can write the database can write",
                highlight=False,
            )


@app.command()
def anchor(
    out: Annotated[Path | None, typer.Option(help="Write here instead of standard output", dir_okay=False)] = None,
) -> None:
    """Write the verified chain head (signed with REGISTRY_AUDIT_KEY) to keep outside the database."""
    key = settings().audit_key
    with engine_for() as engine, db.transaction(db.session_factory(engine)) as session:
        head = service.anchor(session, key=key)
    if out is None:
        sys.stdout.write(head.document())
    else:
        out.write_text(head.document(), encoding="utf-8")
    if key is None:
        console.print("warning: REGISTRY_AUDIT_KEY is not set: the anchor is unsigned", highlight=False)
    console.print(f"anchored event {head.seq} ({head.events} events)", highlight=False)


@app.command()
def prune(
    before: Annotated[datetime, typer.Option(help="Delete the events before this date (UTC)", formats=["%Y-%m-%d"])],
    anchor_out: Annotated[
        Path,
        typer.Option(help="Where the anchor of the head before pruning is written (must not exist)", dir_okay=False),
    ],
) -> None:
    """The retention procedure: anchor the head, then delete the events before a date, in one transaction.

    The chain must verify first. The anchor written to --anchor-out proves the kept chain with
    `registry audit verify --anchor`; the prune is itself recorded as an event.
    """
    if anchor_out.exists():  # an earlier anchor is evidence: never overwrite it
        raise fail(f"{anchor_out} exists already; choose a new file for the anchor")
    start = before.replace(tzinfo=UTC)
    with engine_for() as engine:
        try:
            with (
                anchor_out.open("x", encoding="utf-8") as handle,
                db.transaction(db.session_factory(engine)) as session,
            ):
                result = service.prune(session, before=start, key=settings().audit_key, anchor_out=handle, actor=CLI)
        except BaseException:
            anchor_out.unlink(missing_ok=True)  # nothing was pruned: leave no anchor that suggests otherwise
            raise
    console.print(
        f"pruned {result.deleted} events; the kept chain starts at event {result.first_seq}; "
        f"anchor of event {result.anchor.seq} written to {anchor_out}",
        highlight=False,
    )


@app.command()
def export(
    out: Annotated[Path | None, typer.Option(help="Write here instead of standard output", dir_okay=False)] = None,
    since: Annotated[
        datetime | None, typer.Option(help="Only events on or after this date", formats=["%Y-%m-%d"])
    ] = None,
    format: Annotated[ExportFormat, typer.Option(help="csv or jsonl")] = ExportFormat.jsonl,
) -> None:
    """Export the events (CSV or JSON lines); the export is itself recorded as an event."""
    start = since.replace(tzinfo=UTC) if since else None
    with engine_for() as engine, db.transaction(db.session_factory(engine)) as session:
        if out is None:
            count = service.export(session, out=sys.stdout, fmt=service.ExportFormat(format), since=start, actor=CLI)
        else:
            with out.open("w", newline="", encoding="utf-8") as handle:
                count = service.export(session, out=handle, fmt=service.ExportFormat(format), since=start, actor=CLI)
    console.print(f"exported {count} events")
