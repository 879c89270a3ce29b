"""Inserting many rows at once, as fast as each database allows (imports write tens of thousands)."""

from __future__ import annotations

import functools
import json
import operator
from collections.abc import Callable, Sequence
from typing import Any

import psycopg
from sqlalchemy import JSON, Table, insert
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

# INSERT with the database's own clauses (ON CONFLICT …), for the two databases the registry runs on.
DIALECT_INSERTS: dict[str, Callable[[Table], postgresql.Insert | sqlite.Insert]] = {
    "postgresql": postgresql.insert,
    "sqlite": sqlite.insert,
}

# Fewer rows than this go through SQLAlchemy's insert: the fast paths below pay off for batches.
FAST_INSERT_ROWS = 50


def insert_many(session: Session, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Inserts many rows of the same shape: COPY on PostgreSQL, a plain executemany on SQLite.

    psycopg's executemany sends one statement per row, and SQLAlchemy's executemany spends more
    per row building parameters than SQLite spends inserting them; imports insert tens of
    thousands of rows. Both fast paths convert values with the columns' own SQLAlchemy types.
    """
    if not rows:
        return
    connection = session.connection()
    columns = tuple(rows[0])
    if len(rows) < FAST_INSERT_ROWS or _needs_defaults(table, columns):
        connection.execute(insert(table), list(rows))
        return
    if connection.dialect.name != "postgresql":
        statement, order = _insert_statement(table, columns, connection.dialect)
        convert = _converter(table, order, connection.dialect)
        connection.exec_driver_sql(statement, [tuple(convert(row)) for row in rows])
        return
    convert = _converter(table, columns, connection.dialect)
    cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
    statement = f"COPY {_quoted(table, columns, connection.dialect)} FROM STDIN"
    try:
        with cursor, cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row(convert(row))
    except psycopg.errors.IntegrityError as exc:
        # The same error SQLAlchemy raises on the other path, so that callers handle one kind.
        raise IntegrityError(statement, None, exc) from exc


def _needs_defaults(table: Table, columns: tuple[str, ...]) -> bool:
    """Whether a column the rows leave out has a default that only SQLAlchemy's insert applies."""
    return any(column.default is not None and column.name not in columns for column in table.c)


def _quoted(table: Table, columns: tuple[str, ...], dialect: Dialect) -> str:
    quote = dialect.identifier_preparer.quote
    return f"{dialect.identifier_preparer.format_table(table)} ({', '.join(quote(name) for name in columns)})"


@functools.lru_cache(maxsize=64)
def _insert_statement(table: Table, columns: tuple[str, ...], dialect: Dialect) -> tuple[str, tuple[str, ...]]:
    """SQLAlchemy's own INSERT of these columns, as driver SQL, and the order its parameters take."""
    compiled = insert(table).compile(dialect=dialect, column_keys=list(columns))
    order = tuple(compiled.positiontup or ())
    if sorted(order) != sorted(columns):  # pragma: no cover - guarded by _needs_defaults
        raise ValueError(f"cannot insert {columns} into {table.name} without SQLAlchemy's defaults")
    return str(compiled), order


def _json_text(value: Any) -> str | None:
    """A JSON document as PostgreSQL reads it in COPY: what psycopg's Jsonb adapter would send."""
    if value is None:
        return None
    return "[]" if value == [] else json.dumps(value)


def _empty_list_first(processor: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """A JSON column's processor that writes an empty list without serialising it: most list columns of an
    imported record (aliases, marks, vulnerability, CURP problems) are empty, and the text is the same."""

    def process(value: Any) -> Any:
        return "[]" if value == [] else processor(value)

    return process


@functools.lru_cache(maxsize=64)
def _converter(table: Table, columns: tuple[str, ...], dialect: Dialect) -> Callable[[dict[str, Any]], list[Any]]:
    """A function that turns a row (a dict) into its values in column order, as the driver takes them.

    On SQLite each value goes through its column type's bind processor, as in SQLAlchemy's own
    insert; psycopg adapts values itself, except JSON documents (a list would become an array).
    """
    values_of = operator.itemgetter(*columns)
    processors: list[tuple[int, Callable[[Any], Any]]] = []
    for index, name in enumerate(columns):
        column_type = table.c[name].type
        if dialect.name == "postgresql":
            if isinstance(column_type, JSON):
                processors.append((index, _json_text))
            continue
        processor = column_type.dialect_impl(dialect).bind_processor(dialect)
        if processor is not None:
            processors.append((index, _empty_list_first(processor) if isinstance(column_type, JSON) else processor))

    def convert(row: dict[str, Any]) -> list[Any]:
        values = list(values_of(row)) if len(columns) > 1 else [values_of(row)]
        for index, processor in processors:
            values[index] = processor(values[index])
        return values

    return convert
