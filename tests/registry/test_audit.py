"""The audit trail: one unbroken chain under concurrent writers; any edit, deletion or reordering is found."""

from __future__ import annotations

import csv
import json
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, Executable, delete, func, select, text, update
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from api.cli import audit as audit_cli
from api.cli import users as users_cli
from registry.actor import Actor
from registry.db import transaction
from registry.models import AuditChainHead, AuditEvent, MissingPersonReport, User
from registry.repositories import audit as audit_repo
from registry.services import audit
from registry.settings import get_settings
from tests.builders import report_payload

CLERK = Actor(id="5b0f0c5e-0000-4000-8000-000000000001", role="clerk", jurisdiction="JAL")


def append(sessions: sessionmaker[Session], count: int) -> None:
    for i in range(count):
        with transaction(sessions) as session:
            audit.record(session, actor=CLERK, action="record.update", record_kind="report", record_id=f"r-{i}")


def verification(sessions: sessionmaker[Session]) -> audit.Verification:
    with sessions() as session:
        return audit.verify(session)


@pytest.fixture
def cli(engine: Engine, database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[CliRunner]:
    monkeypatch.setenv("REGISTRY_DATABASE_URL", database_url)
    get_settings.cache_clear()
    yield CliRunner()
    get_settings.cache_clear()


def test_events_chain_from_the_genesis_hash(sessions: sessionmaker[Session]) -> None:
    append(sessions, 3)
    with sessions() as session:
        events = session.scalars(select(AuditEvent).order_by(AuditEvent.seq)).all()
    assert [e.seq for e in events] == [1, 2, 3]
    assert events[0].prev_hash == audit.GENESIS_HASH
    assert events[1].prev_hash == events[0].hash
    assert verification(sessions).intact


def test_200_concurrent_writers_leave_one_unbroken_chain(sessions: sessionmaker[Session]) -> None:
    barrier = threading.Barrier(32)

    def write(i: int) -> None:
        if i < 32:
            barrier.wait(timeout=60)
        with transaction(sessions) as session:  # each thread its own session and transaction
            audit.record(session, actor=CLERK, action="record.create", record_kind="report", record_id=f"c-{i}")

    with ThreadPoolExecutor(max_workers=32) as pool:
        list(pool.map(write, range(200)))
    result = verification(sessions)
    assert result.intact, result.first_break
    assert result.events == 200
    with sessions() as session:
        seqs = session.scalars(select(AuditEvent.seq).order_by(AuditEvent.seq)).all()
        recorded = set(session.scalars(select(AuditEvent.record_id)).all())
    assert seqs == list(range(1, 201))
    assert recorded == {f"c-{i}" for i in range(200)}


AUDIT_TABLES = ("audit_events", "audit_chain_head")


def tamper(engine: Engine, *statements: Executable) -> None:
    """Runs statements as an attacker who owns the tables: on PostgreSQL, with the audit triggers switched off."""
    with engine.begin() as conn:
        postgres = conn.dialect.name == "postgresql"
        if postgres:
            for table in AUDIT_TABLES:
                conn.execute(text(f"ALTER TABLE {table} DISABLE TRIGGER USER"))
        for statement in statements:
            conn.execute(statement)
        if postgres:
            for table in AUDIT_TABLES:
                conn.execute(text(f"ALTER TABLE {table} ENABLE TRIGGER USER"))


@pytest.mark.parametrize(
    ("tampering", "named"),
    [
        ("edit", "event 3 "),
        ("edit_detail", "event 2 "),
        ("delete", "event 5 "),
        ("delete_last", "event 7:"),
        ("reorder", "event 2 "),
        ("rehash_without_relinking", "event 5 "),
    ],
)
def test_verify_names_the_first_broken_event(
    engine: Engine, sessions: sessionmaker[Session], cli: CliRunner, tampering: str, named: str
) -> None:
    append(sessions, 6)
    ok = cli.invoke(audit_cli.app, ["verify"])
    assert ok.exit_code == 0, ok.output
    assert "intact: 6 events" in ok.output
    table = AuditEvent.__table__
    if tampering == "edit":
        tamper(engine, update(table).where(table.c.seq == 3).values(outcome="denied"))
    elif tampering == "edit_detail":
        tamper(engine, update(table).where(table.c.seq == 2).values(record_id="r-other"))
    elif tampering == "delete":
        tamper(engine, delete(table).where(table.c.seq == 4))
    elif tampering == "delete_last":
        tamper(engine, delete(table).where(table.c.seq == 6))
        named = "event 6:"
    elif tampering == "reorder":  # swap the places of events 2 and 3
        tamper(engine, update(table).where(table.c.seq == 2).values(seq=-2))
        tamper(engine, update(table).where(table.c.seq == 3).values(seq=2))
        tamper(engine, update(table).where(table.c.seq == -2).values(seq=3))
    elif tampering == "rehash_without_relinking":  # an edit whose hash is recomputed still breaks the link
        with sessions() as session:
            row = session.scalars(select(AuditEvent).where(AuditEvent.seq == 4)).one()
            fields = {name: getattr(row, name) for name in audit.HASHED_FIELDS} | {"action": "record.read"}
        tamper(engine, update(table).where(table.c.seq == 4).values(action="record.read",
                                                                       hash=audit.event_hash(fields)))  # fmt: skip
    result = cli.invoke(audit_cli.app, ["verify"])
    assert result.exit_code != 0
    assert named in result.output, result.output


def test_export_writes_every_event_and_is_itself_audited(
    sessions: sessionmaker[Session], cli: CliRunner, tmp_path: Path
) -> None:
    append(sessions, 4)
    jsonl = tmp_path / "audit.jsonl"
    assert cli.invoke(audit_cli.app, ["export", "--out", str(jsonl)]).exit_code == 0
    lines = [json.loads(line) for line in jsonl.read_text().splitlines()]
    assert [line["seq"] for line in lines] == [1, 2, 3, 4]
    assert {"occurred_at", "actor_id", "role", "jurisdiction", "action", "record_id", "outcome", "request_id",
            "hash", "prev_hash"} <= set(lines[0])  # fmt: skip
    csv_file = tmp_path / "audit.csv"
    result = cli.invoke(audit_cli.app, ["export", "--out", str(csv_file), "--format", "csv", "--since", "2000-01-01"])
    assert result.exit_code == 0, result.output
    assert len(csv_file.read_text().splitlines()) == 1 + 5  # header, 4 events and the first export
    with sessions() as session:
        exports = session.scalars(select(AuditEvent).where(AuditEvent.action == "audit.export")).all()
    assert [e.detail for e in exports] == [{"events": 4, "format": "jsonl"},
                                           {"events": 5, "format": "csv", "since": "2000-01-01"}]  # fmt: skip
    assert verification(sessions).intact


def test_a_write_whose_event_cannot_be_stored_does_not_happen(
    client: TestClient, sessions: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(session: Session, rows: list) -> None:
        raise RuntimeError("audit store unavailable")

    monkeypatch.setattr(audit_repo, "insert_events", broken)
    with TestClient(client.app, raise_server_exceptions=False, headers=client.headers) as failing:
        response = failing.post("/api/v1/reports", json=report_payload())
    assert response.status_code == 500
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(MissingPersonReport)) == 0


def test_detail_refuses_free_text(sessions: sessionmaker[Session]) -> None:
    with transaction(sessions) as session, pytest.raises(ValueError, match="counts and codes"):
        audit.record(session, actor=CLERK, action="record.update", detail={"note": "María García"})


def test_users_cli_manages_accounts_and_audits_every_change(cli: CliRunner, sessions: sessionmaker[Session]) -> None:
    created = cli.invoke(users_cli.app, ["create", "rosa.clerk", "--role", "clerk", "--jurisdiction", "jal",
                                         "--password", "a long enough secret"])  # fmt: skip
    assert created.exit_code == 0, created.output
    assert "rosa.clerk" in cli.invoke(users_cli.app, ["list"]).output
    assert cli.invoke(users_cli.app, ["set-role", "rosa.clerk", "investigator"]).exit_code == 0
    key = cli.invoke(users_cli.app, ["create-api-key", "rosa.clerk"])
    assert key.exit_code == 0
    assert "rk_" in key.output
    assert cli.invoke(users_cli.app, ["disable", "rosa.clerk"]).exit_code == 0
    refused = cli.invoke(users_cli.app, ["create", "x", "--role", "clerk", "--password", "short"])
    assert refused.exit_code != 0
    with sessions() as session:
        user = session.scalars(select(User)).one()
        actions = session.scalars(select(AuditEvent.action).order_by(AuditEvent.seq)).all()
    assert (user.role.value, user.jurisdiction, user.active) == ("investigator", None, False)
    assert actions == ["user.create", "user.set_role", "api_key.create", "user.disable"]


def test_csv_export_neutralises_spreadsheet_formulas(
    sessions: sessionmaker[Session], cli: CliRunner, tmp_path: Path
) -> None:
    with transaction(sessions) as session:
        audit.record(session, actor=CLERK, action="record.update", record_kind="report", record_id="=HYPERLINK(1)")
    out = tmp_path / "audit.csv"
    assert cli.invoke(audit_cli.app, ["export", "--out", str(out), "--format", "csv"]).exit_code == 0
    with out.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert rows[0]["record_id"] == "'=HYPERLINK(1)"  # a spreadsheet shows it as text, never runs it


@pytest.mark.parametrize(
    ("tampering", "named"),
    [
        ("delete_every_event", "event 1: it and the events after it, up to event 4"),
        ("delete_the_head", "event 4: the chain head that names the last event is gone"),
        ("move_the_head_back", "event 3: it lies beyond the chain head (event 2)"),
        ("change_the_head_hash", "event 4: the chain head names it with another hash"),
    ],
)
def test_verify_without_an_anchor_refuses_a_head_that_disagrees_with_the_events(
    engine: Engine, sessions: sessionmaker[Session], cli: CliRunner, tampering: str, named: str
) -> None:
    append(sessions, 4)
    head = AuditChainHead.__table__
    if tampering == "delete_every_event":  # the head still says 4 events
        tamper(engine, delete(AuditEvent.__table__))
    elif tampering == "delete_the_head":
        tamper(engine, delete(head))
    elif tampering == "move_the_head_back":
        with sessions() as session:
            second = session.scalars(select(AuditEvent.hash).where(AuditEvent.seq == 2)).one()
        tamper(engine, update(head).values(seq=2, hash=second))
    else:
        tamper(engine, update(head).values(hash="f" * 64))
    result = cli.invoke(audit_cli.app, ["verify"])
    assert result.exit_code == 1
    assert named in " ".join(result.output.split()), result.output


def test_verify_on_a_busy_registry_does_not_report_events_appended_meanwhile(
    sessions: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    append(sessions, 3)
    walk = audit_repo.events_in_order

    def walk_then_append(session: Session, **kwargs: object) -> Iterator[AuditEvent]:
        yield from walk(session, **kwargs)  # type: ignore[arg-type]
        append(sessions, 1)  # another request appends while the verification finishes

    monkeypatch.setattr(audit_repo, "events_in_order", walk_then_append)
    result = verification(sessions)
    assert result.intact, result.first_break
    assert (result.events, result.head.seq) == (3, 3)
