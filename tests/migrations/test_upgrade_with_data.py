"""A registry created by the first release, holding data, upgrades to the head and back one step, losing nothing.

The first release's schema is built by its own migrations (up to FIRST_RELEASE) and filled through
that schema as the database itself reflects it (not through today's models, which know later
columns): every table gets rows in every column, referencing each other as the foreign keys say;
the audit trail is a real hash chain, hashed as the first release hashed it. After `upgrade head`
every row and value is still there and `registry audit verify` passes; after `downgrade -1` too.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command
from sqlalchemy.engine import Connection
from typer.testing import CliRunner

from api.cli.main import app as cli
from migrations.config import alembic_config
from registry.db import build_engine
from registry.settings import get_settings
from tests.databases import scratch_database

FIRST_RELEASE = "0005"  # the head of the first release (2026-11-28-0600_add_candidate_pairs_…)
ROWS = 3
REFERENCE = {"registries", "alembic_version"}  # loaded by the migrations themselves
GENESIS = "0" * 64
WHEN = datetime(2026, 11, 30, 12, 0, 0, 123456, tzinfo=UTC)

# The first release's audit hash, frozen here: events it wrote must verify under every later release.
FIRST_RELEASE_HASHED = (
    "seq", "occurred_at", "actor_id", "role", "jurisdiction", "action", "record_kind", "record_id", "outcome",
    "request_id", "detail", "prev_hash",
)  # fmt: skip


def first_release_hash(fields: dict[str, Any]) -> str:
    content = {name: fields.get(name) for name in FIRST_RELEASE_HASHED}
    content["occurred_at"] = fields["occurred_at"].astimezone(UTC).isoformat(timespec="microseconds")
    return hashlib.sha256(json.dumps(content, sort_keys=True, separators=(",", ":")).encode("ascii")).hexdigest()


def value_for(column: sa.Column[Any], i: int) -> Any:
    """A valid value for a column of the reflected schema (within the first release's CHECK ranges)."""
    kind = column.type
    if isinstance(kind, sa.Enum) and kind.enums:
        return kind.enums[i % len(kind.enums)]
    try:
        python_type = kind.python_type
    except NotImplementedError:
        python_type = str
    if python_type is bool:
        return i % 2 == 0
    if python_type is int:
        return 100 + i  # inside every range the first release checks (ages, heights, versions)
    if python_type is float:
        return 0.5 + i / 10
    if python_type is datetime:
        return WHEN + timedelta(minutes=i)
    if python_type is date:
        return date(2021, 3, 2 + i)
    if python_type is uuid.UUID:
        return uuid.uuid4()
    if python_type in (dict, list):
        return {"kept": i}
    length = getattr(kind, "length", None) or 64
    if length <= 3:
        return "JAL"
    return f"{column.name}-{i}"[:length]


def fill(conn: Connection, metadata: sa.MetaData) -> None:
    """ROWS rows in every table (one in single-row tables), each foreign key pointing at a row that exists."""
    inserted: dict[str, list[dict[str, Any]]] = {}
    # The chain head names the last event: it is written after them.
    order = sorted(metadata.sorted_tables, key=lambda t: t.name == "audit_chain_head")
    for table in order:
        if table.name in REFERENCE:
            inserted[table.name] = [dict(r) for r in conn.execute(sa.select(table)).mappings()]
            continue
        single = any("id = 1" in str(getattr(c, "sqltext", "")) for c in table.constraints)
        rows = []
        for i in range(1 if single else ROWS):
            row = {c.name: value_for(c, i) for c in table.columns}
            for key in table.primary_key.columns:
                if isinstance(row[key.name], int):
                    row[key.name] = 1 if single else i + 1
            for fk in table.foreign_keys:
                parents = inserted[fk.column.table.name]
                row[fk.parent.name] = parents[i % len(parents)][fk.column.name]
            rows.append(row)
        if table.name == "audit_events":
            previous = GENESIS
            for i, row in enumerate(rows):
                row.update(seq=i + 1, prev_hash=previous, outcome="success", detail={"created": i}, occurred_at=WHEN)
                row["hash"] = previous = first_release_hash(row)
        if table.name == "audit_chain_head":
            events = inserted["audit_events"]
            rows[0].update(seq=len(events), hash=events[-1]["hash"])
        conn.execute(table.insert(), rows)
        inserted[table.name] = rows


def snapshot(url: str, tables: dict[str, list[str]]) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the first release's tables, in the first release's columns, in a stable order."""
    engine = build_engine(url)
    try:
        with engine.connect() as conn:
            current = sa.MetaData()
            current.reflect(bind=conn, only=list(tables))
            taken = {}
            for name, columns in tables.items():
                table = current.tables[name]
                rows = conn.execute(sa.select(*(table.c[c] for c in columns))).all()
                taken[name] = sorted((tuple(row) for row in rows), key=repr)
            return taken
    finally:
        engine.dispose()


@pytest.fixture
def registry_cli(monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    get_settings.cache_clear()
    return CliRunner()


def test_first_release_data_survives_upgrade_to_head_and_one_step_back(
    database_url: str, tmp_path: Path, registry_cli: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    with scratch_database(database_url, tmp_path) as url:
        config = alembic_config(url)
        command.upgrade(config, FIRST_RELEASE)
        engine = build_engine(url)
        try:
            with engine.begin() as conn:
                first = sa.MetaData()
                first.reflect(bind=conn)
                fill(conn, first)
        finally:
            engine.dispose()
        tables = {t.name: [c.name for c in t.columns] for t in first.sorted_tables if t.name != "alembic_version"}
        before = snapshot(url, tables)
        assert all(len(rows) >= 1 for rows in before.values())
        assert len(before["missing_person_reports"]) == ROWS
        assert len(before["audit_events"]) == ROWS

        command.upgrade(config, "head")
        assert snapshot(url, tables) == before
        monkeypatch.setenv("REGISTRY_DATABASE_URL", url)
        get_settings.cache_clear()
        verified = registry_cli.invoke(cli, ["audit", "verify"])
        assert verified.exit_code == 0, verified.output
        assert f"audit chain intact: {ROWS} events" in verified.output

        command.downgrade(config, "-1")
        assert snapshot(url, tables) == before
        command.upgrade(config, "head")
        assert snapshot(url, tables) == before
        get_settings.cache_clear()
