"""Connections: a unit of work that mostly reads still writes atomically, and a dead pooled connection is replaced."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, func, select, text

from registry.db import build_engine, holds_open_transaction, reading_session_factory, session_factory, transaction
from registry.models import IdempotencyKey
from tests.databases import is_postgres


class Interrupted(Exception):
    pass


def key(name: str) -> IdempotencyKey:
    return IdempotencyKey(scope="test", key=name, fingerprint="f" * 64)


def stored_keys(engine: Engine) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(IdempotencyKey)).scalar_one()


def test_a_reading_unit_of_work_that_writes_commits_all_its_writes(engine: Engine) -> None:
    with transaction(reading_session_factory(engine)) as session:
        assert session.scalar(select(func.count()).select_from(IdempotencyKey)) == 0
        session.add_all([key("one"), key("two")])
        session.flush()
    assert stored_keys(engine) == 2


def test_a_reading_unit_of_work_that_fails_after_writing_keeps_none_of_its_writes(engine: Engine) -> None:
    def write_two_then_fail() -> None:
        with transaction(reading_session_factory(engine)) as session:
            session.scalar(select(func.count()).select_from(IdempotencyKey))
            session.add(key("one"))
            session.flush()
            session.add(key("two"))
            session.flush()
            raise Interrupted

    with pytest.raises(Interrupted):
        write_two_then_fail()
    assert stored_keys(engine) == 0


def test_a_plain_read_opens_no_transaction_on_postgresql(engine: Engine) -> None:
    if not is_postgres(str(engine.url)):
        pytest.skip("SQLite connections already begin at their first write (registry.db)")
    with transaction(reading_session_factory(engine)) as session:
        session.scalar(select(func.count()).select_from(IdempotencyKey))
        status = session.connection().connection.dbapi_connection.info.transaction_status  # type: ignore[union-attr]
        assert status.name == "IDLE"
        session.add(key("one"))
        session.flush()
        status = session.connection().connection.dbapi_connection.info.transaction_status  # type: ignore[union-attr]
        assert status.name == "INTRANS"


def test_a_pooled_connection_killed_while_idle_is_replaced_before_use(engine: Engine) -> None:
    url = engine.url.render_as_string(hide_password=False)
    if not is_postgres(url):
        pytest.skip("a SQLite connection is a file handle: there is no server to lose it")
    # ping_after_idle_s=0: every checkout counts as idle, as after a database restart.
    pooled = build_engine(url, ping_after_idle_s=0.0, pool_size=1, max_overflow=0)
    try:
        with pooled.connect() as conn:
            backend = conn.execute(text("SELECT pg_backend_pid()")).scalar_one()
        with engine.connect() as admin:
            assert admin.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": backend}).scalar_one()
            admin.commit()
        with pooled.connect() as conn:
            assert conn.execute(text("SELECT pg_backend_pid()")).scalar_one() != backend
    finally:
        pooled.dispose()


def test_a_session_whose_connection_was_lost_ends_cleanly_and_keeps_none_of_its_writes(engine: Engine) -> None:
    """What SQLAlchemy does when the database drops a connection mid-transaction: the connection is invalidated.
    Ending the unit of work must then roll back and give the connection up, not raise PendingRollbackError."""
    session = session_factory(engine)()
    session.add(key("one"))
    session.flush()
    session.connection().invalidate()
    assert holds_open_transaction(session)
    session.rollback()
    session.close()
    assert stored_keys(engine) == 0
    with transaction(session_factory(engine)) as again:
        again.add(key("two"))
    assert stored_keys(engine) == 1
