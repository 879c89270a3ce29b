"""Signing in, tokens and API keys: only a valid, current token of an active account gets in."""

from __future__ import annotations

import base64
import json
import uuid
from collections.abc import Callable
from datetime import timedelta

import jwt
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from registry.actor import SYSTEM
from registry.db import transaction, utcnow
from registry.models import ApiKey, AuditEvent, Role, User
from registry.services import auth
from registry.services import users as users_service
from registry.settings import Settings
from tests.conftest import TEST_PASSWORD

ME = "/api/v1/auth/me"
TOKEN = "/api/v1/auth/token"


def claims(user: User, settings: Settings, **overrides) -> dict:
    now = utcnow()
    base = {
        "iss": settings.token_issuer,
        "aud": settings.token_audience,
        "sub": str(user.id),
        "iat": now,
        "nbf": now,
        "exp": now + timedelta(minutes=5),
        "jti": uuid.uuid4().hex,
        "ver": user.token_version,
    }
    base.update(overrides)
    return {k: v for k, v in base.items() if v is not None}


def sign(payload: dict, key: str, algorithm: str = "HS256") -> str:
    return jwt.encode(payload, key, algorithm=algorithm)


def b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data, default=str).encode()).decode().rstrip("=")


def test_login_issues_a_token_that_opens_the_api(app_client: TestClient, make_user: Callable[..., User]) -> None:
    user = make_user(Role.investigator, None, username="ana.inv")
    response = app_client.post(TOKEN, data={"username": "ana.inv", "password": TEST_PASSWORD})
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 15 * 60
    me = app_client.get(ME, headers={"Authorization": f"Bearer {body['access_token']}"})
    assert me.json() == {"id": str(user.id), "role": "investigator", "jurisdiction": None, "via": "token"}


def test_wrong_password_is_401_and_both_outcomes_are_audited(
    app_client: TestClient, make_user: Callable[..., User], sessions: sessionmaker[Session]
) -> None:
    user = make_user(username="luis.clerk")
    assert app_client.post(TOKEN, data={"username": "luis.clerk", "password": "nope"}).status_code == 401
    assert app_client.post(TOKEN, data={"username": "nobody.here", "password": "nope"}).status_code == 401
    assert app_client.post(TOKEN, data={"username": "luis.clerk", "password": TEST_PASSWORD}).status_code == 200
    with sessions() as session:
        stmt = select(AuditEvent).where(AuditEvent.action == "auth.login").order_by(AuditEvent.seq)
        events = session.scalars(stmt).all()
    assert [(e.actor_id, e.outcome) for e in events] == [
        (str(user.id), "failure"),
        ("unknown", "failure"),
        (str(user.id), "success"),
    ]


def test_failed_logins_are_throttled_per_account_and_per_client(
    app_client: TestClient, make_user: Callable[..., User]
) -> None:
    make_user(username="eva.clerk")
    for _ in range(5):
        assert app_client.post(TOKEN, data={"username": "eva.clerk", "password": "wrong"}).status_code == 401
    locked = app_client.post(TOKEN, data={"username": "eva.clerk", "password": TEST_PASSWORD})
    assert locked.status_code == 429
    assert 1 <= int(locked.headers["retry-after"]) <= 900
    # Another account from the same client still gets in, until the client's own limit (20) is reached.
    make_user(username="other.clerk")
    assert app_client.post(TOKEN, data={"username": "other.clerk", "password": TEST_PASSWORD}).status_code == 200
    for i in range(15):
        app_client.post(TOKEN, data={"username": f"guess-{i}", "password": "wrong"})
    assert app_client.post(TOKEN, data={"username": "other.clerk", "password": TEST_PASSWORD}).status_code == 429


@pytest.mark.parametrize(
    "forge",
    ["forged", "expired", "wrong_audience", "wrong_issuer", "alg_none", "tampered", "other_algorithm", "no_expiry",
     "garbage", "unknown_user"],
)  # fmt: skip
def test_bad_tokens_are_refused(
    app_client: TestClient, make_user: Callable[..., User], settings: Settings, forge: str
) -> None:
    user = make_user(Role.investigator, None)
    key = settings.secret_key.get_secret_value()
    good = claims(user, settings)
    tokens = {
        "forged": lambda: sign(good, "not-the-server-key-but-long-enough-32b"),
        "expired": lambda: sign(claims(user, settings, exp=utcnow() - timedelta(seconds=5)), key),
        "wrong_audience": lambda: sign(claims(user, settings, aud="another-api"), key),
        "wrong_issuer": lambda: sign(claims(user, settings, iss="someone-else"), key),
        "alg_none": lambda: f"{b64({'alg': 'none', 'typ': 'JWT'})}.{b64(good)}.",
        "tampered": lambda: _tampered(sign(good, key), {**good, "sub": str(make_user(Role.administrator, None).id)}),
        "other_algorithm": lambda: sign(good, key, "HS512"),
        "no_expiry": lambda: sign(claims(user, settings, exp=None), key),
        "garbage": lambda: "not.a.token",
        "unknown_user": lambda: sign(claims(user, settings, sub=str(uuid.uuid4())), key),
    }
    response = app_client.get(ME, headers={"Authorization": f"Bearer {tokens[forge]()}"})
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert app_client.get(ME, headers={"Authorization": f"Bearer {sign(good, key)}"}).status_code == 200


