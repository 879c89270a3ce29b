"""The `registry` command: one entry point, a sub-command per task."""

from __future__ import annotations

import typer

from api.cli import db
from api.cli.imports import import_file
from api.cli.serve import serve

app = typer.Typer(
    name="registry",
    help="Case registry for Mexico's search commissions.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
app.add_typer(db.app, name="db")
app.command("serve")(serve)
app.command("import")(import_file)


def main() -> None:
    app()
