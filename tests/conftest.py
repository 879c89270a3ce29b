"""Shared fixtures. The database is built by the real migrations, once per run, and wiped after each test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from api.app import create_app
from registry.db import session_factory
from registry.settings import Settings
from tests.databases import base_url, is_postgres, migrated_engine, wipe


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    return base_url(tmp_path_factory.mktemp("db"))


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


@pytest.fixture
def session(sessions: sessionmaker[Session]) -> Iterator[Session]:
    with sessions() as session:
        yield session
        session.rollback()


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(database_url=database_url)


@pytest.fixture
def client(engine: Engine, settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings, engine=engine)) as client:
        yield client


@pytest.fixture
def postgres_only(database_url: str) -> None:
    if not is_postgres(database_url):
        pytest.skip("needs PostgreSQL (set REGISTRY_TEST_DATABASE_URL)")


@pytest.fixture
def tmp_dir(tmp_path: Path) -> Path:
    return tmp_path
