"""Changing passwords and re-enabling accounts: over the API and the CLI, each voiding old tokens and audited."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from api.cli.main import app as cli
from registry.actor import SYSTEM
from registry.db import transaction
from registry.models import AuditEvent, Role, User
from registry.services import users as users_service
from registry.settings import get_settings
from tests.conftest import TEST_PASSWORD

ME = "/api/v1/auth/me"
TOKEN = "/api/v1/auth/token"
PASSWORD = "/api/v1/auth/password"
NEW_PASSWORD = "a brand new long passphrase"


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def sign_in(client: TestClient, username: str, password: str) -> int:
    return client.post(TOKEN, data={"username": username, "password": password}).status_code


def events(sessions: sessionmaker[Session], action: str) -> list[tuple[str, str, str | None, object]]:
    with sessions() as session:
        found = session.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.seq)).all()
        return [(e.actor_id, e.outcome, e.record_id, e.detail) for e in found]


def test_a_user_changes_their_own_password_and_their_tokens_stop(
    app_client: TestClient, make_user: Callable[..., User], token_for: Callable[[User], str],
    sessions: sessionmaker[Session],
) -> None:  # fmt: skip
    user = make_user(Role.investigator, None, username="ana.inv")
    old = bearer(token_for(user))
    body = {"current_password": TEST_PASSWORD, "new_password": NEW_PASSWORD}

    response = app_client.post(PASSWORD, json=body, headers=old)

    assert response.status_code == 204, response.text
    assert app_client.get(ME, headers=old).status_code == 401
    assert sign_in(app_client, "ana.inv", TEST_PASSWORD) == 401
    assert sign_in(app_client, "ana.inv", NEW_PASSWORD) == 200
    assert events(sessions, "auth.password_change") == [(str(user.id), "success", str(user.id), None)]


def test_a_wrong_current_password_changes_nothing_and_counts_as_a_failed_sign_in(
    app_client: TestClient, make_user: Callable[..., User], token_for: Callable[[User], str],
    sessions: sessionmaker[Session],
) -> None:  # fmt: skip
    user = make_user(username="luis.clerk")
    headers = bearer(token_for(user))
    wrong = {"current_password": "not my password", "new_password": NEW_PASSWORD}

    statuses = [app_client.post(PASSWORD, json=wrong, headers=headers).status_code for _ in range(6)]

    assert statuses == [403] * 5 + [429]
    refused = app_client.post(PASSWORD, json={**wrong, "current_password": TEST_PASSWORD}, headers=headers)
    assert refused.status_code == 429  # even with the right password: the throttle answers before it is checked
    assert 1 <= int(refused.headers["retry-after"]) <= 900
    assert app_client.get(ME, headers=headers).status_code == 200  # the token still works
    assert sign_in(app_client, "luis.clerk", TEST_PASSWORD) == 429  # guessing through the API locks sign-in too
    outcomes = [outcome for _actor, outcome, _record, _detail in events(sessions, "auth.password_change")]
    assert outcomes == ["failure"] * 5 + ["denied"] * 2


def test_the_wrong_current_password_is_named(
    app_client: TestClient, make_user: Callable[..., User], token_for: Callable[[User], str]
) -> None:
    headers = bearer(token_for(make_user()))
    response = app_client.post(PASSWORD, json={"current_password": "nope", "new_password": NEW_PASSWORD},
                               headers=headers)  # fmt: skip
    assert response.status_code == 403
    assert [e["field"] for e in response.json()["errors"]] == ["current_password"]


def test_a_short_new_password_is_refused_naming_the_field(
    app_client: TestClient, make_user: Callable[..., User], token_for: Callable[[User], str]
) -> None:
    headers = bearer(token_for(make_user()))
    response = app_client.post(PASSWORD, json={"current_password": TEST_PASSWORD, "new_password": "short"},
                               headers=headers)  # fmt: skip
    assert response.status_code == 422
    assert "new_password" in response.text
    assert app_client.get(ME, headers=headers).status_code == 200


def test_an_administrator_re_enables_an_account(
    app_client: TestClient, make_user: Callable[..., User], token_for: Callable[[User], str],
    sessions: sessionmaker[Session],
) -> None:  # fmt: skip
    admin = make_user(Role.administrator, None)
    user = make_user(username="eva.clerk")
    old = bearer(token_for(user))
    with transaction(sessions) as session:
        users_service.disable_user(session=session, user=user, actor=SYSTEM)
    assert sign_in(app_client, "eva.clerk", TEST_PASSWORD) == 401

    response = app_client.post(f"/api/v1/users/{user.id}/enable", headers=bearer(token_for(admin)))

    assert response.status_code == 200
    assert response.json()["active"] is True
    assert sign_in(app_client, "eva.clerk", TEST_PASSWORD) == 200
    assert app_client.get(ME, headers=old).status_code == 401  # tokens from before the disabling stay void
    assert events(sessions, "user.enable") == [(str(admin.id), "success", str(user.id), None)]


def test_an_administrator_resets_a_password(
    app_client: TestClient, make_user: Callable[..., User], token_for: Callable[[User], str],
    sessions: sessionmaker[Session],
) -> None:  # fmt: skip
    admin = bearer(token_for(make_user(Role.administrator, None)))
    user = make_user(username="rosa.clerk")
    old = bearer(token_for(user))
    url = f"/api/v1/users/{user.id}/password"

    short = app_client.post(url, json={"password": "short"}, headers=admin)
    response = app_client.post(url, json={"password": NEW_PASSWORD}, headers=admin)

    assert short.status_code == 422
    assert "password" in short.text
    assert response.status_code == 200
    assert app_client.get(ME, headers=old).status_code == 401
    assert sign_in(app_client, "rosa.clerk", TEST_PASSWORD) == 401
    assert sign_in(app_client, "rosa.clerk", NEW_PASSWORD) == 200
    assert [(outcome, record) for _a, outcome, record, _d in events(sessions, "user.set_password")] == [
        ("success", str(user.id))
    ]


# --- the CLI -------------------------------------------------------------------------------------


@pytest.fixture
def registry_cli(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[CliRunner]:
    monkeypatch.setenv("REGISTRY_DATABASE_URL", database_url)
    get_settings.cache_clear()
    yield CliRunner()
    get_settings.cache_clear()


def test_cli_sets_a_password_and_enables_an_account(
    registry_cli: CliRunner, app_client: TestClient, make_user: Callable[..., User],
    token_for: Callable[[User], str], sessions: sessionmaker[Session],
) -> None:  # fmt: skip
    user = make_user(username="juan.clerk")
    old = bearer(token_for(user))
    with transaction(sessions) as session:
        users_service.disable_user(session=session, user=user, actor=SYSTEM)

    too_short = registry_cli.invoke(cli, ["users", "set-password", "juan.clerk"], input="short\nshort\n")
    changed = registry_cli.invoke(cli, ["users", "set-password", "juan.clerk"], input=f"{NEW_PASSWORD}\n" * 2)
    enabled = registry_cli.invoke(cli, ["users", "enable", "juan.clerk"])

    assert too_short.exit_code != 0
    assert "at least 12 characters" in too_short.output
    assert changed.exit_code == 0, changed.output
    assert NEW_PASSWORD not in changed.output
    assert enabled.exit_code == 0, enabled.output
    assert sign_in(app_client, "juan.clerk", NEW_PASSWORD) == 200
    assert app_client.get(ME, headers=old).status_code == 401
    assert [outcome for _a, outcome, _r, _d in events(sessions, "user.set_password")] == ["success"]
    assert [actor for actor, _o, _r, _d in events(sessions, "user.enable")] == ["cli"]
    assert registry_cli.invoke(cli, ["users", "enable", "no.such.user"]).exit_code != 0
