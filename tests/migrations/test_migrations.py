"""The schema is built and unbuilt by migrations alone, on SQLite and PostgreSQL alike."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

import registry.models  # noqa: F401 - the whole schema
from migrations.config import alembic_config
from registry.db import Base, build_engine
from tests.databases import is_postgres, scratch_database


def _schema_snapshot(url: str) -> dict[str, object]:
    engine = build_engine(url)
    try:
        with engine.connect() as conn:
            inspector = inspect(conn)
            tables = sorted(t for t in inspector.get_table_names() if t != "alembic_version")
            snapshot: dict[str, object] = {"tables": tables}
            if is_postgres(url):
                snapshot["enums"] = sorted(
                    conn.execute(text("SELECT typname FROM pg_type WHERE typtype = 'e'")).scalars()
                )
                snapshot["sequences"] = sorted(inspector.get_sequence_names())
            return snapshot
    finally:
        engine.dispose()


def test_one_head() -> None:
    heads = ScriptDirectory.from_config(alembic_config("sqlite://")).get_heads()
    assert len(heads) == 1


def test_migration_files_are_dated_and_named_for_intent() -> None:
    versions = Path(alembic_config("sqlite://").get_main_option("script_location") or "") / "versions"
    names = sorted(p.name for p in versions.glob("*.py"))
    assert names
    for name in names:
        date_part, _, intent = name.partition("_")
        assert len(date_part) == len("2026-11-28-0400"), name
        assert intent.removesuffix(".py").count("_") >= 1, name


def test_upgrade_downgrade_upgrade_leaves_no_trace(database_url: str, tmp_path: Path) -> None:
    with scratch_database(database_url, tmp_path) as url:
        config = alembic_config(url)
        empty = _schema_snapshot(url)
        command.upgrade(config, "head")
        migrated = _schema_snapshot(url)
        assert "missing_person_reports" in migrated["tables"]  # type: ignore[operator]
        if is_postgres(url):
            assert "sex" in migrated["enums"]  # type: ignore[operator]
        command.downgrade(config, "base")
        assert _schema_snapshot(url) == empty
        command.upgrade(config, "head")
        assert _schema_snapshot(url) == migrated


def test_every_revision_downgrades_one_step(database_url: str, tmp_path: Path) -> None:
    with scratch_database(database_url, tmp_path) as url:
        config = alembic_config(url)
        script = ScriptDirectory.from_config(config)
        revisions = [r.revision for r in reversed(list(script.walk_revisions()))]
        for revision in revisions:
            command.upgrade(config, revision)
            command.downgrade(config, "-1")
            command.upgrade(config, revision)
        assert len(revisions) >= 2


def test_models_match_migrations(database_url: str, tmp_path: Path) -> None:
    with scratch_database(database_url, tmp_path) as url:
        command.upgrade(alembic_config(url), "head")
        engine = build_engine(url)
        try:
            with engine.connect() as conn:
                context = MigrationContext.configure(conn, opts={"compare_type": True})
                assert compare_metadata(context, Base.metadata) == []
        finally:
            engine.dispose()


def test_registries_are_loaded_by_migration(engine) -> None:
    with engine.connect() as conn:
        rows = dict(conn.execute(text("SELECT code, curp_code FROM registries")).all())
    assert len(rows) == 33
    assert rows["JAL"] == "JC"
    assert rows["CMX"] == "DF"
    assert rows["FED"] is None
