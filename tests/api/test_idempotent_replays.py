"""An idempotent replay is audited, and the idempotency store keeps no restricted value (issue #12, item 9)."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from registry.models import AuditEvent, IdempotencyKey
from tests.api.test_access_matrix import RESTRICTED
from tests.builders import report_payload

REPORTS = "/api/v1/reports"


def test_a_replay_is_audited_like_the_original(client: TestClient, sessions: sessionmaker[Session]) -> None:
    headers = {"Idempotency-Key": "clerk-retry-restricted"}
    first = client.post(REPORTS, json=report_payload(**RESTRICTED), headers=headers)
    again = client.post(REPORTS, json=report_payload(**RESTRICTED), headers=headers)

    assert first.status_code == again.status_code == 201
    assert {k: again.json()[k] for k in RESTRICTED} == RESTRICTED  # the clerk still gets what they sent
    with sessions() as session:
        events = session.scalars(select(AuditEvent).order_by(AuditEvent.seq)).all()
    record_id = first.json()["id"]
    on_record = [(e.action, e.detail) for e in events if e.record_id == record_id]
    assert on_record == [
        ("record.create", None),
        ("record.create", {"replay": True}),
        ("record.read_restricted", None),
    ]


def test_the_idempotency_store_keeps_no_restricted_value(client: TestClient, sessions: sessionmaker[Session]) -> None:
    client.post(REPORTS, json=report_payload(**RESTRICTED), headers={"Idempotency-Key": "clerk-retry-2"})

    with sessions() as session:
        stored = session.scalars(select(IdempotencyKey)).one()
    text = json.dumps(stored.response_body, ensure_ascii=False)
    assert stored.response_body is not None
    assert not set(RESTRICTED) & set(stored.response_body)
    assert not [value for value in RESTRICTED.values() if value in text]
