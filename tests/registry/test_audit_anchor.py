"""Anchors of the audit chain kept outside the database: a cut, emptied or re-hashed chain no longer extends them.

Also the retention procedure (`registry audit prune`) and, on PostgreSQL, the triggers that make the
trail append-only for everyone else.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import Result
from sqlalchemy import Engine, delete, select, text, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from api.cli import audit as audit_cli
from registry.actor import Actor
from registry.db import transaction
from registry.models import AuditChainHead, AuditEvent
from registry.services import audit
from registry.settings import get_settings
from tests.registry.test_audit import CLERK, append, tamper

KEY = "an audit key kept in the vault, not in the database"
OTHER_CLERK = Actor(id="5b0f0c5e-0000-4000-8000-000000000002", role="clerk", jurisdiction="JAL")
EVENTS = AuditEvent.__table__
HEAD = AuditChainHead.__table__


@pytest.fixture
def cli(engine: Engine, database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[CliRunner]:
    monkeypatch.setenv("REGISTRY_DATABASE_URL", database_url)
    monkeypatch.setenv("REGISTRY_AUDIT_KEY", KEY)
    get_settings.cache_clear()
    yield CliRunner()
    get_settings.cache_clear()


def use_key(monkeypatch: pytest.MonkeyPatch, key: str | None) -> None:
    if key is None:
        monkeypatch.delenv("REGISTRY_AUDIT_KEY", raising=False)
    else:
        monkeypatch.setenv("REGISTRY_AUDIT_KEY", key)
    get_settings.cache_clear()


def said(result: Result) -> str:
    """The command's output on one line (the console wraps long messages)."""
    return " ".join(result.output.split())


def write_anchor(cli: CliRunner, path: Path) -> dict:
    result = cli.invoke(audit_cli.app, ["anchor", "--out", str(path)])
    assert result.exit_code == 0, result.output
    return json.loads(path.read_text())


def verify(cli: CliRunner, anchor: Path | None = None) -> Result:
    return cli.invoke(audit_cli.app, ["verify", *(["--anchor", str(anchor)] if anchor else [])])


def record_as(sessions: sessionmaker[Session], actor: Actor, *record_ids: str) -> None:
    for record_id in record_ids:
        with transaction(sessions) as session:
            audit.record(session, actor=actor, action="record.update", record_kind="report", record_id=record_id)


def test_an_anchor_is_the_signed_head_and_a_chain_that_grew_since_extends_it(
    sessions: sessionmaker[Session], cli: CliRunner, tmp_path: Path
) -> None:
    append(sessions, 3)
    anchor = write_anchor(cli, tmp_path / "anchor.json")
    with sessions() as session:
        third = session.scalars(select(AuditEvent.hash).where(AuditEvent.seq == 3)).one()
    assert anchor["format"] == "registry-audit-anchor/1"
    assert (anchor["seq"], anchor["hash"], anchor["events"]) == (3, third, 3)
    assert len(anchor["signature"]) == 64
    assert datetime.fromisoformat(anchor["anchored_at"]).tzinfo is not None
    append(sessions, 2)
    result = verify(cli, tmp_path / "anchor.json")
    assert result.exit_code == 0, result.output
    assert "intact: 5 events" in said(result)
    assert "extends the anchor of event 3 (signed" in said(result)


def _cut_the_end(engine: Engine, sessions: sessionmaker[Session]) -> None:
    """(a) delete the last events and move the head back to the last one left."""
    with sessions() as session:
        fourth = session.scalars(select(AuditEvent.hash).where(AuditEvent.seq == 4)).one()
    tamper(engine, delete(EVENTS).where(EVENTS.c.seq > 4), update(HEAD).values(seq=4, hash=fourth))


def _delete_the_trail(engine: Engine, sessions: sessionmaker[Session]) -> None:
    """(b) delete every event and the head row."""
    tamper(engine, delete(EVENTS), delete(HEAD))


def _rewrite_a_clerk(engine: Engine, sessions: sessionmaker[Session]) -> None:
    """(c) rewrite one clerk's events and re-hash the whole chain with the project's own event_hash."""
    with sessions() as session:
        rows = session.scalars(select(AuditEvent).order_by(AuditEvent.seq)).all()
    statements = []
    previous = audit.GENESIS_HASH
    for row in rows:
        fields = {name: getattr(row, name) for name in audit.HASHED_FIELDS} | {"prev_hash": previous}
        if row.actor_id == OTHER_CLERK.id:
            fields["action"] = "record.read"  # hide what the clerk changed
        previous = audit.event_hash(fields)
        statements.append(
            update(EVENTS)
            .where(EVENTS.c.seq == row.seq)
            .values(action=fields["action"], prev_hash=fields["prev_hash"], hash=previous)
        )
    tamper(engine, *statements, update(HEAD).values(hash=previous))


