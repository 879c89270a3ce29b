"""The records API as a clerk meets it: create, read, correct, re-state, withdraw, history, search."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.builders import remains_payload, report_payload, valid_curp_for

REPORTS = "/api/v1/reports"
REMAINS = "/api/v1/remains"


def create(client: TestClient, url: str = REPORTS, **overrides):
    payload = report_payload(**overrides) if url == REPORTS else remains_payload(**overrides)
    response = client.post(url, json=payload)
    assert response.status_code == 201, response.text
    return response


def test_create_returns_the_record_with_etag_and_location(client: TestClient) -> None:
    response = create(client)
    body = response.json()
    assert response.headers["etag"] == '"1"'
    assert response.headers["location"] == f"{REPORTS}/{body['id']}"
    assert body["given_names"] == "María Guadalupe"
    assert body["status"] == "missing"
    read = client.get(f"{REPORTS}/{body['id']}")
    assert read.status_code == 200
    assert read.headers["etag"] == '"1"'
    assert read.json()["folio"] == "JAL-2021-00123"


def test_same_source_and_folio_is_a_conflict_pointing_at_the_existing_record(client: TestClient) -> None:
    first = create(client).json()
    response = client.post(REPORTS, json=report_payload(given_names="Otra"))
    assert response.status_code == 409
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["existing_id"] == first["id"]


def test_update_needs_if_match_and_refuses_a_stale_one(client: TestClient) -> None:
    created = create(client)
    url = f"{REPORTS}/{created.json()['id']}"
    assert client.patch(url, json={"height_cm": 160}).status_code == 428
    ok = client.patch(url, json={"height_cm": 160}, headers={"If-Match": created.headers["etag"]})
    assert ok.status_code == 200
    assert ok.headers["etag"] == '"2"'
    stale = client.patch(url, json={"height_cm": 170}, headers={"If-Match": created.headers["etag"]})
    assert stale.status_code == 412
    assert client.get(url).json()["height_cm"] == 160


def test_an_update_is_validated_as_a_whole_record(client: TestClient) -> None:
    created = create(client)
    url = f"{REPORTS}/{created.json()['id']}"
    response = client.patch(url, json={"date_of_birth": "2022-01-01"}, headers={"If-Match": '"1"'})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "date_of_birth"
    assert client.get(url).json()["date_of_birth"] == "1990-05-17"


def test_history_keeps_every_version_and_status_event(client: TestClient) -> None:
    created = create(client)
    url = f"{REPORTS}/{created.json()['id']}"
    client.patch(url, json={"height_cm": 161}, headers={"If-Match": '"1"'})
    status = client.post(
        f"{url}/status",
        json={"status": "located_alive", "date": "2023-01-05", "note": "found"},
        headers={"If-Match": '"2"'},
    )
    assert status.status_code == 200
    assert status.json()["status"] == "located_alive"
    history = client.get(f"{url}/history").json()
    assert [v["version"] for v in history["versions"]] == [1, 2, 3]
    assert history["versions"][1]["changes"] == {"height_cm": [158, 161]}
    assert history["versions"][2]["change_kind"] == "status_changed"
    assert [(e["from_status"], e["to_status"]) for e in history["status_events"]] == [
        (None, "missing"),
        ("missing", "located_alive"),
    ]
    assert history["status_events"][1]["effective_date"] == "2023-01-05"


def test_withdrawal_keeps_the_record_and_hides_it_from_search(client: TestClient) -> None:
    created = create(client).json()
    url = f"{REPORTS}/{created['id']}"
    bad = client.post(f"{url}/withdraw", json={"reason": "because"}, headers={"If-Match": '"1"'})
    assert bad.status_code == 422
    ok = client.post(f"{url}/withdraw", json={"reason": "duplicate", "note": "see JAL-1"}, headers={"If-Match": '"1"'})
    assert ok.status_code == 200
    assert client.get(url).json()["withdrawal_reason"] == "duplicate"
    assert client.get(REPORTS).json()["items"] == []
    assert len(client.get(REPORTS, params={"include_withdrawn": True}).json()["items"]) == 1
    again = client.patch(url, json={"height_cm": 150}, headers={"If-Match": '"2"'})
    assert again.status_code == 409


def test_curp_mismatch_is_a_warning_not_a_refusal(client: TestClient) -> None:
    payload = report_payload()
    good = valid_curp_for(payload)
    wrong_sex = good[:10] + "H" + good[11:17]
    response = create(client, curp=wrong_sex + "0")
    body = response.json()
    assert body["curp"] == wrong_sex + "0"
    assert any("sex" in w for w in body["warnings"])
    clean = create(client, folio="JAL-2", curp=good).json()
    assert clean["warnings"] == []
    assert clean["curp_problems"] == []


def test_search_filters_and_pages_in_a_stable_order(client: TestClient) -> None:
    surnames = ["Xolalpa", "Tzompantzi", "Cuautle", "Canul", "Pech", "Ek", "Chan"]
    for i, surname in enumerate(surnames):
        create(client, folio=f"F-{i}", last_seen_state="SIN" if i % 2 else "JAL", first_surname=surname)
    seen = []
    cursor = None
    while True:
        params = {"limit": 3, **({"cursor": cursor} if cursor else {})}
        page = client.get(REPORTS, params=params).json()
        seen.extend(item["folio"] for item in page["items"])
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert sorted(seen) == [f"F-{i}" for i in range(7)]
    assert len(set(seen)) == 7
    sinaloa = client.get(REPORTS, params={"state": "SIN"}).json()["items"]
    assert {item["folio"] for item in sinaloa} == {"F-1", "F-3", "F-5"}
    by_name = client.get(REPORTS, params={"name": "canul GUADALUPE"}).json()["items"]
    assert [item["folio"] for item in by_name] == ["F-3"]
    assert client.get(REPORTS, params={"name": "canul pedro"}).json()["items"] == []
    assert client.get(REPORTS, params={"cursor": "not-a-cursor"}).status_code == 400


def test_age_filter_uses_the_age_at_last_seen(client: TestClient) -> None:
    create(client, folio="A", date_of_birth="2005-01-01", last_seen_date="2021-03-02")  # 16
    create(client, folio="B", date_of_birth=None, age_years=40)
    minors = client.get(REPORTS, params={"age_max": 17}).json()["items"]
    assert [item["folio"] for item in minors] == ["A"]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"sex": "M"}, "sex"),
        ({"last_seen_state": "XXX"}, "last_seen_state"),
        ({"last_seen_date": "2999-01-01"}, "last_seen_date"),
        ({"date_of_birth": "2022-01-01"}, "date_of_birth"),
        ({"height_cm": 2**70}, "height_cm"),
        ({"given_names": "a\x00b"}, "given_names"),
        ({"given_names": None, "first_surname": None, "second_surname": None}, "given_names"),
        ({"nickname": "Lupe"}, "nickname"),
        ({"last_seen_date": "2021-02-30"}, "last_seen_date"),
    ],
)
def test_bad_input_is_a_422_naming_the_field(client: TestClient, overrides: dict, field: str) -> None:
    response = client.post(REPORTS, json=report_payload(**overrides))
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert field in [e["field"] for e in response.json()["errors"]]
    assert client.get(REPORTS).json()["items"] == []


def test_malformed_json_and_huge_bodies_are_refused_cleanly(client: TestClient) -> None:
    response = client.post(REPORTS, content=b"{not json", headers={"content-type": "application/json"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "body"
    huge = client.post(REPORTS, json=report_payload(given_names="a" * (10 * 1024 * 1024)))
    assert huge.status_code == 413
    assert huge.headers["content-type"] == "application/problem+json"


def test_remains_lifecycle(client: TestClient) -> None:
    created = create(client, REMAINS)
    body = created.json()
    assert body["status"] == "unidentified"
    url = f"{REMAINS}/{body['id']}"
    bad = client.patch(url, json={"age_min": 50}, headers={"If-Match": '"1"'})
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "age_min"
    ok = client.post(f"{url}/status", json={"status": "identified", "date": "2023-01-01"}, headers={"If-Match": '"1"'})
    assert ok.status_code == 200
    wrong = client.post(
        f"{url}/status", json={"status": "located_dead", "date": "2023-01-01"}, headers={"If-Match": '"2"'}
    )
    assert wrong.status_code == 422


def test_unknown_record_is_404(client: TestClient) -> None:
    response = client.get(f"{REPORTS}/00000000-0000-0000-0000-000000000000")
    assert response.status_code == 404
    assert client.get(f"{REPORTS}/not-a-uuid").status_code == 422


def test_idempotent_creation_replays_the_first_response(client: TestClient) -> None:
    headers = {"Idempotency-Key": "clerk-retry-1"}
    first = client.post(REPORTS, json=report_payload(), headers=headers)
    again = client.post(REPORTS, json=report_payload(), headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json()["id"] == first.json()["id"]
    assert again.headers["etag"] == first.headers["etag"]
    assert len(client.get(REPORTS).json()["items"]) == 1
    changed = client.post(REPORTS, json=report_payload(folio="OTHER"), headers=headers)
    assert changed.status_code == 422


def test_health_and_readiness(client: TestClient) -> None:
    assert client.get("/healthz").json()["status"] == "ok"
    assert client.get("/readyz").json()["status"] == "ready"


def test_openapi_documents_every_endpoint(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for path in (REPORTS, f"{REPORTS}/{{record_id}}", f"{REPORTS}/{{record_id}}/history", REMAINS):
        assert path in paths


@pytest.mark.parametrize(
    ("overrides", "field", "says"),
    [
        ({"last_seen_state": "Jalisco"}, "last_seen_state", "'JALISCO' is not a state code"),
        ({"source": "Sinaloa"}, "source", "'SINALOA' is not a registry code"),
        ({"last_seen_state": "x" * 5000}, "last_seen_state", "is not a state code"),
    ],
)
def test_a_state_written_out_is_told_what_a_state_code_is(
    client: TestClient, overrides: dict, field: str, says: str
) -> None:
    response = client.post(REPORTS, json=report_payload(**overrides))
    assert response.status_code == 422
    errors = {e["field"]: e["message"] for e in response.json()["errors"]}
    assert says in errors[field]
    assert "e.g. JAL" in errors[field] or "such as JAL" in errors[field]
    assert len(errors[field]) < 200  # the clerk's text is quoted, not echoed whole
