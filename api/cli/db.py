"""`registry db`: the schema, through Alembic migrations only."""

from __future__ import annotations

from typing import Annotated

import typer
from alembic import command
from sqlalchemy.exc import OperationalError

from api.cli.common import console, engine_for, fail, settings
from migrations.config import alembic_config
from registry.repositories.schema import current_revision

app = typer.Typer(help="Migrate the database schema.", no_args_is_help=True)


def _run(action: str, revision: str) -> None:
    url = settings().database_url
    with engine_for(url) as engine:
        try:
            with engine.begin() as connection:
                config = alembic_config(url)
                config.attributes["connection"] = connection
                getattr(command, action)(config, revision)
        except OperationalError as exc:
            raise fail(f"the migration could not run: {type(exc.orig).__name__ if exc.orig else exc}") from None
        console.print(f"database at revision {current_revision(engine) or 'base (empty)'}")


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
        revision = current_revision(engine)
    typer.echo(revision or "base (empty)")
