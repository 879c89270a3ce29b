"""A clerk's and an investigator's session read in Spanish: every text of every answer, none left in English.

Each test asks in Spanish (Accept-Language: es-MX) and checks, besides the words it quotes, that no text of
the answer is one of the catalogs' English messages or pydantic's English (tests/i18n/spanish.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from registry.models import Role
from tests.builders import remains_payload, report_payload, valid_curp_for
from tests.i18n.spanish import catalog, untranslated

REPORTS = "/api/v1/reports"
SPANISH = {"Accept-Language": "es-MX"}


@pytest.fixture
def clerk(client: TestClient) -> TestClient:
    client.headers.update(SPANISH)
    return client


@pytest.fixture
def investigator(client_as: Callable[..., TestClient]) -> TestClient:
    client = client_as(Role.investigator, None)
    client.headers.update(SPANISH)
    return client


def spanish(response: Any) -> dict[str, Any]:
    assert response.headers["content-language"] == "es-MX"
    body = response.json()
    assert untranslated(body) == []
    return body


def person(**overrides: Any) -> dict[str, Any]:
    payload = report_payload(**overrides)
    payload.setdefault("curp", valid_curp_for(report_payload()))
    return payload


def test_a_report_with_mistakes_is_refused_field_by_field_in_spanish(clerk: TestClient) -> None:
    bad = report_payload(date_of_birth="1990-13-45", last_seen_state="Jalisco", height_cm=900, sex="M", extra=1)
    problem = spanish(clerk.post(REPORTS, json=bad))
    assert problem["title"] == "Solicitud no válida"
    by_field = {e["field"]: e["message"] for e in problem["errors"]}
    # The fields keep their machine names; the messages and the prose are Spanish.
    assert by_field["date_of_birth"] == "debe ser una fecha válida (AAAA-MM-DD)"
    assert by_field["height_cm"] == "debe ser como máximo 250"
    assert by_field["last_seen_state"].startswith("'JALISCO' no es un código de entidad")
    assert by_field["sex"].startswith("'M' es ambiguo")
    assert by_field["extra"] == "no es un campo conocido"
    assert "Fecha de nacimiento: debe ser una fecha válida (AAAA-MM-DD)" in problem["detail"]
    assert "Estatura (cm): debe ser como máximo 250" in problem["detail"]

    missing = spanish(clerk.post(REPORTS, json={"source": "JAL"}))
    assert {e["field"]: e["message"] for e in missing["errors"]}["folio"] == "es obligatorio"
    assert "Folio: es obligatorio" in missing["detail"]

    future = spanish(clerk.post(REPORTS, json=report_payload(date_of_birth="2090-01-01")))
    assert "Fecha de nacimiento: es una fecha futura" in future["detail"]
    order = spanish(clerk.post(REPORTS, json=report_payload(date_of_birth="2022-01-01")))
    assert order["errors"] == [
        {"field": "date_of_birth", "message": "debe ser anterior a la fecha en que se le vio por última vez"}
    ]
    assert spanish(clerk.post(REPORTS, content=b"{not json", headers={"Content-Type": "application/json"}))[
        "errors"
    ] == [{"field": "body", "message": "el cuerpo no es JSON válido"}]


def test_submit_correct_conflict_and_status_in_spanish(clerk: TestClient) -> None:
    created = clerk.post(REPORTS, json=report_payload())
    assert created.status_code == 201
    record = spanish(created)
    duplicate = spanish(clerk.post(REPORTS, json=report_payload()))
    assert duplicate["title"] == "El registro ya existe"
    assert duplicate["detail"].startswith("ya existe un registro (reporte) con fuente JAL y folio JAL-2021-00123")

    url = f"{REPORTS}/{record['id']}"
    no_etag = spanish(clerk.patch(url, json={"height_cm": 160}))
    assert no_etag["title"] == "Se requiere precondición"
    assert no_etag["detail"] == "envíe If-Match con el ETag del registro que está cambiando"
    stale = spanish(clerk.patch(url, json={"height_cm": 160}, headers={"If-Match": '"999"'}))
    assert stale["title"] == "Falló la precondición"
    corrected = clerk.patch(url, json={"height_cm": 160}, headers={"If-Match": created.headers["etag"]})
    assert corrected.status_code == 200
    spanish(corrected)

    early = spanish(clerk.post(f"{url}/status", json={"status": "located_alive", "date": "2020-01-01"},
                               headers={"If-Match": corrected.headers["etag"]}))  # fmt: skip
    assert early["detail"].startswith(
        "Fecha: no debe ser anterior a Fecha en que se le vio por última vez (02/03/2021)"
    )

    unknown = spanish(clerk.get(f"{REPORTS}/00000000-0000-0000-0000-000000000000"))
    assert unknown["title"] == "No encontrado"
    assert unknown["detail"] == "no hay un registro (reporte) con id 00000000-0000-0000-0000-000000000000"
    foreign = spanish(clerk.post(REPORTS, json=report_payload(source="SIN", folio="SIN-1", last_seen_state="SIN")))
    assert foreign["title"] == "Prohibido"
    assert "solo puede registrar reportes de JAL, no de SIN" in foreign["detail"]


def test_an_alert_on_submit_reads_in_spanish(clerk: TestClient, client_as: Callable[..., TestClient]) -> None:
    assert clerk.post(REPORTS, json=person()).status_code == 201
    sinaloa = client_as(Role.clerk, "SIN")
    second = sinaloa.post(
        REPORTS,
        json=person(source="SIN", folio="SIN-2022-0007", last_seen_state="SIN", last_seen_municipality="Culiacán",
                    first_surname="García", second_surname="Hernández"),
        headers=SPANISH,
    )  # fmt: skip
    assert second.status_code == 201
    [alert] = spanish(second)["alerts"]
    assert alert["message"].startswith("posiblemente ya registrado en Jalisco con el folio JAL-2021-00123, ")
    assert "misma CURP" in alert["summary"]
    assert "apellidos invertidos" in alert["summary"]


def test_the_investigator_reads_candidates_the_queue_and_pairs_in_spanish(
    clerk: TestClient, investigator: TestClient
) -> None:
    first = clerk.post(REPORTS, json=person()).json()
    clerk.post(REPORTS, json=person(folio="JAL-2022-0099", first_surname="García", second_surname="Hernández"))
    remains = clerk.post("/api/v1/remains", json=remains_payload())
    assert remains.status_code == 201, remains.text

    found = spanish(investigator.get(f"{REPORTS}/{first['id']}/candidates"))
    [candidate] = [c for c in found["candidates"] if c["kind"] == "report"]
    texts = {e["comparison"]: e["text"] for e in candidate["evidence"]}
    assert texts["surnames"] == "apellidos invertidos"
    assert texts["curp"] == "misma CURP"
    assert {e["level"] for e in candidate["evidence"]} >= {"SWAPPED", "EXACT"}  # levels stay codes
    assert "apellidos invertidos (+" in candidate["summary"]

    queue = spanish(investigator.get("/api/v1/review/queue"))
    pair = queue["items"][0]
    assert pair["status"] == "pending"
    assert pair["status_label"] == "Pendiente de revisión"
    assert "apellidos invertidos" in pair["summary"]
    assert spanish(investigator.get(f"/api/v1/review/pairs/{pair['id']}"))["pair"]["kind_label"]
    blank = spanish(investigator.post(f"/api/v1/review/pairs/{pair['id']}/judgements",
                                      json={"decision": "same", "reason": "  "}))  # fmt: skip
    assert blank["errors"] == [{"field": "reason", "message": "no debe estar en blanco"}]
    nothing = spanish(investigator.post(f"/api/v1/review/pairs/{pair['id']}/undo", json={"reason": "x"}))
    assert nothing["detail"] == "este par no tiene un dictamen que anular"


def test_an_import_with_rejects_reads_in_spanish(clerk: TestClient) -> None:
    csv = (
        "Registro,Folio,Nombre(s),Primer apellido,Sexo,Fecha de desaparición,Entidad\r\n"
        "JAL,JAL-CSV-1,Ana,Pérez,Mujer,02/03/2021,JAL\r\n"
        "JAL,JAL-CSV-2,Luz,Soto,Mujer,31/02/2021,JAL\r\n"
        "SIN,SIN-CSV-3,Eva,Ruiz,Mujer,02/03/2021,SIN\r\n"
    )
    response = clerk.post("/api/v1/imports/missing", files={"file": ("export.csv", csv.encode(), "text/csv")})
    assert response.status_code == 200, response.text
    result = spanish(response)
    assert result["summary"] == "creados 1, actualizados 0, sin cambios 0, rechazados 2 (1 de otro registro)"
    errors = [r["error"] for r in result["rejects"]]
    assert errors[0].startswith("Fecha de desaparición: ")
    assert "(la celda contiene '31/02/2021')" in errors[0]
    assert errors[0].endswith("use DD/MM/AAAA o AAAA-MM-DD")
    assert errors[1] == "Registro: solo puede registrar reportes de JAL, no de SIN"

    unreadable = spanish(clerk.post("/api/v1/imports/missing", files={"file": ("x.csv", b"Foo,Bar\r\n1,2\r\n")}))
    assert unreadable["detail"].startswith("Archivo: columna(s) desconocida(s)")


def test_vocabulary_labels_the_codes_and_keeps_them(clerk: TestClient) -> None:
    body = spanish(clerk.get("/api/v1/vocabulary"))
    labels = body["labels"]
    assert body["language"] == "es-MX"
    assert labels["report_status"] == {
        "missing": "Desaparecida", "located_alive": "Localizada con vida", "located_dead": "Localizada sin vida",
    }  # fmt: skip
    assert labels["field"]["date_of_birth"] == "Fecha de nacimiento"
    assert labels["comparison_level"]["surnames.SWAPPED"] == "apellidos invertidos"
    assert labels["role"]["clerk"] == "Capturista"
    english = clerk.get("/api/v1/vocabulary", params={"lang": "en"}).json()
    assert english["labels"]["report_status"]["located_alive"] == "Located alive"
    assert english["labels"].keys() == labels.keys()


def test_problem_pages_and_unknown_addresses_read_in_spanish(clerk: TestClient) -> None:
    page = spanish(clerk.get("/problems/stale-version"))
    assert page["title"] == "Falló la precondición"
    assert page["type"] == "stale-version"
    assert spanish(clerk.get("/no/such/page"))["title"] == "No encontrado"


def test_the_openapi_page_is_spanish_with_english_kept_for_integrators(app_client: TestClient) -> None:
    spanish_schema = app_client.get("/openapi.json", headers=SPANISH)
    assert spanish_schema.headers["content-language"] == "es-MX"
    english = app_client.get("/openapi.json", params={"lang": "en"}).json()
    spanish_paths = spanish_schema.json()["paths"]
    assert spanish_paths["/api/v1/reports"]["post"]["summary"] == "Crear un reporte"
    assert english["paths"]["/api/v1/reports"]["post"]["summary"] == "Create a report"
    assert spanish_paths.keys() == english["paths"].keys()  # the same API, only its words differ


def test_every_summary_and_description_of_the_api_has_its_spanish(app_client: TestClient) -> None:
    """A route or a field documented without running `python -m api.catalogs openapi` shows in English."""
    texts: set[str] = set()

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                if key in ("summary", "description") and isinstance(item, str):
                    texts.add(item)
                else:
                    walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(app_client.get("/openapi.json", params={"lang": "en"}).json())
    spanish = catalog("es_MX", "openapi")
    assert sorted(text for text in texts if not spanish.get(text)) == []


def test_a_body_too_large_is_refused_in_spanish(clerk: TestClient) -> None:
    refused = clerk.post(REPORTS, content=b"x" * 2_000_000, headers={"Content-Type": "application/json"})
    assert refused.status_code == 413
    problem = spanish(refused)
    assert problem["title"] == "Cuerpo de la solicitud demasiado grande"
    assert problem["detail"] == "el cuerpo de la solicitud excede 1,048,576 bytes"
