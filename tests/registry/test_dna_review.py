"""The DNA result as part of review: on the candidate pair, first in the queue, and recorded by an identification."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from matching.dna.likelihood import KinshipSettings
from matching.dna.simulate import Configuration
from registry.actor import SYSTEM, Actor
from registry.db import transaction
from registry.enums import IdentificationMethod, RecordKind
from registry.errors import Conflict
from registry.models import Role, User
from registry.repositories.review import QueueFilter, QueuePosition
from registry.services import identification, review
from registry.services.dna_families import build_index
from registry.services.dna_import import import_dna
from registry.services.dna_results import store_on_pairs
from registry.services.dna_search import search
from tests.dna_builders import DnaCase, family_case

INVESTIGATOR = Actor(id="inv-1", role="investigator", jurisdiction=None, via="token")


def _store(sessions: sessionmaker[Session], *cases: DnaCase) -> None:
    with transaction(sessions) as session:
        for case in cases:
            import_dna(session=session, samples=case.samples, genotypes=case.genotypes, actor=SYSTEM)


def _search_and_store(sessions: sessionmaker[Session]) -> None:
    with transaction(sessions) as session:
        built = build_index(session, KinshipSettings())
        store_on_pairs(session, search(session, built, top=3), review_threshold=0.5)


def test_strong_dna_pairs_are_queued_first_with_their_result(sessions: sessionmaker[Session]) -> None:
    strong = family_case(sessions, seed=51, configuration=Configuration.BOTH_PARENTS)
    weak = family_case(sessions, seed=52, configuration=Configuration.ONE_PARENT, true_remains=False)
    _store(sessions, strong, weak)
    with transaction(sessions) as session:  # a descriptive pair that scores high, without DNA behind it
        review.pair_for_records(
            session=session, index=None, a=(RecordKind.remains, uuid.UUID(weak.remains_id)),
            b=(RecordKind.report, uuid.UUID(weak.report_id)), threshold=0.0, parameters_version=None,
        ).active = True  # fmt: skip
    _search_and_store(sessions)
    with sessions() as session:
        queue = review.queue(session=session, flt=QueueFilter(), after=None, limit=10)
        assert str(queue[0].left_id) == strong.remains_id
        assert queue[0].dna_strong
        assert queue[0].dna is not None
        assert queue[0].dna["references"] == "father+mother"
        assert queue[0].dna["log10_lr"] > 4
        assert len(queue[0].dna["loci_compared"]) == 20
        assert queue[0].dna["frequency_table"] == "SW Hispanic"
        # Paging past the strong pair continues with the others, none repeated.
        first = queue[0]
        after = QueuePosition(first.score, first.priority, first.case_date, first.id, bool(first.dna_strong))
        rest = review.queue(session=session, flt=QueueFilter(), after=after, limit=10)
        assert [p.id for p in rest] == [p.id for p in queue[1:]]


def test_the_pair_shows_its_dna_over_http(
    client_as: Callable[..., TestClient], sessions: sessionmaker[Session]
) -> None:
    case = family_case(sessions, seed=53, configuration=Configuration.PARENT_AND_SIBLING)
    _store(sessions, case)
    _search_and_store(sessions)
    investigator = client_as(Role.investigator)
    page = investigator.get("/api/v1/review/queue").json()
    item = page["items"][0]
    assert item["dna_strong"] is True
    assert item["dna"]["references"] == "mother+full_sibling"
    assert item["dna"]["decision"] in {"undisputed", "proposed"}
    detail = investigator.get(f"/api/v1/review/pairs/{item['id']}").json()
    assert detail["pair"]["dna"]["log10_lr"] == item["dna"]["log10_lr"]


def test_identification_by_dna_records_lr_references_and_table(
    sessions: sessionmaker[Session], make_user: Callable[..., User]
) -> None:
    case = family_case(sessions, seed=54, configuration=Configuration.BOTH_PARENTS)
    _store(sessions, case)
    responsible = make_user(Role.investigator, None)
    with transaction(sessions) as session:
        done = identification.identify(
            session=session, remains_id=uuid.UUID(case.remains_id), report_id=uuid.UUID(case.report_id),
            method=IdentificationMethod.dna, responsible_id=responsible.id, on=date(2023, 1, 5), note=None,
            actor=INVESTIGATOR, kinship=KinshipSettings(table="US Hispanic"),
        )  # fmt: skip
        assert done.dna is not None
        assert done.dna["frequency_table"] == "US Hispanic"
        assert done.dna["references"] == "father+mother"
        assert done.dna["log10_lr"] > 4


def test_an_identification_the_dna_excludes_is_refused(
    sessions: sessionmaker[Session], make_user: Callable[..., User]
) -> None:
    case = family_case(sessions, seed=55, configuration=Configuration.BOTH_PARENTS, true_remains=False)
    _store(sessions, case)
    responsible = make_user(Role.investigator, None)
    with pytest.raises(Conflict, match="excludes"), transaction(sessions) as session:
        identification.identify(
            session=session, remains_id=uuid.UUID(case.remains_id), report_id=uuid.UUID(case.report_id),
            method=IdentificationMethod.dna, responsible_id=responsible.id, on=date(2023, 1, 5), note=None,
            actor=INVESTIGATOR,
        )  # fmt: skip
