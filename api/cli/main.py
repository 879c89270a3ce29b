"""The `registry` command: one entry point, a sub-command per task, each loaded only when it is used.

Importing every sub-command's module would import the whole application (the web framework, the
database stack, the matching engine: seconds) before printing a line of help. The top-level group
knows each sub-command's module and one-line help from the table below and imports a module only
when its command runs or its help is asked for; tests/api/test_cli_startup.py checks that the
one-line help here is the command's own.
"""

from __future__ import annotations

import importlib
import os
from typing import Any, NamedTuple

import typer
from typer.core import TyperGroup

from registry.i18n import cli_language, set_language, supported


class LazyCommand(NamedTuple):
    module: str
    attribute: str  # a typer.Typer (a group of commands) or a command function
    summary: str  # the first line of the command's help, shown by `registry --help`


COMMANDS: dict[str, LazyCommand] = {
    "db": LazyCommand("api.cli.db", "app", "Migrate the database schema."),
    "serve": LazyCommand("api.cli.serve", "serve", "Serve the API (its OpenAPI page is at /docs)."),
    "users": LazyCommand("api.cli.users", "app", "Manage user accounts and API keys."),
    "audit": LazyCommand("api.cli.audit", "app", "Verify, anchor, prune and export the audit trail."),
    "backup": LazyCommand("api.cli.backup", "backup", "Write a consistent copy of the database to a file."),
    "restore": LazyCommand(
        "api.cli.backup", "restore", "Load a backup written by `registry backup` into the database."
    ),
    "import": LazyCommand(
        "api.cli.imports",
        "import_file",
        "Import FILE: valid rows are created or updated by (source, folio); invalid ones are listed, not imported.",
    ),
    "export": LazyCommand(
        "api.cli.exports",
        "export_records",
        "Write the registry's current records (not withdrawn) in the interchange format or as a Spanish export.",
    ),
    "review": LazyCommand(
        "api.cli.review", "app", "Review candidate pairs: export the queue, import judgements, re-match."
    ),
    "seed": LazyCommand(
        "api.cli.seed",
        "seed",
        "Generate a synthetic national registry: load it into a sandbox database, or write it as CSV.",
    ),
    "demo": LazyCommand(
        "api.cli.seed",
        "demo",
        "A fresh training sandbox: its own SQLite database, seeded, demo accounts printed, the API serving.",
    ),
    "dedupe": LazyCommand(
        "api.cli.matching",
        "dedupe",
        "Candidate pairs of missing-person reports that may be the same person, within and across registries.",
    ),
    "link": LazyCommand(
        "api.cli.matching",
        "link",
        "For each unidentified-remains record, its best candidate missing-person reports, ranked.",
    ),
    "evaluate": LazyCommand(
        "api.cli.matching",
        "evaluate",
        "Precision, recall and F1 of duplicate detection, recall at 1 and 10 of linking, and blocking recall.",
    ),
    "dna": LazyCommand(
        "api.cli.dna",
        "app",
        "Import DNA samples and genotypes; search remains against the families who gave references.",
    ),
}


def load_command(name: str) -> Any:
    """The click command for a sub-command, importing its module now."""
    entry = COMMANDS[name]
    target = getattr(importlib.import_module(entry.module), entry.attribute)
    # Built as a member of a throwaway group, as typer would build it under `registry`.
    holder = typer.Typer(add_completion=False, rich_markup_mode=None)
    holder.callback()(_no_options)
    if isinstance(target, typer.Typer):
        holder.add_typer(target, name=name)
    else:
        holder.command(name)(target)
    return typer.main.get_command(holder).commands[name]  # type: ignore[attr-defined]


def _no_options() -> None:
    """The throwaway group's callback (a group needs one to be a group)."""


class LazyGroup(TyperGroup):
    """A group whose sub-commands are imported on first use; its help is written from COMMANDS alone."""

    # Contexts, formatters and commands are click's (vendored by recent typer releases, so not named here).

    def list_commands(self, ctx: Any) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            self.commands[cmd_name] = load_command(cmd_name)
        return self.commands.get(cmd_name)

    def format_help(self, ctx: Any, formatter: Any) -> None:
        # click's plain layout: typer's rich one asks every sub-command for its help, importing them all.
        super(TyperGroup, self).format_help(ctx, formatter)

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        with formatter.section("Commands"):
            formatter.write_dl([(name, entry.summary) for name, entry in COMMANDS.items()])


app = typer.Typer(
    name="registry",
    cls=LazyGroup,
    help="Case registry for Mexico's search commissions.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


@app.callback()
def registry(
    lang: str | None = typer.Option(
        None, "--lang", help="Language of the messages: es-MX or en (default: LANG, then REGISTRY_DEFAULT_LANGUAGE)."
    ),
) -> None:
    """Case registry for Mexico's search commissions."""
    if lang is not None and supported(lang) is None:
        raise typer.BadParameter(f"{lang!r}: use es-MX or en", param_hint="--lang")
    set_language(cli_language(lang, os.environ))


def main() -> None:
    app()
