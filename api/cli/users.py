"""`registry users`: accounts, for administrators on the server (create, list, disable, set-role, API keys)."""

from __future__ import annotations

from typing import Annotated

import typer

from api.cli.common import console, engine_for
from registry.actor import CLI
from registry.db import session_factory, transaction
from registry.models import Role
from registry.services import users as service

app = typer.Typer(help="Manage user accounts and API keys.", no_args_is_help=True)

JurisdictionOption = Annotated[str | None, typer.Option(help="Registry code (e.g. JAL, FED); leave out for national")]


@app.command()
def create(
    username: Annotated[str, typer.Argument(help="Login handle: lower-case letters, digits, '.', '_', '-'")],
    role: Annotated[Role, typer.Option(help="clerk, investigator, trainer or administrator")],
    jurisdiction: JurisdictionOption = None,
    password: Annotated[
        str, typer.Option(prompt=True, hide_input=True, confirmation_prompt=True, help="At least 12 characters")
    ] = "",
) -> None:
    """Create an account."""
    with engine_for() as engine, transaction(session_factory(engine)) as session:
        user = service.create_user(session=session, username=username, password=password, role=role,
                                   jurisdiction=jurisdiction, actor=CLI)  # fmt: skip
        typer.echo(f"created {user.username} ({user.role.value}, {user.jurisdiction or 'national'}) id {user.id}")


@app.command("list")
def list_users() -> None:
    """List accounts."""
    with engine_for() as engine, transaction(session_factory(engine)) as session:
        for user in service.list_users(session=session):
            state = "active" if user.active else "disabled"
            typer.echo(f"{user.username}\t{user.role.value}\t{user.jurisdiction or 'national'}\t{state}\t{user.id}")


@app.command()
def disable(username: Annotated[str, typer.Argument(help="The account to disable")]) -> None:
    """Disable an account: its tokens and API keys stop working at once."""
    with engine_for() as engine, transaction(session_factory(engine)) as session:
        user = service.find_user(session=session, username=username)
        service.disable_user(session=session, user=user, actor=CLI)
    typer.echo(f"disabled {username}")


@app.command("set-role")
def set_role(
    username: Annotated[str, typer.Argument(help="The account to change")],
    role: Annotated[Role, typer.Argument(help="clerk, investigator, trainer or administrator")],
    jurisdiction: JurisdictionOption = None,
) -> None:
    """Change an account's role and jurisdiction (tokens issued before stop working)."""
    with engine_for() as engine, transaction(session_factory(engine)) as session:
        user = service.find_user(session=session, username=username)
        service.set_role(session=session, user=user, role=role, jurisdiction=jurisdiction, actor=CLI)
    typer.echo(f"{username} is now {role.value} ({jurisdiction.upper() if jurisdiction else 'national'})")


@app.command("create-api-key")
def create_api_key(username: Annotated[str, typer.Argument(help="The account the key acts as")]) -> None:
    """Issue an API key for system imports; it is printed once and only its hash is kept."""
    with engine_for() as engine, transaction(session_factory(engine)) as session:
        user = service.find_user(session=session, username=username)
        key, full = service.create_api_key(session=session, user=user, actor=CLI)
    console.print(f"API key {key.prefix} for {username}; store it now, it is not shown again:")
    typer.echo(full)


@app.command("revoke-api-key")
def revoke_api_key(prefix: Annotated[str, typer.Argument(help="The key's prefix (the part after rk_)")]) -> None:
    """Revoke an API key."""
    with engine_for() as engine, transaction(session_factory(engine)) as session:
        service.revoke_api_key(session=session, prefix=prefix, actor=CLI)
    typer.echo(f"revoked {prefix}")
