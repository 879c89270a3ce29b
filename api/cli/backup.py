"""`registry backup` and `registry restore`: the whole database to one file and back, with its row counts."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from api.cli.common import console, deferred, fail, settings

if TYPE_CHECKING:
    from registry import backup as service
    from registry import errors
else:  # imported when a command runs, not for --help (see api.cli.common)
    service = deferred("registry.backup")
    errors = deferred("registry.errors")


def backup(
    out: Annotated[Path, typer.Option(help="The backup file to write (must not exist); FILE.manifest.json beside it")],
) -> None:
    """Write a consistent copy of the database to a file.

    The registry may keep serving and writing meanwhile. SQLite: SQLite's online backup API;
    PostgreSQL: pg_dump in its custom format (pg_dump must be installed). The manifest beside the
    file holds its SHA-256, the schema revision and the row count of every table in the copy.
    """
    try:
        manifest = service.backup(url=settings().database_url, out=out)
    except errors.RegistryError as exc:
        raise fail(exc.detail) from None
    rows = sum(manifest.counts.values())
    typer.echo(f"backup written to {out} ({manifest.size} bytes, {len(manifest.counts)} tables, {rows} rows)")
    console.print(f"manifest: {service.manifest_path(out)}", highlight=False)


def restore(
    file: Annotated[Path, typer.Argument(help="A file written by `registry backup`", exists=True, dir_okay=False)],
    replace: Annotated[
        bool, typer.Option("--replace", help="Overwrite a database that is not empty (everything it holds is lost)")
    ] = False,
) -> None:
    """Load a backup written by `registry backup` into the database.

    The target (REGISTRY_DATABASE_URL) must be empty (a new SQLite file, or a PostgreSQL database
    just made with createdb) unless --replace is given. Stop the API first. The restored row counts
    are checked against the backup's manifest; run `registry audit verify` afterwards.
    """
    try:
        result = service.restore(url=settings().database_url, backup_file=file, replace=replace)
    except errors.RegistryError as exc:
        raise fail(exc.detail) from None
    if result.manifest is None:
        console.print(f"warning: no manifest beside {file}: the row counts could not be checked", highlight=False)
    elif result.differences:
        for table, (expected, found) in result.differences.items():
            console.print(f"{table}: {found} rows restored, the backup counted {expected}", highlight=False)
        raise fail("the restored database does not hold what the backup counted")
    rows = sum(result.counts.values())
    typer.echo(f"restored {file}: {len(result.counts)} tables, {rows} rows")
    if result.manifest is not None:
        revision = result.manifest.revision
        typer.echo(f"schema revision {revision}; now run `registry audit verify` (and `registry db upgrade` if needed)")
