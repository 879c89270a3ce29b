"""`registry seed` and `registry demo`: synthetic registries for trainers, never mixed with real records."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
import uvicorn
from alembic import command
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from api.app import create_app
from api.cli.common import console, engine_for, fail, settings
from api.cli.review import describe, score_into_queue, version_mark
from api.logging import uvicorn_log_config
from api.readiness import check_ready
from migrations.config import alembic_config
from registry.db import session_factory, transaction
from registry.services import audit
from registry.services.instance import claim_for_sandbox, is_sandbox
from registry.services.users import create_demo_accounts
from seed import files
from seed.config import SeedConfig
from seed.loader import SEED_ACTOR, LoadSummary, load


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=console
    )


def _remove_sqlite(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def prepare_sandbox(path: Path) -> str:
    """A fresh, migrated SQLite sandbox at `path`; an existing file is replaced only if it is a sandbox."""
    url = f"sqlite:///{path}"
    if path.exists():
        with engine_for(url) as engine, transaction(session_factory(engine)) as session:
            if not is_sandbox(session):
                raise fail(f"{path} is not a sandbox database: it is left untouched; choose another --path")
        _remove_sqlite(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    command.upgrade(alembic_config(url), "head")
    with engine_for(url) as engine, transaction(session_factory(engine)) as session:
        claim_for_sandbox(session)
    return url


def seed_database(url: str, config: SeedConfig) -> LoadSummary:
    """Seeds the database at `url` (which must be migrated) with a progress bar per record type."""
    with engine_for(url) as engine:
        check_ready(engine)
        with _progress() as progress:
            tasks = {
                "report": progress.add_task("missing-person reports", total=config.reports),
                "remains": progress.add_task("unidentified remains", total=config.remains_count),
            }
            return load(
                sessions=audit.audited_sessions(
                    session_factory(engine), actor=SEED_ACTOR, action="seed.batch", record_kind=None, request_id=None
                ),
                config=config,
                batch_size=settings().import_batch_size,
                progress=lambda kind, n: progress.advance(tasks[kind], n),
            )


def seed(
    reports: Annotated[int, typer.Option(min=0, help="Number of missing-person reports")],
    seed_value: Annotated[int, typer.Option("--seed", help="Random seed: same seed, same data, byte for byte")] = 0,
    remains: Annotated[int | None, typer.Option(min=0, help="Number of remains records (default: reports/4)")] = None,
    truth: Annotated[Path | None, typer.Option(help="Write the ground truth (interchange pair shape) here")] = None,
    csv: Annotated[
        Path | None,
        typer.Option(help="Write reports.csv, remains.csv and the truth here instead of loading the database"),
    ] = None,
    review: Annotated[
        bool, typer.Option(help="Also score the seeded records into the review queue (minutes at national scale)")
    ] = False,
) -> None:
    """Generate a synthetic national registry: load it into a sandbox database, or write it as CSV."""
    config = SeedConfig(reports=reports, remains=remains, seed=seed_value)
    if truth:
        files.write_truth(config, truth)
        console.print(f"ground truth written to {truth} (duplicates.csv, links.csv)")
    if csv:
        written = files.write_dataset(config, csv)
        console.print(
            f"{written.report_rows} reports and {written.remains_rows} remains written to {csv} "
            "(reports.csv, remains.csv, duplicates.csv, links.csv)"
        )
        return
    url = settings().database_url
    since = version_mark(url) if review else 0
    summary = seed_database(url, config)
    typer.echo(f"seeded {summary.reports.created} reports and {summary.remains.created} remains records")
    if review:
        with console.status("scoring the seeded records into the review queue"):
            typer.echo(f"review queue: {describe(score_into_queue(url, since))}")


DEFAULT_SANDBOX = Path("sandbox") / "registry-demo.sqlite3"
NATIONAL_REPORTS = 82_000
NATIONAL_REMAINS = 20_500


def demo(
    national: Annotated[bool, typer.Option(help="National scale: 82,000 reports and 20,500 remains")] = False,
    reports: Annotated[int, typer.Option(min=0, help="Reports to seed (ignored with --national)")] = 2_000,
    seed_value: Annotated[int, typer.Option("--seed", help="Random seed")] = 7,
    path: Annotated[
        Path, typer.Option(help="The sandbox's SQLite file (replaced if it is a sandbox)")
    ] = DEFAULT_SANDBOX,
    host: Annotated[str, typer.Option(help="Interface to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on")] = 8000,
    serve: Annotated[bool, typer.Option(help="Serve the API once seeded")] = True,
) -> None:
    """A fresh training sandbox: its own SQLite database, seeded, demo accounts printed, the API serving."""
    url = prepare_sandbox(path)
    with engine_for(url) as engine, transaction(session_factory(engine)) as session:
        accounts = create_demo_accounts(session)
    config = (
        SeedConfig(reports=NATIONAL_REPORTS, remains=NATIONAL_REMAINS, seed=seed_value)
        if national
        else SeedConfig(reports=reports, seed=seed_value)
    )
    summary = seed_database(url, config)
    console.print(
        f"sandbox [bold]{path}[/] seeded with {summary.reports.created} reports and "
        f"{summary.remains.created} remains records (demo data: never real records)"
    )
    # A course starts with work to review: the seeded duplicates and identifications are in the queue.
    with console.status("scoring the seeded records into the review queue"):
        console.print(f"review queue: {describe(score_into_queue(url, 0))}")
    table = Table(title="demo accounts (this sandbox only)")
    for column in ("username", "password", "role", "jurisdiction"):
        table.add_column(column)
    for username, password, role, jurisdiction in accounts:
        table.add_row(username, password, role, jurisdiction or "national")
    Console().print(table)
    if serve:
        sandbox_settings = settings().model_copy(update={"database_url": url})
        console.print(f"API on http://{host}:{port} (OpenAPI page: http://{host}:{port}/docs)")
        uvicorn.run(
            create_app(sandbox_settings),
            host=host,
            port=port,
            log_level="info",
            log_config=uvicorn_log_config(),
            access_log=False,
        )
