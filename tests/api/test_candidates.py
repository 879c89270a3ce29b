"""Investigators ask "who else might this be?": ranked candidates with reasons, current in every process."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient

from registry.models import Role
from tests.builders import remains_payload, report_payload

REPORTS = "/api/v1/reports"


def test_a_respelled_report_in_another_state_is_the_top_candidate(
    client: TestClient, client_as: Callable[..., TestClient]
) -> None:
    jalisco = client.post(REPORTS, json=report_payload(curp=None)).json()
    sinaloa_clerk = client_as(Role.clerk, "SIN")
    respelled = report_payload(
        source="SIN", folio="SIN-2022-0042", given_names="Guadalupe", first_surname="Hernandes",
        second_surname="Garsia", last_seen_state="SIN", date_of_birth="1990-05-17", curp=None,
    )  # fmt: skip
    other = sinaloa_clerk.post(REPORTS, json=respelled).json()
    sinaloa_clerk.post(REPORTS, json=report_payload(source="SIN", folio="SIN-X", given_names="Pedro",
                                                    first_surname="Canul", second_surname="Pech", sex="male",
                                                    date_of_birth="1961-02-03", last_seen_state="SIN"))  # fmt: skip
    investigator = client_as(Role.investigator, None)
    response = investigator.get(f"{REPORTS}/{jalisco['id']}/candidates", params={"top": 5})
    assert response.status_code == 200
    candidates = response.json()["candidates"]
    assert candidates[0]["id"] == other["id"]
    assert (candidates[0]["source"], candidates[0]["folio"]) == ("SIN", "SIN-2022-0042")
    assert candidates[0]["score"] > 0.5
    assert candidates[0]["evidence"]
    assert candidates[0]["summary"]
    assert all(c["id"] != jalisco["id"] for c in candidates)


def test_remains_are_matched_to_reports(client: TestClient, client_as: Callable[..., TestClient]) -> None:
    report = client.post(REPORTS, json=report_payload()).json()
    remains = client.post("/api/v1/remains", json=remains_payload()).json()
    investigator = client_as(Role.investigator, None)
    candidates = investigator.get(f"/api/v1/remains/{remains['id']}/candidates").json()["candidates"]
    assert [c["id"] for c in candidates][:1] == [report["id"]]
    assert candidates[0]["kind"] == "report"


def test_every_api_process_sees_writes_made_by_another(
    client: TestClient, client_as: Callable[..., TestClient]
) -> None:
    first = client.post(REPORTS, json=report_payload()).json()
    # Another process: its own app, its own in-memory index, built before the next write.
    investigator = client_as(Role.investigator, None)
    duplicate = client.post(REPORTS, json=report_payload(folio="JAL-2021-99999", given_names="Ma. Guadalupe")).json()
    found = investigator.get(f"{REPORTS}/{first['id']}/candidates").json()["candidates"]
    assert duplicate["id"] in [c["id"] for c in found]
    withdrawn = client.post(f"{REPORTS}/{duplicate['id']}/withdraw", json={"reason": "duplicate"},
                            headers={"If-Match": '"1"'})  # fmt: skip
    assert withdrawn.status_code == 200
    found = investigator.get(f"{REPORTS}/{first['id']}/candidates").json()["candidates"]
    assert duplicate["id"] not in [c["id"] for c in found]


def test_clerks_do_not_browse_candidates(client: TestClient) -> None:
    report = client.post(REPORTS, json=report_payload()).json()
    assert client.get(f"{REPORTS}/{report['id']}/candidates").status_code == 403


def test_candidates_of_an_unknown_record_is_404(client_as: Callable[..., TestClient]) -> None:
    investigator = client_as(Role.investigator, None)
    response = investigator.get(f"{REPORTS}/00000000-0000-0000-0000-000000000000/candidates")
    assert response.status_code == 404
