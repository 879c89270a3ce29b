"""The `registry` command: one entry point, a sub-command per task."""

from __future__ import annotations

import typer

from api.cli import audit, db, review, users
from api.cli.imports import import_file
from api.cli.matching import dedupe, evaluate, link
from api.cli.seed import demo, seed
from api.cli.serve import serve

app = typer.Typer(
    name="registry",
    help="Case registry for Mexico's search commissions.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
app.add_typer(db.app, name="db")
app.add_typer(users.app, name="users")
app.add_typer(audit.app, name="audit")
app.add_typer(review.app, name="review")
app.command("serve")(serve)
app.command("import")(import_file)
app.command("seed")(seed)
app.command("demo")(demo)
app.command("dedupe")(dedupe)
app.command("link")(link)
app.command("evaluate")(evaluate)


def main() -> None:
    app()
