"""Seeding goes through the registry's own import service, and demo data never mixes with real records."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from api.cli.main import app
from api.cli.seed import prepare_sandbox
from registry.db import build_engine, session_factory, transaction
from registry.errors import SandboxViolation
from registry.models import CandidatePair, MissingPersonReport, RecordVersion, UnidentifiedRemains
from registry.services.instance import is_sandbox
from seed.config import SeedConfig
from seed.loader import load
from tests.builders import report_payload


def _count(sessions: sessionmaker[Session], model: type) -> int:
    with sessions() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def test_seeding_loads_every_generated_row_with_history(sessions: sessionmaker[Session]) -> None:
    summary = load(sessions=sessions, config=SeedConfig(reports=300, remains=80, seed=11), batch_size=100)
    assert (summary.reports.created, summary.reports.rejected) == (300, 0)
    assert (summary.remains.created, summary.remains.rejected) == (80, 0)
    assert _count(sessions, MissingPersonReport) == 300
    assert _count(sessions, UnidentifiedRemains) == 80
    assert _count(sessions, RecordVersion) == 380  # every record has its first version
    with sessions() as session:
        assert is_sandbox(session)


def test_seeding_twice_with_the_same_seed_changes_nothing(sessions: sessionmaker[Session]) -> None:
    config = SeedConfig(reports=120, remains=30, seed=5)
    load(sessions=sessions, config=config, batch_size=50)
    again = load(sessions=sessions, config=config, batch_size=50)
    assert (again.reports.created, again.reports.updated, again.reports.unchanged) == (0, 0, 120)
    assert (again.remains.created, again.remains.unchanged) == (0, 30)


def test_seeding_refuses_a_database_holding_real_records(client, sessions: sessionmaker[Session]) -> None:
    assert client.post("/api/v1/reports", json=report_payload()).status_code == 201
    with pytest.raises(SandboxViolation):
        load(sessions=sessions, config=SeedConfig(reports=10, seed=1), batch_size=10)
    assert _count(sessions, MissingPersonReport) == 1


def test_a_sandbox_file_is_replaced_but_a_real_database_is_left_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "sandbox.sqlite3"
    url = prepare_sandbox(path)
    engine = build_engine(url)
    with transaction(session_factory(engine)) as session:
        assert is_sandbox(session)
    engine.dispose()
    assert prepare_sandbox(path) == url  # a sandbox may be replaced by a fresh one

    real = tmp_path / "real.sqlite3"
    real_url = f"sqlite:///{real}"
    from_scratch = prepare_sandbox(real)  # builds a sandbox, then we turn it into "real" by hand
    engine = build_engine(from_scratch)
    with engine.begin() as conn:
        conn.exec_driver_sql("UPDATE registry_instance SET kind = 'real'")
    engine.dispose()
    with pytest.raises(typer.Exit):
        prepare_sandbox(real)
    assert "not a sandbox" in capsys.readouterr().err
    assert real.exists()
    assert real_url == from_scratch


def test_the_demo_sandbox_starts_with_duplicates_waiting_in_the_review_queue(tmp_path: Path) -> None:
    path = tmp_path / "demo.sqlite3"
    result = CliRunner().invoke(app, ["demo", "--no-serve", "--reports", "400", "--seed", "3", "--path", str(path)])
    assert result.exit_code == 0, result.output
    assert "review queue:" in result.output
    engine = build_engine(f"sqlite:///{path}")
    try:
        sessions = session_factory(engine)
        pairs = _count(sessions, CandidatePair)
        assert pairs > 0
        with transaction(sessions) as session:
            assert is_sandbox(session)
    finally:
        engine.dispose()
