"""A backup taken while the registry writes restores to a database whose audit chain verifies and whose
row counts are the ones the backup counted; a restore never overwrites a database by accident."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from typer.testing import CliRunner

from api.cli.main import app as cli
from registry import backup
from registry.actor import SYSTEM
from registry.db import build_engine, session_factory, transaction
from registry.models import AuditEvent, MissingPersonReport, RecordVersion
from registry.record_types import REPORTS
from registry.repositories import backup as backup_repo
from registry.services import audit
from registry.services import records as records_service
from registry.settings import get_settings
from tests.builders import report_payload
from tests.databases import migrate, scratch_database

DEADLINE_S = 60.0


class Writer(threading.Thread):
    """Creates reports one transaction at a time (each with its audit event), as the API does, until stopped."""

    def __init__(self, engine: Engine) -> None:
        super().__init__(daemon=True)
        self.sessions = session_factory(engine)
        self.created = 0
        self.stop = threading.Event()
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            while not self.stop.is_set():
                payload = report_payload(folio=f"JAL-BK-{self.created:05d}")
                with transaction(self.sessions) as session:
                    saved = records_service.create_record(
                        session=session, rtype=REPORTS, data=REPORTS.create_schema.model_validate(payload), actor=SYSTEM
                    )
                    audit.record(session, actor=SYSTEM, action="record.create", record_kind="report",
                                 record_id=str(saved.record.id))  # fmt: skip
                self.created += 1
        except BaseException as exc:  # surfaced by the test, not lost in the thread
            self.error = exc

    def wait_for(self, count: int) -> None:
        """Bounded polling: until the writer has created `count` reports (or failed, or the deadline passed)."""
        deadline = time.monotonic() + DEADLINE_S
        while self.created < count and self.error is None and time.monotonic() < deadline:
            time.sleep(0.01)
        assert self.error is None, repr(self.error)
        assert self.created >= count, f"the writer created {self.created} reports, not {count}"


def reports_in(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(MissingPersonReport)).scalar_one())


@pytest.fixture
def cli_on(monkeypatch: pytest.MonkeyPatch) -> Iterator[CliRunner]:
    """A CLI runner; each test points REGISTRY_DATABASE_URL where it needs it."""
    get_settings.cache_clear()
    yield CliRunner()
    get_settings.cache_clear()


def run(runner: CliRunner, monkeypatch: pytest.MonkeyPatch, url: str, *args: str) -> tuple[int, str]:
    monkeypatch.setenv("REGISTRY_DATABASE_URL", url)
    get_settings.cache_clear()
    result = runner.invoke(cli, list(args))
    return result.exit_code, result.output


def test_a_backup_taken_during_writes_restores_to_a_consistent_registry(
    database_url: str, tmp_path: Path, cli_on: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    file = tmp_path / "registry.backup"
    with scratch_database(database_url, tmp_path) as source, scratch_database(database_url, tmp_path) as target:
        migrate(source)
        engine = build_engine(source)
        writer = Writer(engine)
        writer.start()
        try:
            writer.wait_for(5)
            before = reports_in(engine)
            code, output = run(cli_on, monkeypatch, source, "backup", "--out", str(file))
            after = reports_in(engine)
            writer.wait_for(writer.created + 3)  # the writes went on through and after the backup
        finally:
            writer.stop.set()
            writer.join(DEADLINE_S)
            engine.dispose()
        assert writer.error is None, repr(writer.error)
        assert code == 0, output
        manifest = backup.Manifest.read(backup.manifest_path(file).read_text(encoding="utf-8"))
        counted = manifest.counts["missing_person_reports"]
        assert before <= counted <= after

        code, output = run(cli_on, monkeypatch, target, "restore", str(file))
        assert code == 0, output
        code, output = run(cli_on, monkeypatch, target, "audit", "verify")
        assert code == 0, output
        assert "audit chain intact" in output

        restored = build_engine(target)
        try:
            with restored.connect() as conn:
                assert backup_repo.table_counts(conn) == manifest.counts
                # One snapshot: every report has its version and its audit event, none is half there.
                created_events = conn.execute(
                    select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "record.create")
                ).scalar_one()
                versions = conn.execute(select(func.count()).select_from(RecordVersion)).scalar_one()
            assert created_events == versions == counted
        finally:
            restored.dispose()

        # A restore never overwrites a registry by accident, and a backup never overwrites a backup.
        code, output = run(cli_on, monkeypatch, target, "restore", str(file))
        assert code != 0
        assert "not empty" in output
        code, output = run(cli_on, monkeypatch, source, "backup", "--out", str(file))
        assert code != 0
        assert "exists already" in output


def test_a_damaged_backup_is_refused(
    database_url: str, tmp_path: Path, cli_on: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    file = tmp_path / "registry.backup"
    with scratch_database(database_url, tmp_path) as source, scratch_database(database_url, tmp_path) as target:
        migrate(source)
        code, output = run(cli_on, monkeypatch, source, "backup", "--out", str(file))
        assert code == 0, output
        with file.open("r+b") as handle:
            handle.seek(100)
            handle.write(b"\x00damaged\x00")
        code, output = run(cli_on, monkeypatch, target, "restore", str(file))
        assert code != 0
        assert "does not match its manifest" in output
        engine = build_engine(target)
        try:
            with engine.connect() as conn:
                assert backup_repo.table_names(conn) == []
        finally:
            engine.dispose()
