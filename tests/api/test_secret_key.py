"""Real records are never served with the public development key (issue #12, item 3).

A token forged with the key printed in the source once read a relative's phone number from a
registry started with `registry serve`. On a database that is not a sandbox the API now refuses to
start without a key of its own; the demo sandbox makes a random one.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr
from sqlalchemy import Engine
from typer.testing import CliRunner

import api.cli.seed
from api.app import create_app
from api.cli.main import app as cli
from api.readiness import check_secret_key
from registry.db import session_factory, transaction
from registry.errors import UnsafeSettings
from registry.services.instance import claim_for_real_records, claim_for_sandbox
from registry.settings import DEVELOPMENT_SECRET_KEY, Settings, get_settings
from tests.conftest import TEST_SECRET_KEY
from tests.databases import migrated_engine, scratch_database


@pytest.fixture
def serve_env(database_url: str, monkeypatch: pytest.MonkeyPatch, engine: Engine) -> Iterator[pytest.MonkeyPatch]:
    monkeypatch.setenv("REGISTRY_DATABASE_URL", database_url)
    monkeypatch.delenv("REGISTRY_SECRET_KEY", raising=False)
    get_settings.cache_clear()
    with transaction(session_factory(engine)) as session:
        claim_for_real_records(session)
    yield monkeypatch
    get_settings.cache_clear()


@pytest.mark.parametrize("key", [None, DEVELOPMENT_SECRET_KEY, "short-but-set"])
def test_serve_refuses_real_records_without_a_key_of_its_own(serve_env: pytest.MonkeyPatch, key: str | None) -> None:
    if key is not None:
        serve_env.setenv("REGISTRY_SECRET_KEY", key)
        get_settings.cache_clear()
    started: list[Any] = []
    serve_env.setattr("api.cli.serve.uvicorn.run", lambda *args, **kwargs: started.append(kwargs))

    result = CliRunner().invoke(cli, ["serve"])

    assert result.exit_code == 1
    assert started == []
    assert "REGISTRY_SECRET_KEY" in result.output
    assert "Traceback" not in result.output


def test_serve_starts_with_a_key_of_adequate_length(serve_env: pytest.MonkeyPatch) -> None:
    serve_env.setenv("REGISTRY_SECRET_KEY", TEST_SECRET_KEY)
    get_settings.cache_clear()
    started: list[Any] = []
    serve_env.setattr("api.cli.serve.uvicorn.run", lambda *args, **kwargs: started.append(kwargs))

    result = CliRunner().invoke(cli, ["serve"])

    assert result.exit_code == 0, result.output
    assert started[0]["proxy_headers"] is False  # forwarded addresses are the app's to believe (trusted_proxies)


def test_the_app_itself_refuses_to_start_on_real_records_with_the_development_key(
    engine: Engine, database_url: str
) -> None:
    """`uvicorn api.app:create_app` without `registry serve` is held to the same rule."""
    with transaction(session_factory(engine)) as session:
        claim_for_real_records(session)
    weak = Settings(database_url=database_url, secret_key=SecretStr(DEVELOPMENT_SECRET_KEY))
    with pytest.raises(UnsafeSettings), TestClient(create_app(weak, engine=engine)):
        pass


def test_a_sandbox_may_use_the_development_key(database_url: str, tmp_path: Path) -> None:
    with scratch_database(database_url, tmp_path) as url:
        sandbox = migrated_engine(url)
        try:
            with transaction(session_factory(sandbox)) as session:
                claim_for_sandbox(session)
            check_secret_key(sandbox, Settings(database_url=url))  # no refusal
        finally:
            sandbox.dispose()


def test_the_demo_serves_with_a_random_key_of_its_own(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    served: list[Any] = []
    monkeypatch.setattr(api.cli.seed, "create_app", lambda settings: served.append(settings))
    monkeypatch.setattr(api.cli.seed.uvicorn, "run", lambda *args, **kwargs: None)
    path = tmp_path / "demo.sqlite3"
    for _ in range(2):
        result = CliRunner().invoke(cli, ["demo", "--reports", "20", "--path", str(path)])
        assert result.exit_code == 0, result.output
    keys = [settings.secret_key.get_secret_value() for settings in served]
    assert DEVELOPMENT_SECRET_KEY not in keys
    assert all(len(key) >= 32 for key in keys)
    assert keys[0] != keys[1]
