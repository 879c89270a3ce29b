"""What `registry serve` says on start: the database (no password), the records, the address, unsafe settings;
and each API process logs how long its matching index took to build (counts only)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

import api.cli.serve as serve_command
from api.app import create_app
from api.cli.main import app as cli
from registry.actor import SYSTEM
from registry.db import transaction
from registry.record_types import REPORTS
from registry.services import records as records_service
from registry.settings import Settings, get_settings
from tests.builders import report_payload
from tests.conftest import TEST_SECRET_KEY
from tests.databases import is_postgres


class FakeUvicorn:
    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []

    def run(self, *args: Any, **kwargs: Any) -> None:
        self.calls.append(kwargs)


@pytest.fixture
def uvicorn_stub(monkeypatch: pytest.MonkeyPatch) -> FakeUvicorn:
    fake = FakeUvicorn()
    monkeypatch.setattr(serve_command, "uvicorn", fake)
    return fake


def serve(monkeypatch: pytest.MonkeyPatch, database_url: str, *args: str) -> str:
    monkeypatch.setenv("REGISTRY_DATABASE_URL", database_url)
    monkeypatch.setenv("REGISTRY_SECRET_KEY", TEST_SECRET_KEY)
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(cli, ["serve", *args])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    return " ".join(result.output.split())  # the console wraps long lines


def test_serve_says_what_it_serves_and_warns_about_an_exposed_address(
    engine: Engine, database_url: str, sessions: sessionmaker[Session],
    monkeypatch: pytest.MonkeyPatch, uvicorn_stub: FakeUvicorn,
) -> None:  # fmt: skip
    with transaction(sessions) as session:
        records_service.create_record(
            session=session, rtype=REPORTS, data=REPORTS.create_schema.model_validate(report_payload()), actor=SYSTEM
        )
    output = serve(monkeypatch, database_url, "--host", "0.0.0.0", "--port", "8123", "--workers", "2")

    assert "records: 1 missing-person reports, 0 unidentified remains" in output
    assert "address: http://0.0.0.0:8123 (2 workers" in output
    assert "with no reverse proxy named (REGISTRY_TRUSTED_PROXIES is empty)" in output
    assert ("the database is SQLite and holds real records" in output) is not is_postgres(database_url)
    assert [(c["host"], c["port"], c["workers"]) for c in uvicorn_stub.calls] == [("0.0.0.0", 8123, 2)]


def test_serve_on_loopback_with_safe_settings_does_not_warn_about_the_network(
    engine: Engine, database_url: str, monkeypatch: pytest.MonkeyPatch, uvicorn_stub: FakeUvicorn
) -> None:
    output = serve(monkeypatch, database_url)
    assert "address: http://127.0.0.1:8000 (1 worker;" in output
    assert "reverse proxy" not in output
    assert "token" not in output.lower()


def test_the_database_password_is_never_printed() -> None:
    shown = serve_command.displayed_url("postgresql+psycopg://registry:s3cret-pass@db:5432/registry")
    assert "s3cret-pass" not in shown
    assert shown == "postgresql+psycopg://registry:***@db:5432/registry"


@pytest.mark.parametrize(
    ("changes", "warning"),
    [
        ({"token_minutes": 240}, "access tokens last 240 minutes"),
        ({"refresh_idle_minutes": 720, "refresh_absolute_hours": 12}, "an idle session is never signed out"),
        ({"refresh_absolute_hours": 72}, "sign-in sessions last 72 hours"),
        ({"trusted_proxies": ["0.0.0.0/0"]}, "trusts every address"),
    ],
)
def test_unsafe_session_and_proxy_settings_are_named(changes: dict[str, Any], warning: str) -> None:
    config = Settings(database_url="postgresql+psycopg://db/registry", audit_key=SecretStr("k" * 40), **changes)
    assert [w for w in serve_command.startup_warnings(config, host="127.0.0.1", workers=4, sandbox=False)
            if warning in w]  # fmt: skip
    assert serve_command.startup_warnings(
        Settings(database_url="postgresql+psycopg://db/registry", audit_key=SecretStr("k" * 40)),
        host="127.0.0.1", workers=4, sandbox=False,
    ) == []  # fmt: skip


def test_each_api_process_logs_its_index_build_time(
    engine: Engine, settings: Settings, captured_logs: Any, make_user: Callable[..., Any]
) -> None:
    with TestClient(create_app(settings, engine=engine)) as client:
        assert client.get("/healthz").status_code == 200
    lines = [r.getMessage() for r in captured_logs.records if r.getMessage().startswith("matching index built")]
    assert len(lines) == 1
    assert lines[0].startswith("matching index built: 0 records in ")


def test_every_interface_behind_a_named_proxy_is_the_expected_container_setup() -> None:
    config = Settings(
        database_url="postgresql+psycopg://db/registry", audit_key=SecretStr("k" * 40), trusted_proxies=["172.30.0.10"]
    )
    assert serve_command.startup_warnings(config, host="0.0.0.0", workers=2, sandbox=False) == []
