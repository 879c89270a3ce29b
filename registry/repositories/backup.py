"""Queries for backups: which tables the database holds, how many rows each, its revision, its snapshot."""

from __future__ import annotations

from sqlalchemy import Connection, inspect, select, table, text
from sqlalchemy.sql.functions import count


def table_names(conn: Connection) -> list[str]:
    """Every table of the database's default schema (Alembic's own included), sorted."""
    return sorted(inspect(conn).get_table_names())


def table_counts(conn: Connection) -> dict[str, int]:
    """Rows per table, read in the connection's current transaction (so within one snapshot)."""
    return {
        name: int(conn.execute(select(count()).select_from(table(name))).scalar_one()) for name in table_names(conn)
    }


def revision(conn: Connection) -> str | None:
    """The Alembic revision the database is at, if it was migrated."""
    if "alembic_version" not in table_names(conn):
        return None
    return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def export_snapshot(conn: Connection) -> str:
    """PostgreSQL: the id of this transaction's snapshot, for `pg_dump --snapshot` while it stays open."""
    return str(conn.execute(text("SELECT pg_export_snapshot()")).scalar_one())
