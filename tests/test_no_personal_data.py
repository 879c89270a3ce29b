"""Nothing personal leaves through logs or the audit trail.

tests/conftest.py scans every test's application logs and audit events (an autouse fixture); this
module drives the paths most likely to leak, on purpose, and checks that the scanner would notice.
"""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from registry.models import Role, User
from tests.builders import report_payload, valid_curp_for
from tests.conftest import audit_texts, personal_data_in


def test_the_scanner_finds_curps_and_names() -> None:
    curp = valid_curp_for(report_payload())
    assert personal_data_in(f"created {curp}") == [curp]
    assert personal_data_in("given_names=María Guadalupe") == ["María", "Guadalupe"]
    assert personal_data_in("GET /api/v1/reports 200 request_id=abc") == []


def test_a_day_at_the_registry_leaves_no_personal_data_behind(
    client: TestClient,
    client_as: Callable[..., TestClient],
    make_user: Callable[..., User],
    engine: Engine,
    captured_logs,
) -> None:
    payload = report_payload(contact_name="Pedro García", circumstances="salió con María")
    payload["curp"] = valid_curp_for(payload)
    created = client.post("/api/v1/reports", json=payload).json()
    url = f"/api/v1/reports/{created['id']}"
    client.patch(url, json={"given_names": "María Lupita"}, headers={"If-Match": '"1"'})
    client.get("/api/v1/reports", params={"name": "García Hernández", "source": "JAL"})
    client.get(url)
    client.get(f"{url}/history")
    client_as(Role.investigator, None).get(url)
    client_as(Role.clerk, "SIN").patch(url, json={"height_cm": 150}, headers={"If-Match": '"2"'})
    # A failed sign-in with a person's name as the username, and a malformed body carrying a name.
    make_user(username="maria.garcia")
    client.post("/api/v1/auth/token", data={"username": "María García", "password": "x"})
    client.post("/api/v1/reports", json=report_payload(given_names="María\x00", curp=payload["curp"]))
    texts = captured_logs.texts() + audit_texts(engine)
    assert len(audit_texts(engine)) >= 6
    assert any("/api/v1/reports/{record_id}" in text for text in captured_logs.texts())
    hits = sorted({hit for text in texts for hit in personal_data_in(text)})
    assert hits == []
