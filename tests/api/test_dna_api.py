"""DNA over HTTP: uploads, genotype reads (geneticists only, audited), candidates (never genotypes), references."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from matching.dna.simulate import Configuration
from registry.actor import SYSTEM
from registry.db import transaction
from registry.models import AuditEvent, Role
from registry.services.dna_import import import_dna
from tests.dna_builders import GENOTYPES_HEADER, SAMPLES_HEADER, DnaCase, family_case


def _csv(header: list[str], rows: list[dict[str, str]]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def _files(case: DnaCase) -> dict[str, tuple[str, bytes, str]]:
    return {"samples": ("samples.csv", _csv(SAMPLES_HEADER, case.samples), "text/csv"),
            "genotypes": ("genotypes.csv", _csv(GENOTYPES_HEADER, case.genotypes), "text/csv")}  # fmt: skip


def _stored(sessions: sessionmaker[Session], case: DnaCase) -> DnaCase:
    with transaction(sessions) as session:
        import_dna(session=session, samples=case.samples, genotypes=case.genotypes, actor=SYSTEM)
    return case


def test_a_geneticist_uploads_for_their_registry(
    client_as: Callable[..., TestClient], sessions: sessionmaker[Session]
) -> None:
    own, foreign = family_case(sessions, seed=31), family_case(sessions, seed=32, source="SIN")
    geneticist = client_as(Role.geneticist, "JAL")
    response = geneticist.post("/api/v1/dna/imports", files=_files(own))
    assert response.status_code == 200, response.text
    assert response.json()["created"] == len(own.samples)
    response = geneticist.post("/api/v1/dna/imports", files=_files(foreign))
    body = response.json()
    assert (body["created"], body["foreign"]) == (0, len(foreign.samples))
    assert {r["column"] for r in body["rejects"] if r["file"] == "samples"} == {"record_source"}
    bad = _files(own)
    bad["samples"] = ("s.csv", b"lab,sample_id,colour\r\nL,S,x\r\n", "text/csv")
    response = geneticist.post("/api/v1/dna/imports", files=bad)
    assert response.status_code == 422
    assert "colour" in response.json()["detail"]
    assert client_as(Role.investigator).post("/api/v1/dna/imports", files=_files(own)).status_code == 403


def test_genotypes_go_to_geneticists_of_the_registry_only_and_every_read_is_audited(
    client_as: Callable[..., TestClient], sessions: sessionmaker[Session]
) -> None:
    case = _stored(sessions, family_case(sessions, seed=33))
    lab, sample_id = case.samples[0]["lab"], case.samples[0]["sample_id"]
    params = {"lab": lab, "sample_id": sample_id}
    geneticist = client_as(Role.geneticist, "JAL")
    response = geneticist.get("/api/v1/dna/samples", params=params)
    assert response.status_code == 200, response.text
    sample = response.json()["samples"][0]
    assert len(sample["genotypes"]) == 20
    assert sample["history"][0]["change_kind"] == "created"
    record = geneticist.get("/api/v1/dna/samples", params={"record_id": case.report_id}).json()["samples"]
    assert len(record) == len(case.samples) - 1
    assert client_as(Role.geneticist, "SIN").get("/api/v1/dna/samples", params=params).status_code == 404
    for role in (Role.investigator, Role.clerk):
        assert client_as(role, "JAL").get("/api/v1/dna/samples", params=params).status_code == 403
    with sessions() as session:
        events = session.scalars(select(AuditEvent).where(AuditEvent.action == "dna.genotype_read")).all()
    outcomes = sorted(e.outcome for e in events)
    # The other registry's geneticist, the investigator and the clerk: refused, and audited as such.
    assert outcomes == ["denied"] * 3 + ["success"] * (1 + len(record))


def test_investigators_see_results_never_genotypes(
    client_as: Callable[..., TestClient], sessions: sessionmaker[Session]
) -> None:
    case = _stored(sessions, family_case(sessions, seed=34, configuration=Configuration.BOTH_PARENTS))
    _stored(sessions, family_case(sessions, seed=35, configuration=Configuration.ONE_PARENT))
    investigator = client_as(Role.investigator, "SIN")
    response = investigator.get(f"/api/v1/dna/remains/{case.remains_id}/candidates")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["families"] == 2
    assert body["prior"] == 0.5
    best = body["candidates"][0]
    assert best["report_id"] == case.report_id
    assert best["references"] == "father+mother"
    assert best["log10_lr"] > 4
    assert best["posterior"] > 0.99
    assert len(best["loci_compared"]) == 20
    assert best["frequency_table"] == "SW Hispanic"
    genotype = case.genotypes[0]
    assert f'"{genotype["allele_1"]}"' not in response.text.replace('"20"', "")
    by_report = investigator.get(f"/api/v1/dna/reports/{case.report_id}/candidates").json()
    assert by_report["candidates"][0]["remains_id"] == case.remains_id
    other = investigator.get(f"/api/v1/dna/remains/{case.remains_id}/candidates", params={"table": "US Hispanic"})
    assert other.json()["candidates"][0]["frequency_table"] == "US Hispanic"
    unknown = investigator.get(f"/api/v1/dna/remains/{case.remains_id}/candidates", params={"table": "Mars"})
    assert unknown.status_code == 422
    # A geneticist sees the results of their own registry's records only.
    assert client_as(Role.geneticist, "JAL").get(f"/api/v1/dna/remains/{case.remains_id}/candidates").status_code == 200
    assert client_as(Role.geneticist, "SIN").get(f"/api/v1/dna/remains/{case.remains_id}/candidates").status_code == 403
    assert client_as(Role.clerk, "JAL").get(f"/api/v1/dna/remains/{case.remains_id}/candidates").status_code == 403


def test_the_index_follows_new_samples(client_as: Callable[..., TestClient], sessions: sessionmaker[Session]) -> None:
    first = _stored(sessions, family_case(sessions, seed=36))
    investigator = client_as(Role.investigator)
    assert investigator.get(f"/api/v1/dna/remains/{first.remains_id}/candidates").json()["families"] == 1
    _stored(sessions, family_case(sessions, seed=37))
    assert investigator.get(f"/api/v1/dna/remains/{first.remains_id}/candidates").json()["families"] == 2


def test_a_clerk_sees_only_whether_references_were_taken(
    client_as: Callable[..., TestClient], sessions: sessionmaker[Session]
) -> None:
    case = family_case(sessions, seed=38)
    clerk = client_as(Role.clerk, "SIN")
    url = f"/api/v1/dna/reports/{case.report_id}/references"
    assert clerk.get(url).json() == {"report_id": case.report_id, "references_taken": False}
    _stored(sessions, case)
    assert clerk.get(url).json()["references_taken"] is True
