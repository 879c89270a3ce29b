"""Test databases: SQLite files by default, PostgreSQL when REGISTRY_TEST_DATABASE_URL points at one."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from sqlalchemy import Engine, create_engine, make_url, text

from migrations.config import alembic_config
from registry.db import Base, build_engine

TEST_URL_VARIABLE = "REGISTRY_TEST_DATABASE_URL"


def base_url(tmp_dir: Path) -> str:
    return os.environ.get(TEST_URL_VARIABLE) or f"sqlite:///{tmp_dir / 'registry-test.sqlite3'}"


def is_postgres(url: str) -> bool:
    return url.startswith("postgresql")


@contextmanager
def scratch_database(url: str, tmp_dir: Path) -> Iterator[str]:
    """A new, empty database of the same kind as `url`, dropped afterwards."""
    if not is_postgres(url):
        path = tmp_dir / f"scratch-{uuid.uuid4().hex}.sqlite3"
        yield f"sqlite:///{path}"
        return
    parsed = make_url(url)
    name = f"{parsed.database}_scratch_{uuid.uuid4().hex[:10]}"
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            yield parsed.set(database=name).render_as_string(hide_password=False)
        finally:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


@contextmanager
def worker_database(url: str, worker: str) -> Iterator[str]:
    """A PostgreSQL database beside `url` for one test worker, created empty and dropped afterwards."""
    parsed = make_url(url)
    name = f"{parsed.database}_{worker}"
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            yield parsed.set(database=name).render_as_string(hide_password=False)
        finally:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


def migrate(url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(url), revision)


def migrated_engine(url: str) -> Engine:
    migrate(url)
    return build_engine(url)


# Tables holding reference data loaded by migrations: kept between tests.
REFERENCE_TABLES = {"registries"}


def wipe(engine: Engine) -> None:
    """Empties every data table, so that no test sees another's records."""
    with engine.begin() as conn:
        if is_postgres(engine.url.drivername):
            # The audit triggers (migration 0006) let only the retention procedure delete events, and
            # only those before the start the chain head records: in retention, the head goes first.
            conn.execute(text("SELECT set_config('registry.audit_retention', 'on', true)"))
            conn.execute(text("DELETE FROM audit_chain_head"))
        for table in reversed(Base.metadata.sorted_tables):
            if table.name not in REFERENCE_TABLES:
                conn.execute(table.delete())
