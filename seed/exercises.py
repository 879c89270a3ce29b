"""Training exercises from a seeded sandbox: which dataset was seeded, and its cases with their answers.

A seeded dataset is fully determined by its configuration, so the sandbox keeps only that (one
audit event, counts and codes) and the answers are the generator's ground truth, made again.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy.orm import Session

from registry.record_types import REMAINS, REPORTS, RecordType
from registry.repositories import audit as audit_repo
from registry.repositories import records as records_repo
from registry.services import audit
from seed.config import SeedConfig
from seed.generator import GroundTruth, generate_truth
from seed.loader import SEED_ACTOR

DATASET = "seed.dataset"


def record_dataset(session: Session, config: SeedConfig) -> None:
    """Notes in the sandbox which dataset was seeded into it (the exercises' answers are made from it)."""
    detail = {
        "reports": config.reports,
        "remains": config.remains_count,
        "seed": config.seed,
        "profile": config.profile,
    }
    audit.record(session, actor=SEED_ACTOR, action=DATASET, detail=detail)


def dataset_of(session: Session) -> SeedConfig | None:
    """The configuration of the dataset seeded last into this database, if one was."""
    events = audit_repo.events_of(session, action=DATASET, since_seq=0)
    if not events or not events[-1].detail:
        return None
    detail = events[-1].detail
    return SeedConfig(
        reports=int(detail["reports"]),
        remains=int(detail["remains"]),
        seed=int(detail["seed"]),
        profile=str(detail.get("profile") or "default"),
    )


@lru_cache(maxsize=4)
def truth_of(config: SeedConfig) -> GroundTruth:
    return generate_truth(config)


@dataclass(frozen=True, slots=True)
class Side:
    kind: str  # report or remains
    source: str
    folio: str
    id: uuid.UUID | None  # None if the record is not in the database (withdrawn, or another dataset)


@dataclass(frozen=True, slots=True)
class Case:
    """Two seeded records and the truth about them: the same person, or these remains are this person."""

    kind: str  # duplicate or identification
    left: Side
    right: Side


def _side(session: Session, rtype: RecordType, source: str, folio: str) -> Side:
    return Side(rtype.kind.value, source, folio, records_repo.id_by_natural_key(session, rtype, source, folio))


def cases(session: Session, config: SeedConfig, *, limit: int) -> list[Case]:
    """Up to `limit` cases of each kind: duplicated reports, then remains with the report they belong to."""
    truth = truth_of(config)
    found = [
        Case("duplicate", _side(session, REPORTS, a, b), _side(session, REPORTS, c, d))
        for a, b, c, d in truth.duplicate_pairs[:limit]
    ]
    found += [
        Case("identification", _side(session, REMAINS, a, b), _side(session, REPORTS, c, d))
        for a, b, c, d in truth.remains_links[:limit]
    ]
    return found
