"""The pair page shows the DNA evidence of a remains–report pair: decision, ratio, references, loci."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from matching.dna.likelihood import KinshipSettings
from matching.dna.simulate import Configuration
from registry.actor import SYSTEM
from registry.db import transaction
from registry.enums import RecordKind
from registry.models import Role
from registry.repositories.review import QueueFilter
from registry.services import review
from registry.services.dna_families import build_index
from registry.services.dna_import import import_dna
from registry.services.dna_results import store_on_pairs
from registry.services.dna_search import search
from tests.dna_builders import family_case


def test_an_investigator_reads_the_dna_evidence_on_the_pair_page(
    console_as: Callable[..., TestClient], sessions: sessionmaker[Session]
) -> None:
    case = family_case(sessions, seed=53, configuration=Configuration.PARENT_AND_SIBLING)
    with transaction(sessions) as session:
        import_dna(session=session, samples=case.samples, genotypes=case.genotypes, actor=SYSTEM)
    with transaction(sessions) as session:
        store_on_pairs(session, search(session, build_index(session, KinshipSettings()), top=3), review_threshold=0.5)
    with sessions() as session:
        pair = review.queue(session=session, flt=QueueFilter(), after=None, limit=1)[0]
        assert pair.dna is not None
    page = console_as(Role.investigator).get(f"/console/pairs/{pair.id}")
    assert page.status_code == 200
    assert "DNA evidence" in page.text
    assert "mother+full_sibling" in page.text
    assert f"{pair.dna['log10_lr']:.2f}" in page.text
    assert pair.dna["decision"] in {"undisputed", "proposed"}
    assert ("Undisputed DNA match" in page.text) or ("Identification proposed by DNA" in page.text)
    assert f"{len(pair.dna['loci_compared'])}: " in page.text


def test_a_pair_without_dna_has_no_dna_section(
    console_as: Callable[..., TestClient], sessions: sessionmaker[Session]
) -> None:
    case = family_case(sessions, seed=54, configuration=Configuration.ONE_PARENT)
    with transaction(sessions) as session:
        pair = review.pair_for_records(
            session=session,
            index=None,
            a=(RecordKind.remains, uuid.UUID(case.remains_id)),
            b=(RecordKind.report, uuid.UUID(case.report_id)),
            threshold=0.0,
            parameters_version=None,
        )
        pair_id = pair.id
    page = console_as(Role.investigator).get(f"/console/pairs/{pair_id}")
    assert page.status_code == 200
    assert "DNA evidence" not in page.text
