"""Review end to end through the API: alerts on submit, the queue, judgements that last, identities,
contradictions and status proposals."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from registry.models import AuditEvent, Role
from tests.builders import report_payload, valid_curp_for

REPORTS = "/api/v1/reports"
REVIEW = "/api/v1/review"


def person(**overrides: Any) -> dict[str, Any]:
    payload = report_payload(**overrides)
    payload.setdefault("curp", valid_curp_for(report_payload()))
    return payload


def create(client: TestClient, payload: dict[str, Any]) -> dict[str, Any]:
    response = client.post(REPORTS, json=payload)
    assert response.status_code == 201, response.text
    return response.json()


@pytest.fixture
def investigator(client_as: Callable[..., TestClient]) -> TestClient:
    return client_as(Role.investigator, None)


@pytest.fixture
def sinaloa(client_as: Callable[..., TestClient]) -> TestClient:
    return client_as(Role.clerk, "SIN")


def the_pair(investigator: TestClient, **params: Any) -> dict[str, Any]:
    items = investigator.get(f"{REVIEW}/queue", params=params).json()["items"]
    assert len(items) == 1, items
    return items[0]


def judge(investigator: TestClient, pair_id: str, decision: str, reason: str = "checked") -> dict[str, Any]:
    response = investigator.post(f"{REVIEW}/pairs/{pair_id}/judgements", json={"decision": decision, "reason": reason})
    assert response.status_code == 201, response.text
    return response.json()


def test_two_reports_of_one_person_alert_queue_judge_identity_undo_split(
    client: TestClient, sinaloa: TestClient, investigator: TestClient, sessions: sessionmaker[Session]
) -> None:
    first = create(client, person())
    assert first["alerts"] == []
    second = create(
        sinaloa,
        person(source="SIN", folio="SIN-2022-0007", last_seen_state="SIN", last_seen_municipality="Culiacán",
               first_surname="García", second_surname="Hernández"),
    )  # fmt: skip
    # The clerk sees the likely duplicate before finishing, without any personal data of it.
    [alert] = second["alerts"]
    assert (alert["source"], alert["folio"], alert["state_name"]) == ("JAL", "JAL-2021-00123", "Jalisco")
    assert alert["score"] >= 0.8
    assert "CURP" in alert["summary"]
    assert alert["message"].startswith("possibly already registered in Jalisco as JAL-2021-00123")
    assert set(alert) == {"kind", "source", "folio", "state_name", "score", "summary", "message"}

    # The pair waits in the queue, explained and versioned.
    pair = the_pair(investigator)
    assert {pair["left_id"], pair["right_id"]} == {first["id"], second["id"]}
    assert pair["kind"] == "report_report"
    assert pair["status"] == "pending"
    assert pair["evidence"]
    assert "parameters_version" in pair
    assert the_pair(investigator, state="SIN")["id"] == pair["id"]
    assert investigator.get(f"{REVIEW}/queue", params={"state": "OAX"}).json()["items"] == []
    assert investigator.get(f"{REVIEW}/queue", params={"kind": "remains_report"}).json()["items"] == []

    # Judged the same person: one identity, each report still its own.
    saved = judge(investigator, pair["id"], "same", "same CURP, documents compared")
    assert set(saved["identity"]) == {first["id"], second["id"]}
    assert investigator.get(f"{REVIEW}/queue").json()["items"] == []
    identity = investigator.get(f"{REPORTS}/{first['id']}/identity").json()
    assert {(m["source"], m["folio"], m["status"]) for m in identity["members"]} == {
        ("JAL", "JAL-2021-00123", "missing"),
        ("SIN", "SIN-2022-0007", "missing"),
    }
    assert [link["id"] for link in identity["links"]] == [pair["id"]]

    # Undone: the identity splits, the pair is back in review, and the history keeps both judgements.
    undo = investigator.post(f"{REVIEW}/pairs/{pair['id']}/undo", json={"reason": "documents were of a sister"})
    assert undo.status_code == 201, undo.text
    assert undo.json()["identity"] == [pair["right_id"]]
    split = investigator.get(f"{REPORTS}/{first['id']}/identity").json()
    assert [m["id"] for m in split["members"]] == [first["id"]]
    assert [j["decision"] for j in split["history"]] == ["same", "undone"]
    assert split["history"][1]["supersedes_id"] == split["history"][0]["id"]
    assert the_pair(investigator)["id"] == pair["id"]
    detail = investigator.get(f"{REVIEW}/pairs/{pair['id']}").json()
    assert [(j["decision"], j["reason"]) for j in detail["judgements"]] == [
        ("same", "same CURP, documents compared"),
        ("undone", "documents were of a sister"),
    ]
    # Both records are untouched: a merge never rewrites a report.
    assert client.get(f"{REPORTS}/{first['id']}").json()["version"] == 1
    assert sinaloa.get(f"{REPORTS}/{second['id']}").json()["folio"] == "SIN-2022-0007"
    # A second undo has nothing to undo.
    assert investigator.post(f"{REVIEW}/pairs/{pair['id']}/undo", json={"reason": "again"}).status_code == 409

    with sessions() as session:
        events = session.scalars(
            select(AuditEvent).where(AuditEvent.action.like("judgement.%")).order_by(AuditEvent.seq)
        ).all()
    assert [(e.action, e.record_id, (e.detail or {}).get("decision")) for e in events] == [
        ("judgement.record", pair["id"], "same"),
        ("judgement.undo", pair["id"], None),
    ]


def test_a_rejected_pair_stays_rejected_across_a_rematch_until_a_field_that_mattered_changes(
    client: TestClient, investigator: TestClient
) -> None:
    create(client, person())
    other = create(client, person(folio="JAL-2021-00999", given_names="Ma. Guadalupe"))
    pair = the_pair(investigator)
    judge(investigator, pair["id"], "not_same", "different mothers")

    rematch = investigator.post(f"{REVIEW}/rematch")
    assert rematch.status_code == 200, rematch.text
    assert rematch.json()["reopened"] == 0
    assert investigator.get(f"{REVIEW}/queue").json()["items"] == []
    assert the_pair(investigator, status="not_same")["id"] == pair["id"]

    # A change that matching does not read leaves the rejection standing...
    url = f"{REPORTS}/{other['id']}"
    assert client.patch(url, json={"clothing": "chamarra azul"}, headers={"If-Match": '"1"'}).status_code == 200
    investigator.post(f"{REVIEW}/rematch")
    assert investigator.get(f"{REVIEW}/queue").json()["items"] == []

    # ...one it reads brings the pair back, marked as such.
    assert client.patch(url, json={"height_cm": 171}, headers={"If-Match": '"2"'}).status_code == 200
    back = the_pair(investigator)
    assert back["id"] == pair["id"]
    assert back["reopened"] is True
    assert the_pair(investigator, reopened=True)["id"] == pair["id"]
    # Judgements are history: the rejection is still there.
    decisions = [j["decision"] for j in investigator.get(f"{REVIEW}/pairs/{pair['id']}").json()["judgements"]]
    assert decisions == ["not_same"]


def test_contradictions_are_reported_and_located_proposes_for_the_identity(
    client: TestClient, investigator: TestClient
) -> None:
    a = create(client, person())
    b = create(client, person(folio="JAL-2021-00124"))
    c = create(client, person(folio="JAL-2021-00125"))
    pairs = investigator.get(f"{REVIEW}/queue").json()["items"]
    by_ends = {frozenset((p["left_id"], p["right_id"])): p["id"] for p in pairs}
    assert len(by_ends) == 3
    judge(investigator, by_ends[frozenset((a["id"], b["id"]))], "same")
    judge(investigator, by_ends[frozenset((b["id"], c["id"]))], "same")
    assert investigator.get(f"{REVIEW}/contradictions").json() == []
    rejected = by_ends[frozenset((a["id"], c["id"]))]
    judge(investigator, rejected, "not_same")

    [contradiction] = investigator.get(f"{REVIEW}/contradictions").json()
    assert set(contradiction["identity"]) == {a["id"], b["id"], c["id"]}
    assert contradiction["rejected_pair"]["id"] == rejected
    assert len(contradiction["path"]) == 2
    identity = investigator.get(f"{REPORTS}/{b['id']}/identity").json()
    assert [x["rejected_pair"]["id"] for x in identity["contradictions"]] == [rejected]

    # Marking one report located proposes the same for the others, and changes none of them.
    status = client.post(
        f"{REPORTS}/{a['id']}/status",
        json={"status": "located_alive", "date": "2023-02-01"},
        headers={"If-Match": '"1"'},
    )
    assert status.status_code == 200, status.text
    proposed = {(p["record_id"], p["proposed_status"], p["because_of"]) for p in status.json()["proposals"]}
    assert proposed == {(b["id"], "located_alive", a["id"]), (c["id"], "located_alive", a["id"])}
    assert {p["record_id"] for p in investigator.get(f"{REVIEW}/proposals").json()} == {b["id"], c["id"]}
    assert client.get(f"{REPORTS}/{b['id']}").json()["status"] == "missing"


def test_the_queue_is_ordered_and_paginated_by_cursor(client: TestClient, investigator: TestClient) -> None:
    create(client, person())
    create(client, person(folio="JAL-2021-00124"))
    create(client, person(folio="JAL-2021-00125", height_cm=170))
    seen: list[dict[str, Any]] = []
    cursor = None
    while True:
        page = investigator.get(f"{REVIEW}/queue", params={"limit": 1, **({"cursor": cursor} if cursor else {})})
        assert page.status_code == 200, page.text
        seen.extend(page.json()["items"])
        cursor = page.json()["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == 3
    assert len({p["id"] for p in seen}) == 3
    assert [p["score"] for p in seen] == sorted((p["score"] for p in seen), reverse=True)
    assert investigator.get(f"{REVIEW}/queue", params={"cursor": "nonsense"}).status_code == 400


def test_clerks_may_not_judge(client: TestClient, investigator: TestClient) -> None:
    create(client, person())
    create(client, person(folio="JAL-2021-00124"))
    pair = the_pair(investigator)
    response = client.post(f"{REVIEW}/pairs/{pair['id']}/judgements", json={"decision": "same", "reason": "x"})
    assert response.status_code == 403
    assert response.headers["content-type"] == "application/problem+json"


def test_an_uploaded_file_puts_its_duplicates_in_the_queue_and_a_withdrawal_takes_them_out(
    client: TestClient, investigator: TestClient
) -> None:
    header = "source,folio,given_names,first_surname,second_surname,sex,date_of_birth,last_seen_date,last_seen_state"
    rows = (
        "JAL,JAL-CSV-1,María Guadalupe,Hernández,García,female,1990-05-17,2021-03-02,JAL\r\n"
        "JAL,JAL-CSV-2,Ma. Guadalupe,Hernandez,Garcia,female,1990-05-17,2021-03-04,JAL\r\n"
        "JAL,JAL-CSV-3,Pedro,Canul,Pech,male,1961-02-03,2019-01-01,JAL\r\n"
    )
    files = {"file": ("export.csv", f"{header}\r\n{rows}".encode(), "text/csv")}
    response = client.post("/api/v1/imports/missing", files=files)
    assert response.status_code == 200, response.text
    assert response.json()["created"] == 3
    assert response.json()["candidate_pairs"] >= 1
    queued = investigator.get(f"{REVIEW}/queue").json()["items"]
    assert [sorted((p["left_folio"], p["right_folio"])) for p in queued] == [["JAL-CSV-1", "JAL-CSV-2"]]
    second = next(r for r in client.get(REPORTS, params={"source": "JAL"}).json()["items"] if r["folio"] == "JAL-CSV-2")
    withdrawn = client.post(f"{REPORTS}/{second['id']}/withdraw", json={"reason": "duplicate"},
                            headers={"If-Match": '"1"'})  # fmt: skip
    assert withdrawn.status_code == 200
    assert investigator.get(f"{REVIEW}/queue").json()["items"] == []
