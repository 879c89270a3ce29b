"""The first administrator is made on the server, once: `registry users bootstrap-admin`, audited."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from api.cli.main import app as cli
from registry.models import AuditEvent, Role, User
from registry.settings import get_settings

PASSWORD = "the first administrator's password"


@pytest.fixture
def registry_cli(engine: Engine, database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[CliRunner]:
    monkeypatch.setenv("REGISTRY_DATABASE_URL", database_url)
    get_settings.cache_clear()
    yield CliRunner()
    get_settings.cache_clear()


def accounts(sessions: sessionmaker[Session]) -> list[tuple[str, Role, str | None]]:
    with sessions() as session:
        return [(u.username, u.role, u.jurisdiction) for u in session.scalars(select(User).order_by(User.username))]


def test_the_first_administrator_is_created_once_and_can_sign_in(
    registry_cli: CliRunner, sessions: sessionmaker[Session], app_client: TestClient
) -> None:
    created = registry_cli.invoke(cli, ["users", "bootstrap-admin", "admin.jal", "--password-stdin"], input=PASSWORD)
    again = registry_cli.invoke(cli, ["users", "bootstrap-admin", "other.admin", "--password-stdin"], input=PASSWORD)

    assert created.exit_code == 0, created.output
    assert "created administrator admin.jal (national)" in created.output
    assert PASSWORD not in created.output
    assert again.exit_code != 0
    assert "an administrator exists already" in again.output
    assert accounts(sessions) == [("admin.jal", Role.administrator, None)]
    signed_in = app_client.post("/api/v1/auth/token", data={"username": "admin.jal", "password": PASSWORD})
    assert signed_in.status_code == 200
    with sessions() as session:
        events = session.scalars(select(AuditEvent).where(AuditEvent.action.like("user.%")).order_by(AuditEvent.seq))
        assert [(e.action, e.actor_id, e.outcome) for e in events] == [
            ("user.create", "cli", "success"),
            ("user.bootstrap_admin", "cli", "success"),
        ]


def test_a_disabled_administrator_still_counts(
    registry_cli: CliRunner, sessions: sessionmaker[Session], make_user
) -> None:
    make_user(Role.administrator, None, username="old.admin")
    assert registry_cli.invoke(cli, ["users", "disable", "old.admin"]).exit_code == 0
    refused = registry_cli.invoke(cli, ["users", "bootstrap-admin", "new.admin", "--password-stdin"], input=PASSWORD)
    assert refused.exit_code != 0
    assert [name for name, _r, _j in accounts(sessions)] == ["old.admin"]


def test_the_password_comes_from_a_prompt_or_an_environment_variable(
    registry_cli: CliRunner, sessions: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    unset = registry_cli.invoke(cli, ["users", "bootstrap-admin", "admin.a", "--password-env", "FIRST_ADMIN_PW"])
    short = registry_cli.invoke(cli, ["users", "bootstrap-admin", "admin.a"], input="too short\ntoo short\n")
    monkeypatch.setenv("FIRST_ADMIN_PW", PASSWORD)
    from_env = registry_cli.invoke(cli, ["users", "bootstrap-admin", "admin.a", "--password-env", "FIRST_ADMIN_PW"])

    assert unset.exit_code != 0
    assert "FIRST_ADMIN_PW is not set" in unset.output
    assert short.exit_code != 0
    assert "at least 12 characters" in short.output
    assert from_env.exit_code == 0, from_env.output
    assert accounts(sessions) == [("admin.a", Role.administrator, None)]
