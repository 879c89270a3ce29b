"""Identification of remains through the API: method and responsible person recorded, both statuses set as
dated events with history, and a reversal with a reason that restores them, history intact."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from registry.models import AuditEvent, Role
from tests.builders import remains_payload, report_payload

REPORTS = "/api/v1/reports"
REMAINS = "/api/v1/remains"


@pytest.fixture
def investigator(client_as: Callable[..., TestClient]) -> TestClient:
    return client_as(Role.investigator, None)


def created(client: TestClient, url: str, payload: dict[str, Any]) -> dict[str, Any]:
    response = client.post(url, json=payload)
    assert response.status_code == 201, response.text
    return response.json()


def statuses(client: TestClient, url: str) -> list[tuple[str | None, str]]:
    return [(e["from_status"], e["to_status"]) for e in client.get(f"{url}/history").json()["status_events"]]


def test_identify_remains_then_reverse_with_history_intact(
    client: TestClient, investigator: TestClient, sessions: sessionmaker[Session]
) -> None:
    report = created(client, REPORTS, report_payload())
    remains = created(client, REMAINS, remains_payload())
    me = investigator.get("/api/v1/auth/me").json()["id"]
    remains_url, report_url = f"{REMAINS}/{remains['id']}", f"{REPORTS}/{report['id']}"

    response = investigator.post(
        f"{remains_url}/identification",
        json={"report_id": report["id"], "method": "dna", "date": "2023-03-01", "note": "perfil genético"},
    )
    assert response.status_code == 201, response.text
    done = response.json()
    assert (done["method"], done["responsible"], done["identified_on"]) == ("dna", me, "2023-03-01")
    assert (done["remains_previous_status"], done["report_previous_status"]) == ("unidentified", "missing")
    assert client.get(remains_url).json()["status"] == "identified"
    assert client.get(report_url).json()["status"] == "located_dead"
    assert client.get(report_url).json()["status_date"] == "2023-03-01"

    # Identified once: a second identification, or one of a located-dead report, is refused.
    again = investigator.post(
        f"{remains_url}/identification", json={"report_id": report["id"], "method": "dental", "date": "2023-03-02"}
    )
    assert again.status_code == 409

    reversal = investigator.post(f"{remains_url}/identification/reversal", json={"reason": "sample mix-up"})
    assert reversal.status_code == 200, reversal.text
    assert sorted(reversal.json()["restored"]) == ["remains", "report"]
    assert reversal.json()["identification"]["reversal_reason"] == "sample mix-up"
    assert client.get(remains_url).json()["status"] == "unidentified"
    assert client.get(report_url).json()["status"] == "missing"

    assert statuses(client, remains_url) == [
        (None, "unidentified"), ("unidentified", "identified"), ("identified", "unidentified"),
    ]  # fmt: skip
    assert statuses(client, report_url) == [(None, "missing"), ("missing", "located_dead"), ("located_dead", "missing")]
    assert [v["version"] for v in client.get(f"{report_url}/history").json()["versions"]] == [1, 2, 3]
    listed = investigator.get(f"{remains_url}/identifications").json()
    assert [(i["method"], i["reversed_at"] is not None) for i in listed] == [("dna", True)]
    assert investigator.post(f"{remains_url}/identification/reversal", json={"reason": "again"}).status_code == 404

    with sessions() as session:
        events = session.scalars(select(AuditEvent).where(AuditEvent.action.like("identification.%"))).all()
    assert sorted((e.action, e.record_kind) for e in events) == [
        ("identification.record", "remains"), ("identification.record", "report"),
        ("identification.reverse", "remains"), ("identification.reverse", "report"),
    ]  # fmt: skip


def test_identification_needs_a_known_method_and_responsible_account(
    client: TestClient, investigator: TestClient
) -> None:
    report = created(client, REPORTS, report_payload())
    remains = created(client, REMAINS, remains_payload())
    url = f"{REMAINS}/{remains['id']}/identification"
    bad_method = investigator.post(url, json={"report_id": report["id"], "method": "hunch", "date": "2023-03-01"})
    assert bad_method.status_code == 422
    nobody = investigator.post(
        url,
        json={"report_id": report["id"], "method": "dna", "date": "2023-03-01",
              "responsible_id": "00000000-0000-0000-0000-000000000000"},
    )  # fmt: skip
    assert nobody.status_code == 422
    assert nobody.json()["errors"][0]["field"] == "responsible_id"
    assert client.get(f"{REMAINS}/{remains['id']}").json()["status"] == "unidentified"
    assert client.post(url, json={"report_id": report["id"], "method": "dna", "date": "2023-03-01"}).status_code == 403


@pytest.mark.parametrize(("role", "jurisdiction"), [(Role.clerk, "JAL"), (Role.administrator, None)])
def test_the_person_responsible_must_be_allowed_to_identify(
    client: TestClient,
    investigator: TestClient,
    make_user: Callable[..., Any],
    role: Role,
    jurisdiction: str | None,
) -> None:
    """A clerk's (or an administrator's) account cannot answer for an identification (issue #12, item 10)."""
    report = created(client, REPORTS, report_payload())
    remains = created(client, REMAINS, remains_payload())
    someone = make_user(role, jurisdiction)
    url = f"{REMAINS}/{remains['id']}/identification"

    refused = investigator.post(
        url, json={"report_id": report["id"], "method": "dna", "date": "2023-03-01", "responsible_id": str(someone.id)}
    )

    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "responsible_id"
    assert client.get(f"{REMAINS}/{remains['id']}").json()["status"] == "unidentified"
