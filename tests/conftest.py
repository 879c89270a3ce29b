"""Shared fixtures. The database is built by the real migrations, once per run, and wiped after each test.

`client` is signed in as a clerk of Jalisco (JAL); `make_user`, `headers_for` and `client_as` give
other roles and jurisdictions. Every test's application logs and audit events are scanned for
personal data (CURPs, the names the suite writes) at its end.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from api.app import create_app
from registry.db import session_factory, transaction
from registry.i18n import use_language
from registry.models import AuditEvent, Role, User
from registry.services import auth
from registry.settings import Settings, get_settings
from tests.databases import base_url, is_postgres, migrated_engine, wipe, worker_database

TEST_PASSWORD = "correct horse battery staple"

# --- personal data scan ----------------------------------------------------------------------

CURP = re.compile(r"\b[A-Z][AEIOUX][A-Z]{2}\d{6}[HMX][A-Z]{5}[A-Z0-9]\d\b")
# Names the suite writes into records (tests/builders.py, tests/api/…), distinctive enough to search for.
KNOWN_NAMES = re.compile(
    r"\b(Mar[ií]a|Guadalupe|Hern[aá]ndez|Garc[ií]a|Xolalpa|Tzompantzi|Cuautle|Canul|Otra)\b", re.IGNORECASE
)
# Loggers that are the application's (the test client's own, httpx, is not).
APP_LOGGERS = ("registry", "api", "uvicorn", "matching", "seed")


def personal_data_in(text: str) -> list[str]:
    return CURP.findall(text) + KNOWN_NAMES.findall(text)


class _Collector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def texts(self) -> list[str]:
        return [
            self.format(r) + (r.exc_text or "") for r in self.records if not r.name.startswith(("httpx", "httpcore"))
        ]


@pytest.fixture
def captured_logs() -> Iterator[_Collector]:
    """Every application log record of the test, at every level."""
    collector = _Collector()
    root = logging.getLogger()
    previous = {name: logging.getLogger(name).level for name in APP_LOGGERS}
    root.addHandler(collector)
    for name in APP_LOGGERS:
        logging.getLogger(name).setLevel(logging.DEBUG)
    try:
        yield collector
    finally:
        root.removeHandler(collector)
        for name, level in previous.items():
            logging.getLogger(name).setLevel(level)


def audit_texts(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        rows = conn.execute(select(AuditEvent.__table__)).mappings().all()
    return [repr(dict(row)) for row in rows]


@pytest.fixture(autouse=True)
def _no_personal_data(request: pytest.FixtureRequest, captured_logs: _Collector) -> Iterator[None]:
    """After each test: neither its logs nor the audit events it left hold a CURP or a name."""
    engine: Engine | None = request.getfixturevalue("engine") if "engine" in request.fixturenames else None
    yield
    texts = captured_logs.texts()
    if engine is not None:
        texts += audit_texts(engine)
    found = sorted({hit for text in texts for hit in personal_data_in(text)})
    assert found == [], f"personal data in logs or audit events: {found}"


# --- databases -------------------------------------------------------------------------------


# The test databases hold no sandbox mark, so the app needs a key of adequate length to serve them.
TEST_SECRET_KEY = "test-secret-key-" + "k" * 40


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Iterator[str]:
    """The run's database; with pytest-xdist each worker on PostgreSQL gets a database of its own."""
    url = base_url(tmp_path_factory.mktemp("db"))
    if is_postgres(url) and worker_id != "master":
        with worker_database(url, worker_id) as own:
            yield own
    else:
        yield url


@pytest.fixture(scope="session")
def _engine(database_url: str) -> Iterator[Engine]:
    engine = migrated_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def engine(_engine: Engine) -> Iterator[Engine]:
    yield _engine
    wipe(_engine)


@pytest.fixture
def sessions(engine: Engine) -> sessionmaker[Session]:
    return session_factory(engine)


