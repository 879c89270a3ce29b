"""Matching as the registry uses it: records handed to `matching/` as plain MatchRecords, parameters
stored and versioned, and a live index kept current with every write, from any process.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from matching import MatchCandidate, MatchIndex, MatchParameters, MatchRecord, default_parameters
from matching.records import Kind
from registry.actor import Actor
from registry.db import utcnow
from registry.enums import RecordKind
from registry.errors import NotFound
from registry.i18n import _
from registry.repositories import matching as repo
from registry.schemas.matching import MatchQuery
from registry.vocabulary import label_of

# A version row may commit after rows with higher ids (concurrent transactions): each sync
# re-reads this many ids below the highest seen, skipping those already applied.
REORDER_WINDOW = 5_000
SYNC_BATCH = 5_000

logger = logging.getLogger("registry.matching")


def _text(value: Any) -> str | None:
    return value if value else None


def _code(value: Any) -> str | None:
    return None if value is None else str(value.value if hasattr(value, "value") else value)


def to_match_record(kind: RecordKind, row: dict[str, Any]) -> MatchRecord:
    """The MatchRecord for a report or remains row (as the matching repository returns them)."""
    common = {
        "key": str(row["id"]),
        "source": row["source"],
        "folio": row["folio"],
        "given_names": _text(row["given_names"]),
        "first_surname": _text(row["first_surname"]),
        "second_surname": _text(row["second_surname"]),
        "sex": _code(row["sex"]),
        "marks": _text(row["distinguishing_marks"]),
        "status": _code(row.get("status")),
    }
    if kind is RecordKind.report:
        return MatchRecord(
            kind="report",
            aliases=tuple(row["aliases"] or ()),
            date_of_birth=row["date_of_birth"],
            age_years=row["age_years"],
            curp=_text(row["curp"]),
            event_date=row["last_seen_date"],
            state=row["last_seen_state"],
            municipality=_text(row["last_seen_municipality"]),
            height_cm=row["height_cm"],
            **common,
        )
    return MatchRecord(
        kind="remains",
        age_min=row["age_min"],
        age_max=row["age_max"],
        event_date=row["found_date"],
        state=row["found_state"],
        municipality=_text(row["found_municipality"]),
        height_min_cm=row["height_min_cm"],
        height_max_cm=row["height_max_cm"],
        condition=_code(row.get("condition")),
        **common,
    )


def query_record(query: MatchQuery) -> MatchRecord:
    """The MatchRecord of a query by example (its key is never an indexed record's)."""
    return MatchRecord(
        key="query",
        kind=query.kind,
        given_names=query.given_names,
        first_surname=query.first_surname,
        second_surname=query.second_surname,
        aliases=tuple(query.aliases),
        sex=query.sex.value,
        date_of_birth=query.date_of_birth,
        age_years=query.age_years,
        age_min=query.age_min,
        age_max=query.age_max,
        curp=query.curp,
        event_date=query.event_date,
        state=query.state,
        municipality=query.municipality,
        height_cm=query.height_cm,
        height_min_cm=query.height_min_cm,
        height_max_cm=query.height_max_cm,
        marks=query.distinguishing_marks,
        condition=_code(query.condition),
    )


# What a stored record's candidates are looked for among: a report's duplicates among reports and
# the remains it may be; remains among reports only.
PAIR_TARGETS: dict[RecordKind, tuple[Kind, ...]] = {
    RecordKind.report: ("report", "remains"),
    RecordKind.remains: ("report",),
}


def candidates_among(
    index: MatchIndex, record: MatchRecord | str, among: Sequence[Kind], *, top: int, min_score: float,
    where: Callable[[MatchRecord], bool] | None = None,
) -> list[MatchCandidate]:  # fmt: skip
    """Each kind's best candidates for a record (or an indexed record's key), kind after kind."""
    return [
        candidate
        for kind in among
        for candidate in index.candidates_for(record, top=top, min_score=min_score, against=kind, where=where)
    ]


def candidate_filter(query: MatchQuery) -> Callable[[MatchRecord], bool] | None:
    """Keeps the candidates in the query's states and statuses (None: every candidate)."""
    states = frozenset(query.states)
    statuses = frozenset(str(s) for s in query.statuses)
    if not states and not statuses:
        return None
    return lambda r: (not states or r.state in states) and (not statuses or r.status in statuses)


def live_records(session: Session) -> Iterator[MatchRecord]:
    """Every report and remains record that is not withdrawn, as MatchRecords."""
    for kind in (RecordKind.report, RecordKind.remains):
        for row in repo.stream_live(session, kind):
            yield to_match_record(kind, row)


@dataclass(frozen=True, slots=True)
class StoredParameters:
    version: int | None  # None: the built-in defaults, never stored
    parameters: MatchParameters


def current_parameters(session: Session) -> StoredParameters:
    stored = repo.latest_parameters(session)
    if stored is None:
        return StoredParameters(None, default_parameters())
    return StoredParameters(stored.version, MatchParameters.from_dict(stored.parameters))


def store_parameters(
    session: Session, parameters: MatchParameters, *, actor: Actor, reports_used: int, remains_used: int
) -> int:
    """Stores a parameter set as a new version (or returns the version that already holds it)."""
    existing = repo.parameters_by_fingerprint(session, parameters.fingerprint)
    if existing is not None:
        return existing.version
    version = repo.next_parameters_version(session)
    repo.add_parameters(
        session,
        {
            "version": version,
            "fingerprint": parameters.fingerprint,
            "parameters": parameters.to_dict(),
            "reports_used": reports_used,
            "remains_used": remains_used,
            "created_at": utcnow(),
            "created_by": actor.id,
        },
    )
    return version


def build_index(session: Session, parameters: MatchParameters | None = None) -> MatchIndex:
    index = MatchIndex(parameters or current_parameters(session).parameters)
    index.add_many(live_records(session))
    return index


def estimate_and_store(session: Session, index: MatchIndex, *, actor: Actor) -> int:
    """Estimates parameters from the indexed records, switches the index to them and stores them.

    Where the records could not teach a model (too few matches, one day and place), the stored set holds
    the built-in one and says why: `index.parameters.fallback_reason`, logged here (counts only).
    """
    parameters = index.estimate_parameters()
    reports = sum(1 for p in index.records() if not p.is_remains)
    version = store_parameters(
        session, parameters, actor=actor, reports_used=reports, remains_used=len(index) - reports
    )
    if parameters.fallback_reason is not None:
        logger.warning("matching parameters version %s: %s", version, parameters.fallback_reason)
    return version


class LiveIndex:
    """The API's matching index: built at start-up, brought up to date from the version log before
    every query, so that writes by any API process are seen by all of them.
    """

    def __init__(
        self, index: MatchIndex, parameters_version: int | None, watermark: int, gaps: set[int] | None = None
    ) -> None:
        self.index = index
        self.parameters_version = parameters_version
        self._watermark = watermark
        # Version ids at or below the watermark not seen yet: a transaction that took its id earlier
        # may commit later. Only these can still appear below the watermark (within REORDER_WINDOW).
        self._gaps: set[int] = gaps or set()
        self._lock = threading.Lock()

    @classmethod
    def build(cls, session: Session) -> LiveIndex:
        watermark = repo.last_version_id(session)
        low = max(watermark - REORDER_WINDOW, 0)
        gaps = set(range(low + 1, watermark + 1)) - repo.version_ids_between(session, low, watermark)
        stored = current_parameters(session)
        return cls(build_index(session, stored.parameters), stored.version, watermark, gaps)

    @contextmanager
    def reading(self) -> Iterator[MatchIndex]:
        """The index, for queries; the API's threads take turns with each other and with syncs."""
        with self._lock:
            yield self.index

    def sync(self, session: Session) -> int:
        """Applies every change committed since the last sync; returns how many records were refreshed.

        One indexed query for the ids above the watermark and the few gaps below it, so that a sync
        with nothing new costs a round trip, not a re-read of recent history.
        """
        session.connection()  # before the lock: a thread holding the lock never waits for the pool
        with self._lock:
            refreshed = 0
            while True:
                changes = repo.versions_after(session, self._watermark, SYNC_BATCH, also=sorted(self._gaps))
                if not changes:
                    break
                refreshed += self._apply(session, changes)
                if len(changes) < SYNC_BATCH:
                    break
            self._gaps = {i for i in self._gaps if i > self._watermark - REORDER_WINDOW}
            return refreshed

    def _apply(self, session: Session, changes: list[tuple[int, RecordKind, uuid.UUID]]) -> int:
        by_kind: dict[RecordKind, set[uuid.UUID]] = {RecordKind.report: set(), RecordKind.remains: set()}
        previous = self._watermark
        for version_id, kind, record_id in changes:
            by_kind[RecordKind(kind)].add(record_id)
            self._gaps.discard(version_id)
            self._watermark = max(self._watermark, version_id)
        if self._watermark > previous:
            seen = {c[0] for c in changes}
            low = max(previous, self._watermark - REORDER_WINDOW)
            self._gaps.update(i for i in range(low + 1, self._watermark + 1) if i not in seen)
        for kind, ids in by_kind.items():
            for row in repo.rows_by_ids(session, kind, sorted(ids)):
                if row["withdrawn_at"] is not None:
                    self.index.remove(str(row["id"]))
                else:
                    self.index.add(to_match_record(kind, row))
        return sum(len(ids) for ids in by_kind.values())

    def candidates(
        self, session: Session, kind: RecordKind, record_id: uuid.UUID, *, top: int, min_score: float
    ) -> list[MatchCandidate]:
        self.sync(session)
        row = repo.row_by_id(session, kind, record_id)
        if row is None:
            raise NotFound(
                _("no {record} with id {record_id}", record=label_of("record_kind", kind.value), record_id=record_id)
            )
        with self._lock:
            return self.index.candidates_for(to_match_record(kind, row), top=top, min_score=min_score)

    def query(
        self, session: Session, record: MatchRecord, *, among: Sequence[Kind], top: int, min_score: float,
        where: Callable[[MatchRecord], bool] | None = None,
    ) -> list[MatchCandidate]:  # fmt: skip
        """The best candidates for a description that is not stored, among the kinds of record asked for."""
        self.sync(session)
        with self._lock:
            found = candidates_among(self.index, record, among, top=top, min_score=min_score, where=where)
        return sorted(found, key=lambda c: (-c.probability, c.key))[:top]

    def describe(self, key: str) -> tuple[str, str, str] | None:
        """(kind, source, folio) of an indexed record."""
        prepared = self.index.get(key)
        if prepared is None:
            return None
        return prepared.record.kind, prepared.record.source, prepared.record.folio
