"""Finding stored records by their natural keys, many at once: what an import batch asks first."""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from registry.actor import Actor
from registry.db import transaction
from registry.interchange import CsvRow
from registry.record_types import REMAINS, REPORTS
from registry.repositories import records as repo
from registry.services.imports import import_batch

IMPORTER = Actor(id="import:test.csv", role="system", jurisdiction=None, via="cli")
# Folios as registries write them, awkward characters included.
ODD_FOLIOS = ("CBP-CDMX/2021/017414", "JAL 'A' 12", 'SON "B"', "NLE\\2023\\7", "MÉX-Ñ-001", "x" * 64)


def _report(source: str, folio: str) -> dict[str, str]:
    return {
        "source": source,
        "folio": folio,
        "given_names": "Juana",
        "first_surname": "Pérez",
        "sex": "female",
        "last_seen_date": "2021-03-02",
        "last_seen_state": source if source != "FED" else "JAL",
    }


def test_many_keys_are_found_at_once_and_missing_ones_are_left_out(sessions: sessionmaker[Session]) -> None:
    keys = [("JAL", f"JAL-{i:05d}") for i in range(1_200)] + [("SON", folio) for folio in ODD_FOLIOS]
    rows = [CsvRow(line, _report(*key)) for line, key in enumerate(keys, start=2)]
    with transaction(sessions) as session:
        result = import_batch(session=session, rtype=REPORTS, rows=rows, actor=IMPORTER)
    assert result.summary.created == len(keys)

    present = [*keys[:1_200:3], *keys[1_200:]]
    wanted = [*present, ("JAL", "JAL-99999"), ("SON", "JAL-00003"), ("FED", ODD_FOLIOS[0])]
    with sessions() as session:
        found = repo.rows_by_natural_keys(session, REPORTS, wanted, ("given_names", "status"))

    assert set(found) == set(present)
    some = found[("SON", ODD_FOLIOS[4])]
    assert (some["given_names"], some["status"], some["version"], some["withdrawn_at"]) == ("Juana", "missing", 1, None)
    assert set(some) == {"id", "version", "withdrawn_at", "source", "folio", "given_names", "status"}


def test_no_keys_ask_nothing(sessions: sessionmaker[Session]) -> None:
    with sessions() as session:
        assert repo.rows_by_natural_keys(session, REMAINS, [], REMAINS.stored_fields) == {}
