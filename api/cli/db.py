"""`registry db`: the schema, through Alembic migrations only."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from api.cli.common import console, deferred, engine_for, fail, settings

if TYPE_CHECKING:
    from alembic import command
    from sqlalchemy import exc as sa_exc

    from migrations import config as migrations_config
    from registry.repositories import schema
else:  # imported when a command runs, not for --help (see api.cli.common)
    command = deferred("alembic.command")
    sa_exc = deferred("sqlalchemy.exc")
    migrations_config = deferred("migrations.config")
    schema = deferred("registry.repositories.schema")

app = typer.Typer(help="Migrate the database schema.", no_args_is_help=True)


def _run(action: str, revision: str) -> None:
    url = settings().database_url
    with engine_for(url) as engine:
        try:
            with engine.begin() as connection:
                config = migrations_config.alembic_config(url)
                config.attributes["connection"] = connection
                getattr(command, action)(config, revision)
        except sa_exc.OperationalError as exc:
            raise fail(f"the migration could not run: {type(exc.orig).__name__ if exc.orig else exc}") from None
        console.print(f"database at revision {schema.current_revision(engine) or 'base (empty)'}")


@app.command()
def upgrade(revision: Annotated[str, typer.Argument(help="Target revision")] = "head") -> None:
    """Apply migrations up to REVISION (default: the latest)."""
    _run("upgrade", revision)


@app.command()
def downgrade(
    revision: Annotated[str, typer.Argument(help="Target revision; 'base' empties the schema")] = "-1",
) -> None:
    """Revert migrations down to REVISION (default: one step)."""
    _run("downgrade", revision)


@app.command()
def current() -> None:
    """Print the revision the database is at."""
    with engine_for() as engine:
        revision = schema.current_revision(engine)
    typer.echo(revision or "base (empty)")