@pytest.fixture(scope="session", autouse=True)
def _english_by_default() -> Iterator[None]:
    """The suite reads English unless a test asks for another language (tests/i18n/ do): a registry's
    default is es-MX, so the settings every test builds, the CLI and the services are told otherwise."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("REGISTRY_DEFAULT_LANGUAGE", "en")
        yield


@pytest.fixture(autouse=True)
def _language_of_the_test() -> Iterator[str]:
    """Each test's own language scope (English), so that a language one test sets never leaks into the next."""
    with use_language("en") as language:
        yield language


@pytest.fixture
def session(sessions: sessionmaker[Session]) -> Iterator[Session]:
    with sessions() as session:
        yield session
        session.rollback()


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(database_url=database_url, secret_key=SecretStr(TEST_SECRET_KEY))


# --- accounts and signed-in clients ----------------------------------------------------------


@pytest.fixture(scope="session")
def _password_hash() -> str:
    return auth.hash_password(TEST_PASSWORD)  # once: Argon2id is slow on purpose


@pytest.fixture
def make_user(sessions: sessionmaker[Session], _password_hash: str) -> Callable[..., User]:
    """Creates an active account (password TEST_PASSWORD) straight in the database."""
    counter = iter(range(1_000_000))

    def make(role: Role | str = Role.clerk, jurisdiction: str | None = "JAL", username: str | None = None) -> User:
        role = Role(role)
        name = username or f"{role.value}-{(jurisdiction or 'nat').lower()}-{next(counter)}"
        with transaction(sessions) as session:
            user = User(username=name, password_hash=_password_hash, role=role, jurisdiction=jurisdiction)
            session.add(user)
            session.flush()
            session.refresh(user)
        return user

    return make


@pytest.fixture
def token_for(settings: Settings) -> Callable[[User], str]:
    return lambda user: auth.issue_token(user=user, settings=settings)


@pytest.fixture
def headers_for(make_user: Callable[..., User], token_for: Callable[[User], str]) -> Callable[..., dict[str, str]]:
    """Authorization headers of a new account with this role and jurisdiction."""

    def headers(role: Role | str = Role.clerk, jurisdiction: str | None = "JAL") -> dict[str, str]:
        return {"Authorization": f"Bearer {token_for(make_user(role, jurisdiction))}"}

    return headers


@pytest.fixture
def auth_headers(headers_for: Callable[..., dict[str, str]]) -> dict[str, str]:
    """A Jalisco clerk's headers (for live-server tests that build their own HTTP client)."""
    return headers_for(Role.clerk, "JAL")


@pytest.fixture
def app_client(engine: Engine, settings: Settings) -> Iterator[TestClient]:
    """The app, without credentials: pass headers per request."""
    with TestClient(create_app(settings, engine=engine)) as client:
        yield client


@pytest.fixture
def client(app_client: TestClient, auth_headers: dict[str, str]) -> TestClient:
    """The app as a clerk of Jalisco: may create and correct JAL records."""
    app_client.headers.update(auth_headers)
    return app_client


@pytest.fixture
def client_as(
    engine: Engine, settings: Settings, headers_for: Callable[..., dict[str, str]]
) -> Iterator[Callable[..., TestClient]]:
    """A client signed in with a new account of the given role and jurisdiction."""
    clients: list[TestClient] = []

    def make(role: Role | str, jurisdiction: str | None = None) -> TestClient:
        client = TestClient(create_app(settings, engine=engine), headers=headers_for(role, jurisdiction))
        client.__enter__()
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.__exit__(None, None, None)


@pytest.fixture
def postgres_only(database_url: str) -> None:
    if not is_postgres(database_url):
        pytest.skip("needs PostgreSQL (set REGISTRY_TEST_DATABASE_URL)")


@pytest.fixture
def tmp_dir(tmp_path: Path) -> Path:
    return tmp_path


@pytest.fixture
def registry_cli(database_url: str, monkeypatch: pytest.MonkeyPatch, engine: Engine) -> Iterator[CliRunner]:
    """The `registry` command line pointed at the test database (settings read afresh)."""
    monkeypatch.setenv("REGISTRY_DATABASE_URL", database_url)
    get_settings.cache_clear()
    yield CliRunner()
    get_settings.cache_clear()
