"""The console's pages: the same rules as the API (per role, per jurisdiction, per database), restricted
fields hidden, the sandbox banner, the review screens, the clerk's forms and the trainer's exercises."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from registry.db import transaction
from registry.models import AuditEvent, Judgement, Role
from registry.services.instance import claim_for_sandbox
from tests.api.console.conftest import csrf_of
from tests.builders import remains_payload, report_payload

RECORD_LINK = re.compile(r'href="/console/reports/[0-9a-f-]{36}"')
RESTRICTED = {"contact_phone": "3312345678", "investigation_file_number": "CI-123-2021", "contact_name": "Ana Pérez"}


def _report(client: TestClient, **overrides: Any) -> dict[str, Any]:
    response = client.post("/api/v1/reports", json=report_payload(**overrides))
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def _pair(client: TestClient, client_as: Callable[..., TestClient]) -> str:
    """Two reports of the same person in two registries: a candidate pair in the queue."""
    _report(client)
    other = client_as(Role.clerk, "SIN")
    assert other.post("/api/v1/reports", json=report_payload(source="SIN", folio="SIN-2021-777")).status_code == 201
    investigator = client_as(Role.investigator)
    items = investigator.get("/api/v1/review/queue").json()["items"]
    assert items, "the duplicate should be in the review queue"
    return str(items[0]["id"])


@pytest.mark.parametrize(
    ("role", "jurisdiction", "page", "status"),
    [
        (Role.clerk, "JAL", "/console/search", 200),
        (Role.clerk, "JAL", "/console/review", 403),
        (Role.clerk, "JAL", "/console/match", 403),
        (Role.clerk, "JAL", "/console/reports/new", 200),
        (Role.clerk, "JAL", "/console/import", 200),
        (Role.clerk, "JAL", "/console/exercises", 403),
        (Role.investigator, None, "/console/review", 200),
        (Role.investigator, None, "/console/match", 200),
        (Role.investigator, None, "/console/reports/new", 403),
        (Role.investigator, None, "/console/import", 403),
        (Role.administrator, None, "/console/search", 403),
        (Role.trainer, None, "/console/search", 403),  # a trainer on real records sees nothing
        (Role.trainer, None, "/console/exercises", 403),
    ],
)
def test_each_role_reaches_what_the_api_grants_it(
    console_as: Callable[..., TestClient], role: Role, jurisdiction: str | None, page: str, status: int
) -> None:
    assert console_as(role, jurisdiction).get(page).status_code == status


def test_a_refusal_is_audited(console_as: Callable[..., TestClient], sessions: sessionmaker[Session]) -> None:
    console_as(Role.clerk, "JAL").get("/console/review")
    with sessions() as session:
        denied = session.scalars(select(AuditEvent).where(AuditEvent.outcome == "denied")).all()
    assert [(e.action, e.role) for e in denied] == [("match.search", "clerk")]


def test_the_menu_offers_only_what_the_role_may_do(console_as: Callable[..., TestClient]) -> None:
    clerk = console_as(Role.clerk, "JAL").get("/console/search").text
    assert "/console/reports/new" in clerk
    assert "/console/review" not in clerk
    investigator = console_as(Role.investigator).get("/console/search").text
    assert "/console/review" in investigator
    assert "/console/reports/new" not in investigator


def test_search_finds_by_name_and_jumps_to_a_folio(client: TestClient, console_as: Callable[..., TestClient]) -> None:
    created = _report(client)
    _report(client, folio="JAL-2021-00124", given_names="Rosa", first_surname="Tzompantzi")
    console = console_as(Role.clerk, "SIN")
    found = console.get("/console/search", params={"kind": "reports", "name": "guadalupe hernandez"}).text
    assert "JAL-2021-00123" in found
    assert "JAL-2021-00124" not in found
    jump = console.get("/console/search", params={"folio": "JAL-2021-00123"}, follow_redirects=False)
    assert jump.headers["location"] == f"/console/reports/{created['id']}"
    missing = console.get("/console/search", params={"folio": "JAL-1999-1"})
    assert "no record with this folio" in missing.text
    bad = console.get("/console/search", params={"date_from": "ayer"})
    assert "YYYY-MM-DD" in bad.text


def test_search_pages_through_results(client: TestClient, console_as: Callable[..., TestClient]) -> None:
    for n in range(27):
        _report(client, folio=f"JAL-2021-{n:05d}")
    console = console_as(Role.clerk, "JAL")
    first = console.get("/console/search", params={"kind": "reports", "source": "JAL"}).text
    assert len(RECORD_LINK.findall(first)) == 25
    link = re.search(r'rel="next" href="([^"]+)"', first)
    assert link
    second = console.get(link.group(1).replace("&amp;", "&")).text
    assert len(RECORD_LINK.findall(second)) == 2


@pytest.mark.parametrize(
    ("role", "jurisdiction", "sees"),
    [
        (Role.clerk, "JAL", True),
        (Role.clerk, "SIN", False),
        (Role.investigator, None, True),
        (Role.investigator, "SIN", False),
    ],
)
def test_restricted_fields_are_shown_only_as_the_api_shows_them(
    client: TestClient,
    console_as: Callable[..., TestClient],
    sessions: sessionmaker[Session],
    role: Role,
    jurisdiction: str | None,
    sees: bool,
) -> None:
    created = _report(client, **RESTRICTED)
    client.patch(f"/api/v1/reports/{created['id']}", json={"contact_phone": "3399999999"}, headers={"If-Match": '"1"'})
    page = console_as(role, jurisdiction).get(f"/console/reports/{created['id']}").text
    assert "JAL-2021-00123" in page
    assert "Guadalupe" in page
    for value in (*RESTRICTED.values(), "3399999999"):
        assert (value in page) is sees, value
    with sessions() as session:
        audited = session.scalars(select(AuditEvent).where(AuditEvent.action == "record.read_restricted")).all()
    assert bool(audited) is sees


def test_the_record_page_shows_history_and_status_events(
    client: TestClient, console_as: Callable[..., TestClient]
) -> None:
    created = _report(client)
    url = f"/api/v1/reports/{created['id']}"
    client.patch(url, json={"height_cm": 161}, headers={"If-Match": '"1"'})
    client.post(f"{url}/status", json={"status": "located_alive", "date": "2023-01-05"}, headers={"If-Match": '"2"'})
    page = console_as(Role.clerk, "JAL").get(f"/console/reports/{created['id']}").text
    assert "158 → 161" in page
    assert "2023-01-05" in page
    assert "Located alive" in page


def test_the_pair_page_lays_the_evidence_out_and_a_judgement_needs_its_reason(
    client: TestClient,
    client_as: Callable[..., TestClient],
    console_as: Callable[..., TestClient],
    sessions: sessionmaker[Session],
) -> None:
    pair_id = _pair(client, client_as)
    console = console_as(Role.investigator)
    queue = console.get("/console/review").text
    assert f"/console/pairs/{pair_id}" in queue
    page = console.get(f"/console/pairs/{pair_id}").text
    assert "JAL-2021-00123" in page
    assert "SIN-2021-777" in page
    assert '<svg class="waterfall"' in page
    assert "prior (before any comparison)" in page
    assert 'class="agree"' in page  # the names agree
    token = csrf_of(page)
    refused = console.post(f"/console/pairs/{pair_id}/judgement", data={"decision": "same", "reason": "revisé"})
    assert refused.status_code == 403  # no form token
    blank = console.post(
        f"/console/pairs/{pair_id}/judgement", data={"decision": "same", "reason": "  ", "csrf_token": token}
    )
    assert blank.status_code == 422
    assert 'id="reason-error"' in blank.text
    with sessions() as session:
        assert session.scalars(select(Judgement)).all() == []
    done = console.post(
        f"/console/pairs/{pair_id}/judgement",
        data={"decision": "same", "reason": "misma CURP y fecha", "csrf_token": token},
    )
    assert done.status_code == 200
    assert "misma CURP y fecha" in done.text
    with sessions() as session:
        assert [(j.decision.value, j.reason) for j in session.scalars(select(Judgement))] == [
            ("same", "misma CURP y fecha")
        ]


def test_remains_are_identified_from_their_pair_with_a_method(
    client: TestClient, client_as: Callable[..., TestClient], console_as: Callable[..., TestClient]
) -> None:
    report = _report(client)
    response = client.post(
        "/api/v1/remains", json=remains_payload(given_names="María Guadalupe", first_surname="Hernández")
    )
    assert response.status_code == 201
    investigator = client_as(Role.investigator)
    items = investigator.get("/api/v1/review/queue", params={"kind": "remains_report"}).json()["items"]
    assert items
    console = console_as(Role.investigator)
    page = console.get(f"/console/pairs/{items[0]['id']}").text
    done = console.post(
        f"/console/pairs/{items[0]['id']}/identification",
        data={"method": "dental", "date": "2023-02-01", "csrf_token": csrf_of(page)},
    )
    assert done.status_code == 200
    assert "Identification saved" in done.text
    assert investigator.get(f"/api/v1/reports/{report['id']}").json()["status"] == "located_dead"


def test_the_match_query_form_names_the_field_in_error(
    client: TestClient, console_as: Callable[..., TestClient]
) -> None:
    _report(client)
    console = console_as(Role.investigator)
    found = console.get("/console/match", params={"given_names": "Maria Guadalupe", "first_surname": "Hernandez"})
    assert "JAL-2021-00123" in found.text
    wrong = console.get("/console/match", params={"given_names": "Ana", "height_cm": "900"})
    assert 'id="height_cm-error"' in wrong.text


def test_the_report_form_explains_each_field_and_warns_of_a_likely_duplicate(
    client: TestClient, console_as: Callable[..., TestClient]
) -> None:
    _report(client)
    console = console_as(Role.clerk, "JAL")
    token = csrf_of(console.get("/console/reports/new").text)
    form = {k: str(v) for k, v in report_payload(folio="JAL-2021-00999").items()}
    bad = console.post("/console/reports/new", data={**form, "last_seen_date": "2099-01-01", "csrf_token": token})
    assert bad.status_code == 422
    assert 'id="e-last_seen_date"' in bad.text
    warned = console.post("/console/reports/new", data={**form, "csrf_token": token})
    assert warned.status_code == 200
    assert 'id="duplicate-alert"' in warned.text
    assert "JAL-2021-00123" in warned.text
    assert console.get("/console/search", params={"folio": "JAL-2021-00999"}, follow_redirects=False).status_code == 200
    saved = console.post(
        "/console/reports/new", data={**form, "confirmed": "yes", "csrf_token": token}, follow_redirects=False
    )
    assert saved.status_code == 303
    assert saved.headers["location"].endswith("?saved=1")
    foreign = console.post(
        "/console/reports/new", data={**form, "source": "SIN", "folio": "SIN-1", "csrf_token": token}
    )
    assert foreign.status_code == 403
    assert 'id="e-source"' in foreign.text


def test_a_correction_made_over_someone_elses_says_so(
    client: TestClient, console_as: Callable[..., TestClient]
) -> None:
    created = _report(client)
    console = console_as(Role.clerk, "JAL")
    form_page = console.get(f"/console/reports/{created['id']}/edit").text
    assert 'name="version" value="1"' in form_page
    client.patch(f"/api/v1/reports/{created['id']}", json={"height_cm": 150}, headers={"If-Match": '"1"'})
    values = {k: str(v) for k, v in report_payload(height_cm=170).items()}
    late = console.post(
        f"/console/reports/{created['id']}/edit", data={**values, "version": "1", "csrf_token": csrf_of(form_page)}
    )
    assert late.status_code == 412
    assert "someone else saved this record" in late.text
    assert client.get(f"/api/v1/reports/{created['id']}").json()["height_cm"] == 150
    again = console.post(
        f"/console/reports/{created['id']}/edit",
        data={**values, "version": "2", "csrf_token": csrf_of(form_page)},
        follow_redirects=False,
    )
    assert again.status_code == 303
    assert client.get(f"/api/v1/reports/{created['id']}").json()["height_cm"] == 170
    other = console_as(Role.clerk, "SIN").get(f"/console/reports/{created['id']}/edit")
    assert other.status_code == 404  # another registry's record, as the API answers


def test_an_import_dry_run_summarises_and_offers_its_rejects(console_as: Callable[..., TestClient]) -> None:
    console = console_as(Role.clerk, "JAL")
    token = csrf_of(console.get("/console/import").text)
    csv = (
        "source,folio,sex,last_seen_date,last_seen_state,given_names\r\n"
        "JAL,JAL-CSV-1,female,2021-03-02,JAL,Ana\r\nJAL,JAL-CSV-2,female,2099-03-02,JAL,Eva\r\n"
    )
    page = console.post(
        "/console/import",
        data={"kind": "missing", "dry_run": "yes", "csrf_token": token},
        files={"file": ("export.csv", csv.encode(), "text/csv")},
    )
    assert page.status_code == 200
    assert 'id="rejected-count">1<' in page.text
    assert console.get("/console/search", params={"folio": "JAL-CSV-1"}, follow_redirects=False).status_code == 200
    rejects = re.search(r'name="rejects" value="([^"]*)"', page.text)
    assert rejects
    download = console.post(
        "/console/import/rejects.csv", data={"rejects": html.unescape(rejects.group(1)), "csrf_token": token}
    )
    assert download.headers["content-disposition"].startswith("attachment")
    assert "JAL-CSV-2" in download.text
    assert "line,error" in download.text


def test_the_sandbox_banner_is_on_every_page_of_a_sandbox_only(
    console_as: Callable[..., TestClient], console_client: Callable[..., TestClient], sessions: sessionmaker[Session]
) -> None:
    real = console_as(Role.clerk, "JAL")
    assert "datos de práctica" not in real.get("/console/search").text
    with transaction(sessions) as session:
        claim_for_sandbox(session)
    trainer = console_as(Role.trainer)
    for page in ("/console/search", "/console/review", "/console/exercises", "/console/import"):
        assert "datos de práctica" in trainer.get(page).text, page
    assert "datos de práctica" in console_client().get("/console/login").text
