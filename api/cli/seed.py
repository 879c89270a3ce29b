"""`registry seed` and `registry demo`: synthetic registries for trainers, never mixed with real records."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from api.cli.common import console, deferred, engine_for, fail, settings
from api.cli.review import describe, score_into_queue, version_mark
from registry.i18n import _
from registry.vocabulary import label_of

if TYPE_CHECKING:
    import pydantic
    import uvicorn
    from alembic import command
    from fastapi import FastAPI

    from api import app as api_app
    from api import logging as api_logging
    from api import readiness
    from migrations import config as migrations_config
    from registry import db
    from registry.services import audit, instance, users
    from registry.settings import Settings
    from seed import config as seed_config
    from seed import exercises, files, loader, profiles
else:  # imported when a command runs, not for --help (see api.cli.common)
    pydantic = deferred("pydantic")
    uvicorn = deferred("uvicorn")
    command = deferred("alembic.command")
    api_app = deferred("api.app")
    api_logging = deferred("api.logging")
    readiness = deferred("api.readiness")
    migrations_config = deferred("migrations.config")
    db = deferred("registry.db")
    audit = deferred("registry.services.audit")
    instance = deferred("registry.services.instance")
    users = deferred("registry.services.users")
    seed_config = deferred("seed.config")
    exercises = deferred("seed.exercises")
    files = deferred("seed.files")
    loader = deferred("seed.loader")
    profiles = deferred("seed.profiles")


def create_app(app_settings: Settings) -> FastAPI:
    """The API application (api.app.create_app), named here so that tests can stand in for it."""
    return api_app.create_app(app_settings)


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
        with engine_for(url) as engine, db.transaction(db.session_factory(engine)) as session:
            if not instance.is_sandbox(session):
                raise fail(
                    _("{path} is not a sandbox database: it is left untouched; choose another --path", path=path)
                )
        _remove_sqlite(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    command.upgrade(migrations_config.alembic_config(url), "head")
    with engine_for(url) as engine, db.transaction(db.session_factory(engine)) as session:
        instance.claim_for_sandbox(session)
    return url


def seed_database(url: str, config: seed_config.SeedConfig, *, dna: bool = False) -> loader.LoadSummary:
    """Seeds the database at `url` (which must be migrated) with a progress bar per record type (and DNA)."""
    with engine_for(url) as engine:
        readiness.check_ready(engine)
        with _progress() as progress:
            tasks = {
                "report": progress.add_task(_("missing-person reports"), total=config.reports),
                "remains": progress.add_task(_("unidentified remains"), total=config.remains_count),
            }
            if dna:
                tasks["dna"] = progress.add_task(_("DNA samples"), total=None)
            summary = loader.load(
                sessions=audit.audited_sessions(
                    db.session_factory(engine),
                    actor=loader.SEED_ACTOR,
                    action="seed.batch",
                    record_kind=None,
                    request_id=None,
                ),
                config=config,
                batch_size=settings().import_batch_size,
                progress=lambda kind, n: progress.advance(tasks[kind], n),
                dna=dna,
            )
        # Which dataset this is: a trainer's exercises take their answers from its ground truth.
        with db.transaction(db.session_factory(engine)) as session:
            exercises.record_dataset(session, config)
        return summary


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
    profile: Annotated[
        str,
        typer.Option(help="Noise profile: default, harsh, sparse or remains (rates in docs/seed.md)"),
    ] = "default",
    dna: Annotated[
        bool,
        typer.Option(help="Also DNA: remains and reference samples with STR genotypes (docs/seed.md, DNA)"),
    ] = False,
) -> None:
    """Generate a synthetic national registry: load it into a sandbox database, or write it as CSV."""
    if profile not in profiles.PROFILES:
        raise typer.BadParameter(
            f"unknown profile {profile!r}; known: {', '.join(profiles.PROFILES)}", param_hint="--profile"
        )
    config = seed_config.SeedConfig(reports=reports, remains=remains, seed=seed_value, profile=profile)
    if truth:
        files.write_truth(config, truth)
        console.print(_("ground truth written to {truth} (duplicates.csv, links.csv)", truth=truth))
        if dna:
            dna_links, _references = files.write_dna_truth(config, truth)
            console.print(
                _(
                    "DNA ground truth written to {truth}: {dna_links} remains (dna_links.csv, dna_references.csv)",
                    truth=truth,
                    dna_links=dna_links,
                )
            )
    if csv:
        written = files.write_dataset(config, csv)
        console.print(
            _(
                "{report_rows} reports and {remains_rows} remains written to {csv} (reports.csv, remains.csv, "
                "duplicates.csv, links.csv)",
                report_rows=written.report_rows,
                remains_rows=written.remains_rows,
                csv=csv,
            )
        )
        if dna:
            dna_files = files.write_dna(config, csv)
            console.print(
                _(
                    "{sample_rows} DNA samples and {genotype_rows} genotypes written to {csv} (dna_samples.csv, "
                    "dna_genotypes.csv)",
                    sample_rows=dna_files.sample_rows,
                    genotype_rows=dna_files.genotype_rows,
                    csv=csv,
                )
            )
        return
    url = settings().database_url
    since = version_mark(url) if review else 0
    summary = seed_database(url, config, dna=dna)
    typer.echo(
        _(
            "seeded {created} reports and {remains} remains records",
            created=summary.reports.created,
            remains=summary.remains.created,
        )
    )
    if summary.dna is not None:
        typer.echo(_("seeded {samples} DNA samples", samples=summary.dna.created))
    if review:
        with console.status(_("scoring the seeded records into the review queue")):
            typer.echo(_("review queue: {describe}", describe=describe(score_into_queue(url, since))))


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
    dna: Annotated[bool, typer.Option(help="Seed DNA samples too (remains and relatives' references)")] = True,
) -> None:
    """A fresh training sandbox: its own SQLite database, seeded, demo accounts printed, the API serving."""
    url = prepare_sandbox(path)
    with engine_for(url) as engine, db.transaction(db.session_factory(engine)) as session:
        accounts = users.create_demo_accounts(session)
    config = (
        seed_config.SeedConfig(reports=NATIONAL_REPORTS, remains=NATIONAL_REMAINS, seed=seed_value)
        if national
        else seed_config.SeedConfig(reports=reports, seed=seed_value)
    )
    summary = seed_database(url, config, dna=dna)
    console.print(
        _(
            "sandbox [bold]{path}[/] seeded with {created} reports and {remains} remains records (demo data: never "
            "real records)",
            path=path,
            created=summary.reports.created,
            remains=summary.remains.created,
        )
    )
    if summary.dna is not None:
        console.print(_("seeded {samples} DNA samples", samples=summary.dna.created))
    # A course starts with work to review: the seeded duplicates and identifications are in the queue.
    with console.status(_("scoring the seeded records into the review queue")):
        console.print(_("review queue: {describe}", describe=describe(score_into_queue(url, 0))))
    table = Table(title=_("demo accounts (this sandbox only)"))
    for column in (_("username"), _("password"), _("role"), _("jurisdiction")):
        table.add_column(column)
    for username, password, role, jurisdiction in accounts:
        table.add_row(username, password, label_of("role", role), jurisdiction or _("national"))
    Console().print(table)
    if serve:
        # A sandbox signs its tokens with a key of its own, made now: never the public development key.
        sandbox_settings = settings().model_copy(
            update={"database_url": url, "secret_key": pydantic.SecretStr(secrets.token_urlsafe(48))}
        )
        console.print(_("API on http://{host}:{port} (OpenAPI page: http://{host}:{port}/docs)", host=host, port=port))
        uvicorn.run(
            create_app(sandbox_settings),
            proxy_headers=False,
            host=host,
            port=port,
            log_level="info",
            log_config=api_logging.uvicorn_log_config(),
            access_log=False,
        )
