"""`registry users`: accounts, for administrators on the server (create, list, disable, enable, set-role,
set-password, API keys)."""

from __future__ import annotations

import os
import sys
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer

from api.cli.common import console, deferred, engine_for, fail
from registry.actor import CLI
from registry.i18n import _

if TYPE_CHECKING:
    from registry import db
    from registry import models as registry_models
    from registry.services import users as service
else:  # imported when a command runs, not for --help (see api.cli.common)
    db = deferred("registry.db")
    registry_models = deferred("registry.models")
    service = deferred("registry.services.users")

app = typer.Typer(help="Manage user accounts and API keys.", no_args_is_help=True)

JurisdictionOption = Annotated[str | None, typer.Option(help="Registry code (e.g. JAL, FED); leave out for national")]


class RoleName(StrEnum):
    """registry.models.Role spelled out again, so that --help need not load the database models
    (tests/api/test_cli_startup.py checks that the two agree)."""

    clerk = "clerk"
    investigator = "investigator"
    trainer = "trainer"
    administrator = "administrator"
    geneticist = "geneticist"


@app.command()
def create(
    username: Annotated[str, typer.Argument(help="Login handle: lower-case letters, digits, '.', '_', '-'")],
    role: Annotated[RoleName, typer.Option(help="clerk, investigator, trainer or administrator")],
    jurisdiction: JurisdictionOption = None,
    password: Annotated[
        str, typer.Option(prompt=True, hide_input=True, confirmation_prompt=True, help="At least 12 characters")
    ] = "",
) -> None:
    """Create an account."""
    with engine_for() as engine, db.transaction(db.session_factory(engine)) as session:
        user = service.create_user(session=session, username=username, password=password,
                                   role=registry_models.Role(role),
                                   jurisdiction=jurisdiction, actor=CLI)  # fmt: skip
        typer.echo(
            _(
                "created {username} ({value}, {value2}) id {id}",
                username=user.username,
                value=user.role.value,
                value2=user.jurisdiction or "national",
                id=user.id,
            )
        )


@app.command("list")
def list_users() -> None:
    """List accounts."""
    with engine_for() as engine, db.transaction(db.session_factory(engine)) as session:
        for user in service.list_users(session=session):
            state = "active" if user.active else "disabled"
            typer.echo(f"{user.username}\t{user.role.value}\t{user.jurisdiction or 'national'}\t{state}\t{user.id}")


@app.command()
def disable(username: Annotated[str, typer.Argument(help="The account to disable")]) -> None:
    """Disable an account: its tokens and API keys stop working at once."""
    with engine_for() as engine, db.transaction(db.session_factory(engine)) as session:
        user = service.find_user(session=session, username=username)
        service.disable_user(session=session, user=user, actor=CLI)
    typer.echo(_("disabled {username}", username=username))


@app.command()
def enable(username: Annotated[str, typer.Argument(help="The account to re-enable")]) -> None:
    """Re-enable a disabled account (tokens issued before it was disabled stay void)."""
    with engine_for() as engine, db.transaction(db.session_factory(engine)) as session:
        user = service.find_user(session=session, username=username)
        service.enable_user(session=session, user=user, actor=CLI)
    typer.echo(_("enabled {username}", username=username))


@app.command("set-password")
def set_password(
    username: Annotated[str, typer.Argument(help="The account whose password to reset")],
    password: Annotated[
        str, typer.Option(prompt=True, hide_input=True, confirmation_prompt=True, help="At least 12 characters")
    ] = "",
) -> None:
    """Reset an account's password (prompted for); the account's tokens stop working at once."""
    with engine_for() as engine, db.transaction(db.session_factory(engine)) as session:
        user = service.find_user(session=session, username=username)
        service.set_password(session=session, user=user, password=password, actor=CLI)
    typer.echo(_("password of {username} changed", username=username))


@app.command("set-role")
def set_role(
    username: Annotated[str, typer.Argument(help="The account to change")],
    role: Annotated[RoleName, typer.Argument(help="clerk, investigator, trainer or administrator")],
    jurisdiction: JurisdictionOption = None,
) -> None:
    """Change an account's role and jurisdiction (tokens issued before stop working)."""
    with engine_for() as engine, db.transaction(db.session_factory(engine)) as session:
        user = service.find_user(session=session, username=username)
        service.set_role(session=session, user=user, role=registry_models.Role(role), jurisdiction=jurisdiction,
                         actor=CLI)  # fmt: skip
    typer.echo(
        _(
            "{username} is now {value} ({value2})",
            username=username,
            value=role.value,
            value2=jurisdiction.upper() if jurisdiction else "national",
        )
    )


@app.command("create-api-key")
def create_api_key(username: Annotated[str, typer.Argument(help="The account the key acts as")]) -> None:
    """Issue an API key for system imports; it is printed once and only its hash is kept."""
    with engine_for() as engine, db.transaction(db.session_factory(engine)) as session:
        user = service.find_user(session=session, username=username)
        key, full = service.create_api_key(session=session, user=user, actor=CLI)
    console.print(
        _("API key {prefix} for {username}; store it now, it is not shown again:", prefix=key.prefix, username=username)
    )
    typer.echo(full)


@app.command("revoke-api-key")
def revoke_api_key(prefix: Annotated[str, typer.Argument(help="The key's prefix (the part after rk_)")]) -> None:
    """Revoke an API key."""
    with engine_for() as engine, db.transaction(db.session_factory(engine)) as session:
        service.revoke_api_key(session=session, prefix=prefix, actor=CLI)
    typer.echo(_("revoked {prefix}", prefix=prefix))


def _password_for_bootstrap(password_env: str | None, password_stdin: bool) -> str:
    """From an environment variable or the first line of standard input (for scripts), else prompted."""
    if password_env is not None:
        value = os.environ.get(password_env)
        if not value:
            raise fail(_("the environment variable {password_env} is not set or empty", password_env=password_env))
        return value
    if password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return str(typer.prompt("Password", hide_input=True, confirmation_prompt=True))


@app.command("bootstrap-admin")
def bootstrap_admin(
    username: Annotated[str, typer.Argument(help="Login handle of the first administrator")],
    password_env: Annotated[
        str | None,
        typer.Option(help="Read the password from this environment variable (e.g. a Docker secret's), not a prompt"),
    ] = None,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from the first line of standard input")
    ] = False,
) -> None:
    """Create the first administrator (national); refused once any administrator exists. Audited."""
    password = _password_for_bootstrap(password_env, password_stdin)
    with engine_for() as engine, db.transaction(db.session_factory(engine)) as session:
        user = service.bootstrap_administrator(session=session, username=username, password=password,
                                               actor=CLI)  # fmt: skip
    typer.echo(_("created administrator {username} (national) id {id}", username=user.username, id=user.id))
