"""Console fixtures: a browser-like client signed in through the console's own sign-in form."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from api.app import create_app
from registry.models import Role, User
from registry.settings import Settings
from tests.conftest import TEST_PASSWORD

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(html: str) -> str:
    found = CSRF.search(html)
    assert found, "the page has no form token"
    return found.group(1)


def replace_cookie(client: TestClient, name: str, value: str) -> None:
    """Puts `value` in the client's jar in place of the cookie the server set (same domain and path)."""
    existing = [c for c in client.cookies.jar if c.name == name]
    domain = existing[0].domain if existing else "testserver.local"
    client.cookies.delete(name)
    client.cookies.set(name, value, domain=domain, path="/console")


def sign_in(client: TestClient, username: str, password: str = TEST_PASSWORD) -> TestClient:
    page = client.get("/console/login")
    response = client.post(
        "/console/login",
        data={"username": username, "password": password, "csrf_token": csrf_of(page.text)},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return client


@pytest.fixture
def console_client(engine: Engine, settings: Settings) -> Iterator[Callable[..., TestClient]]:
    """A new client of the console (not signed in); base_url picks http or https."""
    clients: list[TestClient] = []

    def make(base_url: str = "http://testserver") -> TestClient:
        client = TestClient(create_app(settings, engine=engine), base_url=base_url)
        client.__enter__()
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.__exit__(None, None, None)


@pytest.fixture
def console_as(console_client: Callable[..., TestClient], make_user: Callable[..., User]) -> Callable[..., TestClient]:
    """A client signed in to the console with a new account of this role and jurisdiction."""

    def make(role: Role | str, jurisdiction: str | None = None) -> TestClient:
        user = make_user(role, jurisdiction)
        return sign_in(console_client(), user.username)

    return make
