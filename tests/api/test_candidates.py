"""Investigators ask "who else might this be?": ranked candidates with reasons, current in every process."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from matching import default_parameters
from registry.actor import SYSTEM
from registry.models import Role
from registry.services.matching import store_parameters
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


# --- POST /api/v1/match: a query by example ------------------------------------------------------

MATCH = "/api/v1/match"


def test_a_description_finds_the_report_it_describes_and_says_why(
    client: TestClient, client_as: Callable[..., TestClient]
) -> None:
    wanted = client.post(REPORTS, json=report_payload()).json()
    other = report_payload(
        folio="JAL-1", given_names="Pedro", first_surname="Canul", second_surname="Pech", sex="male",
        date_of_birth="1961-02-03",
    )  # fmt: skip
    client.post(REPORTS, json=other)
    investigator = client_as(Role.investigator, None)
    response = investigator.post(MATCH, json={"given_names": "Lupe", "first_surname": "Hernandez", "sex": "female",
                                              "date_of_birth": "1990-05-17"})  # fmt: skip
    assert response.status_code == 200, response.text
    candidates = response.json()["candidates"]
    assert candidates[0]["id"] == wanted["id"]
    assert candidates[0]["kind"] == "report"
    assert "same date of birth" in candidates[0]["summary"]
    assert all(c["score"] <= candidates[0]["score"] for c in candidates)
    # Nothing was stored by asking.
    assert len(client.get(REPORTS).json()["items"]) == 2


def test_a_forensic_description_finds_reports_and_a_report_finds_remains(
    client: TestClient, client_as: Callable[..., TestClient]
) -> None:
    report = client.post(REPORTS, json=report_payload()).json()
    remains = client.post("/api/v1/remains", json=remains_payload()).json()
    investigator = client_as(Role.investigator, None)
    forensic = {
        "kind": "remains",
        "sex": "female",
        "age_min": 25,
        "age_max": 35,
        "state": "JAL",
        "event_date": "2022-06-10",
        "distinguishing_marks": "TATUAJE EN ANTEBRAZO DERECHO CON FIGURA DE ROSA",
    }
    found = investigator.post(MATCH, json=forensic).json()["candidates"]
    assert [c["id"] for c in found][:1] == [report["id"]]
    family = {
        "given_names": "María Guadalupe", "sex": "female", "date_of_birth": "1990-05-17", "event_date": "2021-03-02",
        "state": "JAL", "distinguishing_marks": "tatuaje de rosa en antebrazo derecho", "among": ["remains", "report"],
    }  # fmt: skip
    found = investigator.post(MATCH, json=family).json()["candidates"]
    assert {c["kind"] for c in found} == {"report", "remains"}
    assert remains["id"] in [c["id"] for c in found]


def test_filters_keep_only_candidates_of_the_states_and_statuses_asked_for(
    client: TestClient, client_as: Callable[..., TestClient]
) -> None:
    client.post(REPORTS, json=report_payload())
    sinaloa = (
        client_as(Role.clerk, "SIN")
        .post(REPORTS, json=report_payload(source="SIN", folio="SIN-1", last_seen_state="SIN"))
        .json()
    )
    investigator = client_as(Role.investigator, None)
    query = {"given_names": "María Guadalupe", "first_surname": "Hernández", "date_of_birth": "1990-05-17"}
    found = investigator.post(MATCH, json={**query, "states": ["SIN"]}).json()["candidates"]
    assert [c["id"] for c in found] == [sinaloa["id"]]
    assert investigator.post(MATCH, json={**query, "statuses": ["located_alive"]}).json()["candidates"] == []
    found = investigator.post(MATCH, json={**query, "statuses": ["missing"]}).json()["candidates"]
    assert len(found) == 2


def test_a_bad_query_is_a_4xx_naming_the_field(client_as: Callable[..., TestClient], client: TestClient) -> None:
    investigator = client_as(Role.investigator, None)
    for body, field in (
        ({"sex": "female"}, "given_names"),
        ({"given_names": "Ana", "age_min": 40, "age_max": 30}, "age_min"),
        ({"kind": "remains", "age_min": 20, "among": ["remains"]}, "among"),
        ({"given_names": "Ana", "state": "XX"}, "state"),
        ({"given_names": "Ana", "colour": "red"}, "colour"),
        ({"given_names": "Ana", "top": 1000}, "top"),
        ({"kind": "remains", "age_min": 20, "condition": "rotten"}, "condition"),
    ):
        response = investigator.post(MATCH, json=body)
        assert response.status_code == 422, body
        assert field in response.text
    assert client.post(MATCH, json={"given_names": "Ana"}).status_code == 403  # clerks do not search


def test_the_bodys_condition_is_weighed_against_the_time_since_the_sighting(
    client: TestClient, client_as: Callable[..., TestClient], sessions: sessionmaker[Session]
) -> None:
    report = client.post(REPORTS, json=report_payload()).json()  # last seen 2021-03-02
    remains = client.post("/api/v1/remains", json=remains_payload(condition="complete")).json()  # found 2022-06-10
    learned = replace(
        default_parameters(),
        link=replace(default_parameters().link, condition_weights={"complete": (0.0, -2.5, -1.0, 0.5, 1.5)}),
    )
    with sessions() as session:
        store_parameters(session, learned, actor=SYSTEM, reports_used=1, remains_used=1)
        session.commit()
    investigator = client_as(Role.investigator, None)  # a new process: starts with the stored parameters
    found = investigator.get(f"/api/v1/remains/{remains['id']}/candidates").json()["candidates"]
    assert found[0]["id"] == report["id"]
    said = {e["comparison"]: e for e in found[0]["evidence"]}["condition_time"]
    assert said["weight"] == -2.5
    assert said["text"] == "body complete, found more than a year after the last sighting: unusual"
    query = {"kind": "remains", "sex": "female", "age_min": 25, "age_max": 35, "state": "JAL",
             "event_date": "2021-03-05", "condition": "complete"}  # fmt: skip
    found = investigator.post(MATCH, json=query).json()["candidates"]
    assert {e["comparison"]: e["weight"] for e in found[0]["evidence"]}["condition_time"] == 1.5
