"""`registry audit`: check the hash chain, and export the trail for oversight bodies."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from api.cli.common import console, engine_for, fail
from registry.actor import CLI
from registry.db import session_factory, transaction
from registry.services import audit as service

app = typer.Typer(help="Verify and export the audit trail.", no_args_is_help=True)


@app.command()
def verify() -> None:
    """Walk the chain from its first event; name the first broken one (exit 1) or confirm it is intact."""
    with engine_for() as engine, transaction(session_factory(engine)) as session:
        result = service.verify(session)
    if result.first_break is not None:
        raise fail(f"the audit chain is broken at {result.first_break.describe()}")
    typer.echo(f"audit chain intact: {result.events} events")


@app.command()
def export(
    out: Annotated[Path | None, typer.Option(help="Write here instead of standard output", dir_okay=False)] = None,
    since: Annotated[
        datetime | None, typer.Option(help="Only events on or after this date", formats=["%Y-%m-%d"])
    ] = None,
    format: Annotated[service.ExportFormat, typer.Option(help="csv or jsonl")] = service.ExportFormat.jsonl,
) -> None:
    """Export the events (CSV or JSON lines); the export is itself recorded as an event."""
    start = since.replace(tzinfo=UTC) if since else None
    with engine_for() as engine, transaction(session_factory(engine)) as session:
        if out is None:
            count = service.export(session, out=sys.stdout, fmt=format, since=start, actor=CLI)
        else:
            with out.open("w", newline="", encoding="utf-8") as handle:
                count = service.export(session, out=handle, fmt=format, since=start, actor=CLI)
    console.print(f"exported {count} events")