def _tampered(token: str, payload: dict) -> str:
    header, _payload, signature = token.split(".")
    return f"{header}.{b64(payload)}.{signature}"


def test_a_disabled_account_is_refused_at_once(
    app_client: TestClient, make_user: Callable[..., User], token_for: Callable[[User], str],
    sessions: sessionmaker[Session],
) -> None:  # fmt: skip
    user = make_user()
    headers = {"Authorization": f"Bearer {token_for(user)}"}
    assert app_client.get(ME, headers=headers).status_code == 200
    with transaction(sessions) as session:
        users_service.disable_user(session=session, user=user, actor=SYSTEM)
    assert app_client.get(ME, headers=headers).status_code == 401
    assert app_client.post(TOKEN, data={"username": user.username, "password": TEST_PASSWORD}).status_code == 401


def test_a_role_change_voids_older_tokens(
    app_client: TestClient, make_user: Callable[..., User], token_for: Callable[[User], str],
    sessions: sessionmaker[Session],
) -> None:  # fmt: skip
    user = make_user()
    old = {"Authorization": f"Bearer {token_for(user)}"}
    with transaction(sessions) as session:
        changed = users_service.set_role(session=session, user=user, role=Role.investigator, jurisdiction=None,
                                         actor=SYSTEM)  # fmt: skip
    assert app_client.get(ME, headers=old).status_code == 401
    fresh = {"Authorization": f"Bearer {token_for(changed)}"}
    assert app_client.get(ME, headers=fresh).json()["role"] == "investigator"


def test_api_keys_are_shown_once_stored_hashed_and_revocable(
    app_client: TestClient, make_user: Callable[..., User], sessions: sessionmaker[Session]
) -> None:
    owner = make_user(Role.clerk, "JAL")
    with transaction(sessions) as session:
        key, full = users_service.create_api_key(session=session, user=owner, actor=SYSTEM)
    with sessions() as session:
        stored = session.scalars(select(ApiKey)).one()
    assert full[-16:] not in stored.key_hash  # the secret's tail (it may itself contain "_")
    assert full not in repr(stored.__dict__)
    headers = {"X-API-Key": full}
    assert app_client.get(ME, headers=headers).json()["via"] == "api_key"
    assert app_client.get("/api/v1/reports", headers=headers).status_code == 403  # imports only
    wrong = full[:-2] + ("aa" if not full.endswith("aa") else "bb")
    assert app_client.get(ME, headers={"X-API-Key": wrong}).status_code == 401
    with transaction(sessions) as session:
        users_service.revoke_api_key(session=session, prefix=key.prefix, actor=SYSTEM)
    assert app_client.get(ME, headers=headers).status_code == 401


def test_passwords_are_hashed_with_argon2id(sessions: sessionmaker[Session]) -> None:
    with transaction(sessions) as session:
        user = users_service.create_user(session=session, username="new.admin", password="a long enough secret",
                                         role=Role.administrator, jurisdiction=None, actor=SYSTEM)  # fmt: skip
    assert user.password_hash.startswith("$argon2id$")
    assert auth.verify_password(user.password_hash, "a long enough secret")
    assert not auth.verify_password(user.password_hash, "a long enough secreT")


def test_demo_accounts_cover_every_role(sessions: sessionmaker[Session], app_client: TestClient) -> None:
    with transaction(sessions) as session:
        accounts = users_service.create_demo_accounts(session)
    assert {role for _u, _p, role, _j in accounts} == {r.value for r in Role}
    username, password, _role, jurisdiction = accounts[0]
    assert jurisdiction == "JAL"
    assert app_client.post(TOKEN, data={"username": username, "password": password}).status_code == 200


def test_every_response_carries_a_request_id(app_client: TestClient) -> None:
    first = app_client.get("/healthz").headers["x-request-id"]
    second = app_client.get(ME).headers["x-request-id"]
    assert first != second
    assert len(first) == 32