@pytest.mark.parametrize(
    ("attack", "named"),
    [
        (_cut_the_end, "the chain ends at event 4, before the anchored event 6"),
        (_delete_the_trail, "the audit trail is empty, but the anchor names event 6"),
        (_rewrite_a_clerk, "event 6 does not carry the anchored hash"),
    ],
)
def test_the_attacks_that_pass_verify_fail_it_with_an_anchor(
    engine: Engine, sessions: sessionmaker[Session], cli: CliRunner, tmp_path: Path, attack, named: str
) -> None:
    record_as(sessions, CLERK, "r-1", "r-2")
    record_as(sessions, OTHER_CLERK, "r-3", "r-4")
    record_as(sessions, CLERK, "r-5", "r-6")
    write_anchor(cli, tmp_path / "anchor.json")
    record_as(sessions, OTHER_CLERK, "r-7")  # the chain grew after the anchor was taken
    attack(engine, sessions)
    assert verify(cli).exit_code == 0  # the chain alone looks whole: this is what the anchor is for
    result = verify(cli, tmp_path / "anchor.json")
    assert result.exit_code == 1
    assert named in said(result), result.output


def _edit(path: Path, **changes: object) -> None:
    path.write_text(json.dumps(json.loads(path.read_text()) | changes))


def test_an_anchor_that_was_altered_or_signed_with_another_key_fails(
    sessions: sessionmaker[Session], cli: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    append(sessions, 3)
    anchor = tmp_path / "anchor.json"
    write_anchor(cli, anchor)
    with sessions() as session:
        second = session.scalars(select(AuditEvent.hash).where(AuditEvent.seq == 2)).one()
    _edit(anchor, seq=2, hash=second, events=2)  # a real earlier head, but not the one that was signed
    altered = verify(cli, anchor)
    assert altered.exit_code == 1
    assert "the anchor's signature does not match its content: the anchor file was altered" in said(altered)

    write_anchor(cli, anchor)
    use_key(monkeypatch, "another key, e.g. the one of another installation")
    other = verify(cli, anchor)
    assert other.exit_code == 1
    assert "the anchor was signed with another audit key" in said(other)

    use_key(monkeypatch, None)
    unchecked = verify(cli, anchor)
    assert unchecked.exit_code == 1
    assert "REGISTRY_AUDIT_KEY is not set, so its signature cannot be checked" in said(unchecked)


def test_an_unsigned_anchor_is_taken_without_a_key_and_refused_with_one(
    sessions: sessionmaker[Session], cli: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    append(sessions, 2)
    use_key(monkeypatch, None)
    anchor = tmp_path / "anchor.json"
    content = write_anchor(cli, anchor)
    assert (content["signature"], content["key_id"]) == (None, None)
    unsigned = verify(cli, anchor)
    assert unsigned.exit_code == 0, unsigned.output
    assert "the anchor is unsigned" in said(unsigned)
    use_key(monkeypatch, KEY)  # else whoever forges an anchor would simply leave the signature out
    refused = verify(cli, anchor)
    assert refused.exit_code == 1
    assert "the anchor is unsigned, but an audit key is configured" in said(refused)


def test_a_file_that_is_not_an_anchor_is_named(cli: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "anchor.json"
    path.write_text(json.dumps({"format": "something-else/1"}))
    result = verify(cli, path)
    assert result.exit_code == 1
    assert "is not an audit anchor" in said(result)


def test_a_broken_chain_is_neither_anchored_nor_pruned(
    engine: Engine, sessions: sessionmaker[Session], cli: CliRunner, tmp_path: Path
) -> None:
    append(sessions, 3)
    tamper(engine, update(EVENTS).where(EVENTS.c.seq == 2).values(outcome="denied"))
    anchored = cli.invoke(audit_cli.app, ["anchor", "--out", str(tmp_path / "anchor.json")])
    assert anchored.exit_code == 1
    assert "the audit chain is broken at event 2" in said(anchored)
    pruned = cli.invoke(
        audit_cli.app, ["prune", "--before", "2999-01-01", "--anchor-out", str(tmp_path / "pruned.json")]
    )
    assert pruned.exit_code == 1
    assert "it is not pruned" in said(pruned)
    assert not (tmp_path / "pruned.json").exists()
    with sessions() as session:
        assert session.scalars(select(AuditEvent.seq).order_by(AuditEvent.seq)).all() == [1, 2, 3]


def _append_on(sessions: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch, day: str, count: int) -> None:
    when = datetime.fromisoformat(day).replace(tzinfo=UTC)
    with monkeypatch.context() as clock:
        clock.setattr(audit, "utcnow", lambda: when)
        append(sessions, count)


def test_prune_keeps_a_chain_that_verifies_from_its_new_start(
    sessions: sessionmaker[Session], cli: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _append_on(sessions, monkeypatch, "2026-01-10", 2)
    old_anchor, last_pruned_anchor = tmp_path / "january-10.json", tmp_path / "january-11.json"
    write_anchor(cli, old_anchor)
    _append_on(sessions, monkeypatch, "2026-01-11", 1)
    write_anchor(cli, last_pruned_anchor)
    _append_on(sessions, monkeypatch, "2026-07-10", 2)
    pruned_anchor = tmp_path / "pruned.json"
    pruned = cli.invoke(audit_cli.app, ["prune", "--before", "2026-06-01", "--anchor-out", str(pruned_anchor)])
    assert pruned.exit_code == 0, pruned.output
    assert "pruned 3 events; the kept chain starts at event 4" in said(pruned)
    assert json.loads(pruned_anchor.read_text())["seq"] == 5  # the head before pruning
    with sessions() as session:
        kept = session.scalars(select(AuditEvent).order_by(AuditEvent.seq)).all()
    assert [(e.seq, e.action) for e in kept] == [(4, "record.update"), (5, "record.update"), (6, "audit.prune")]
    assert kept[-1].detail is not None
    assert kept[-1].detail | {"seal": "..."} == {"deleted": 3, "before": "2026-06-01", "first_seq": 4, "seal": "..."}
    result = verify(cli, pruned_anchor)
    assert result.exit_code == 0, result.output
    assert "intact: 3 events" in said(result)
    # The kept chain's first event links to the last pruned one, so an anchor of that one still holds;
    # an anchor of an earlier event can no longer be proven, so it is not.
    assert verify(cli, last_pruned_anchor).exit_code == 0
    stale = verify(cli, old_anchor)
    assert stale.exit_code == 1
    assert "the anchored event 2 was removed by retention (the kept chain starts at event 4)" in said(stale)
    again = cli.invoke(audit_cli.app, ["prune", "--before", "2026-06-01", "--anchor-out", str(pruned_anchor)])
    assert again.exit_code == 1
    assert "exists already" in said(again)


def test_prune_of_every_event_leaves_the_prune_event_linked_to_the_anchor(
    sessions: sessionmaker[Session], cli: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _append_on(sessions, monkeypatch, "2026-01-10", 4)
    anchor = tmp_path / "pruned.json"
    pruned = cli.invoke(audit_cli.app, ["prune", "--before", "2026-06-01", "--anchor-out", str(anchor)])
    assert pruned.exit_code == 0, pruned.output
    with sessions() as session:
        assert session.scalars(select(AuditEvent.seq)).all() == [5]
    result = verify(cli, anchor)
    assert result.exit_code == 0, result.output
    assert "intact: 1 events" in said(result)


def test_the_oldest_events_deleted_outside_retention_are_found_even_behind_a_forged_prune_event(
    engine: Engine, sessions: sessionmaker[Session], cli: CliRunner
) -> None:
    append(sessions, 5)
    with sessions() as session:
        second = session.scalars(select(AuditEvent.hash).where(AuditEvent.seq == 2)).one()
    # What a prune does, without the procedure: cut events 1-2 and move the chain's start.
    tamper(engine, delete(EVENTS).where(EVENTS.c.seq < 3), update(HEAD).values(first_seq=3, first_prev_hash=second))
    unrecorded = verify(cli)
    assert unrecorded.exit_code == 1
    assert "the chain starts at event 3, but no prune recorded that start" in said(unrecorded)
    with transaction(sessions) as session:  # a prune event, written with the project's own code but no key
        audit.record(session, actor=CLERK, action="audit.prune", detail={"deleted": 2, "first_seq": 3})
    forged = verify(cli)
    assert forged.exit_code == 1
    assert "the prune that started the chain at event 3 is not sealed with the audit key" in said(forged)


# --- PostgreSQL: the trail is append-only for whoever cannot drop its triggers ----------------------


def _refused(engine: Engine, *statements: str) -> str:
    *before, last = statements
    with engine.begin() as conn:
        for statement in before:
            conn.execute(text(statement))
        with pytest.raises(DBAPIError) as refused:
            conn.execute(text(last))
        conn.rollback()
    return str(refused.value.orig)


@pytest.mark.usefixtures("postgres_only")
def test_postgres_refuses_edits_deletions_and_a_head_moved_back(
    engine: Engine, sessions: sessionmaker[Session]
) -> None:
    append(sessions, 4)
    assert "append-only" in _refused(engine, "UPDATE audit_events SET outcome = 'denied' WHERE seq = 2")
    assert "only by the retention procedure" in _refused(engine, "DELETE FROM audit_events WHERE seq = 4")
    assert "append-only" in _refused(engine, "TRUNCATE audit_events")
    assert "only moves forward" in _refused(engine, "UPDATE audit_chain_head SET seq = 2")
    assert "only moves forward" in _refused(engine, "UPDATE audit_chain_head SET hash = repeat('f', 64)")
    assert "only by the retention procedure" in _refused(engine, "DELETE FROM audit_chain_head")
    assert "moves only forward" in _refused(engine, "UPDATE audit_chain_head SET first_seq = 3")
    retention = "SELECT set_config('registry.audit_retention', 'on', true)"
    # Even in retention: only events before the chain's recorded start, and never an edit.
    assert "only the events before the start" in _refused(engine, retention, "DELETE FROM audit_events WHERE seq = 4")
    assert "append-only" in _refused(engine, retention, "UPDATE audit_events SET outcome = 'denied'")
    with sessions() as session:
        assert len(session.scalars(select(AuditEvent)).all()) == 4
        assert audit.verify(session).intact
