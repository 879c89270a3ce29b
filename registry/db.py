"""Engine, declarative base and the one naming convention; SQLite is handled here and nowhere else."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import JSON, Connection, DateTime, Engine, MetaData, Table, create_engine, event, exc
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.pool import ConnectionPoolEntry, StaticPool
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

JSONDocument = JSON().with_variant(JSONB(), "postgresql")


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored in UTC and always read back timezone-aware (SQLite forgets the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("timestamps must be timezone-aware")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def table_of(model: type[Base]) -> Table:
    """The Core table of a mapped class: for statements built once, bulk inserts and COPY."""
    return cast(Table, model.__table__)


def is_sqlite(url: str) -> bool:
    return url.startswith("sqlite")


def _configure_sqlite(dbapi_connection: Any, _record: Any) -> None:
    # pysqlite's own transaction handling lets a RELEASE SAVEPOINT commit the whole transaction;
    # turn it off and begin transactions ourselves (see _begin_before_first_write).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


_WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE", "SAVEPOINT")


def _begin_before_first_write(
    connection: Any, _cursor: Any, statement: str, _parameters: Any, _context: Any, _executemany: bool
) -> None:
    """Reads before a transaction's first write see the latest data; the first write takes the write lock.

    A SQLite transaction that began by reading cannot write once another connection has written
    (SQLITE_BUSY_SNAPSHOT, with no waiting), so a transaction begins, IMMEDIATE, at its first write.
    """
    dbapi_connection = connection.connection.dbapi_connection
    if not dbapi_connection.in_transaction and statement.lstrip()[:9].upper().startswith(_WRITES):
        dbapi_connection.execute("BEGIN IMMEDIATE")


# A pooled connection used this recently is taken to be alive; one idle longer is pinged first. A
# database restart takes longer than this, so a connection that outlived one is always pinged, while
# a busy API does not pay a round trip per request for a ping.
PING_AFTER_IDLE_S = 1.0


def _ping_when_idle(engine: Engine, idle_s: float) -> None:
    """Pings a connection at checkout when it has been idle longer than `idle_s`; a dead one is replaced."""
    dialect = engine.dialect

    def checkin(_dbapi_connection: Any, record: ConnectionPoolEntry) -> None:
        record.info["returned_at"] = time.monotonic()

    def checkout(dbapi_connection: Any, record: ConnectionPoolEntry, _proxy: Any) -> None:
        returned = record.info.get("returned_at")
        if returned is not None and time.monotonic() - returned < idle_s:
            return
        try:
            dialect.do_ping(dbapi_connection)
            dbapi_connection.rollback()  # the ping must not leave a transaction open
        except Exception as error:
            # The pool discards this connection and checks out (or makes) another.
            raise exc.DisconnectionError(f"a pooled connection was dead: {type(error).__name__}") from error

    event.listen(engine, "checkin", checkin)
    event.listen(engine, "checkout", checkout)


def _begin_before_first_write_pg(
    connection: Any, _cursor: Any, statement: str, _parameters: Any, _context: Any, _executemany: bool
) -> None:
    """On a connection in autocommit mode (a unit of work that mostly reads), the first statement that is
    not a plain SELECT opens a transaction, so that its writes still commit or roll back together."""
    dbapi_connection = connection.connection.dbapi_connection
    if not dbapi_connection.autocommit or dbapi_connection.info.transaction_status != 0:  # 0: idle
        return
    head = statement.lstrip()[:6].upper()
    if head != "SELECT" or " FOR " in statement.upper():  # FOR UPDATE/SHARE locks need a transaction
        with dbapi_connection.cursor() as cursor:
            cursor.execute("BEGIN")


def build_engine(url: str, *, ping_after_idle_s: float = PING_AFTER_IDLE_S, **kwargs: Any) -> Engine:
    """An engine for the URL; SQLite gets foreign keys on and a connection setup fit for several threads."""
    if is_sqlite(url):
        connect_args = {"check_same_thread": False, "timeout": 30}
        if url in ("sqlite://", "sqlite:///:memory:"):
            kwargs.setdefault("poolclass", StaticPool)
        engine = create_engine(url, connect_args=connect_args, **kwargs)
        event.listen(engine, "connect", _configure_sqlite)
        event.listen(engine, "before_cursor_execute", _begin_before_first_write)
        return engine
    kwargs.setdefault("pool_size", 10)
    kwargs.setdefault("max_overflow", 20)
    engine = create_engine(url, **kwargs)
    if not kwargs.get("pool_pre_ping"):
        _ping_when_idle(engine, ping_after_idle_s)
    event.listen(engine, "before_cursor_execute", _begin_before_first_write_pg)
    return engine


def _remember_connection(session: Session, _transaction: Any, connection: Connection) -> None:
    session.info["connection"] = connection


def session_factory(engine: Engine) -> sessionmaker[Session]:
    factory = sessionmaker(bind=engine, expire_on_commit=False, autoflush=False)
    event.listen(factory, "after_begin", _remember_connection)
    return factory


def holds_open_transaction(session: Session) -> bool:
    """Whether ending the session has something to send to the database (a COMMIT or ROLLBACK).

    False for a session that never ran a statement, or whose connection ran only reads outside a
    transaction (`reading_session_factory`): ending it then does no I/O at all.
    """
    connection: Connection | None = session.info.get("connection")
    if connection is None or connection.closed:
        return False
    if connection.invalidated:
        # The database connection was lost mid-transaction. Asking for it again would raise
        # PendingRollbackError; the session's rollback is what releases it (to the pool, as invalid).
        return True
    dbapi_connection = connection.connection.dbapi_connection
    if dbapi_connection is None:
        return True  # invalidated: let the ordinary end deal with it
    if is_sqlite(connection.engine.url.drivername):
        return bool(dbapi_connection.in_transaction)
    return bool(dbapi_connection.info.transaction_status != 0)  # 0: idle


def reading_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions for units of work that mostly read (an HTTP GET): no transaction until the first write.

    Reads then cost no BEGIN and COMMIT round trips on PostgreSQL; they see what a READ COMMITTED
    transaction would see, statement by statement. SQLite connections work this way already.
    """
    if is_sqlite(engine.url.drivername):
        return session_factory(engine)
    return session_factory(engine.execution_options(isolation_level="AUTOCOMMIT"))


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """The one place a unit of work commits: on success it commits, on any error it rolls back."""
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
