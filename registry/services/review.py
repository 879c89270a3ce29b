"""Candidate pairs kept current, and investigators' judgements on them, which last.

A pair is stored once, in a canonical orientation (remains on the left of a remains–report pair;
the smaller id on the left of two reports). Re-scoring refreshes its score and explanation but
never its judgement: a pair judged "not the same person" stays out of the queue until one of
its records changes in a field that matching reads (a fingerprint taken at judgement time), and
then returns marked `reopened`. Judgements are appended, never changed; the latest one counts.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from matching import Explanation, MatchCandidate, MatchIndex
from matching.records import MatchRecord
from registry import explanations, policy
from registry.actor import Actor
from registry.db import utcnow
from registry.enums import JudgementDecision, PairKind, PairStatus, RecordKind
from registry.errors import Conflict, InvalidRecord, NotFound
from registry.i18n import _
from registry.models import CandidatePair, Judgement
from registry.record_types import REMAINS, REPORTS
from registry.repositories import matching as match_repo
from registry.repositories import records as records_repo
from registry.repositories import review as repo
from registry.services.jurisdiction import account_actor
from registry.services.matching import PAIR_TARGETS, LiveIndex, candidates_among, to_match_record

STATUS_OF = {
    JudgementDecision.same: PairStatus.same,
    JudgementDecision.not_same: PairStatus.not_same,
    JudgementDecision.unsure: PairStatus.unsure,
    JudgementDecision.undone: PairStatus.pending,
}
# A status change is not a change of what matching compares: it must not reopen a rejected pair.
# The body's condition was read by matching later than the first judgements were stored; it only
# shades the weight of the time since the sighting, and keeping it out keeps their fingerprints.
_IGNORED_IN_FINGERPRINT = ("key", "source", "folio", "status", "condition")
# MatchRecord's fields are flat (aliases a tuple of strings), so a shallow read equals dataclasses.asdict.
_FINGERPRINTED = tuple(f.name for f in dataclasses.fields(MatchRecord) if f.name not in _IGNORED_IN_FINGERPRINT)


@dataclass(frozen=True, slots=True)
class Scored:
    """A score between two records, in either orientation, as matching produced it."""

    a_kind: RecordKind
    a_id: uuid.UUID
    b_kind: RecordKind
    b_id: uuid.UUID
    probability: float
    match_weight: float
    explanation: Explanation | None


@dataclass(frozen=True, slots=True)
class Ends:
    kind: PairKind
    left_kind: RecordKind
    left_id: uuid.UUID
    right_id: uuid.UUID


@dataclass(frozen=True, slots=True)
class RematchResult:
    scored: int
    added: int
    reopened: int
    retired: int
    parameters_version: int | None


def ends_of(a_kind: RecordKind, a_id: uuid.UUID, b_kind: RecordKind, b_id: uuid.UUID) -> Ends:
    """The canonical orientation of a pair."""
    if a_id == b_id:
        raise InvalidRecord(_("a record cannot be paired with itself"))
    if a_kind is RecordKind.remains and b_kind is RecordKind.remains:
        raise InvalidRecord(_("two remains records are not a candidate pair: pair remains with a report"))
    if a_kind is RecordKind.remains:
        return Ends(PairKind.remains_report, RecordKind.remains, a_id, b_id)
    if b_kind is RecordKind.remains:
        return Ends(PairKind.remains_report, RecordKind.remains, b_id, a_id)
    left, right = sorted((a_id, b_id), key=str)
    return Ends(PairKind.report_report, RecordKind.report, left, right)


def fingerprint(kind: RecordKind, row: dict[str, Any]) -> str:
    """SHA-256 of the fields matching reads from a record (a match row), to tell whether any changed."""
    record = to_match_record(kind, row)
    # Stored judgements keep these fingerprints: the JSON must stay exactly what it has always been.
    content = {name: getattr(record, name) for name in _FINGERPRINTED}
    return hashlib.sha256(json.dumps(content, sort_keys=True, default=str).encode()).hexdigest()


def short_reasons(explanation: Explanation | None, limit: int = 4) -> str:
    """The evidence for a match in a clerk's words, strongest first: "same CURP, surnames swapped"."""
    if explanation is None:
        return ""
    excluded = explanations.excluded_by(explanation)
    if excluded:
        return _("excluded: {reason}", reason=excluded)
    return ", ".join([explanations.evidence_text(e) for e in explanation.evidence if e.weight > 0][:limit])


def _evidence(explanation: Explanation | None) -> list[dict[str, Any]]:
    if explanation is None:
        return []
    return [
        {"comparison": e.comparison, "level": e.level, "weight": round(e.weight, 2), "text": e.text}
        for e in explanation.evidence
    ]


# --- facts about the records of pairs -------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RecordFacts:
    kind: RecordKind
    source: str
    folio: str
    state: str
    event_date: date
    fingerprint: str
    minor: bool
    vulnerable: bool
    withdrawn: bool


def _is_minor(flags: dict[str, Any]) -> bool:
    if "minor" in (flags.get("vulnerability") or []):
        return True
    age = flags.get("age_years")
    if age is not None and age < 18:
        return True
    born, seen = flags.get("date_of_birth"), flags.get("last_seen_date")
    if born is not None and seen is not None:
        years: int = seen.year - born.year - ((seen.month, seen.day) < (born.month, born.day))
        return years < 18
    return False


def record_facts(
    session: Session, ids: dict[RecordKind, set[uuid.UUID]], *, fingerprinted: set[uuid.UUID] | None = None
) -> dict[uuid.UUID, RecordFacts]:
    """Facts of records by id; fingerprints only of the records in `fingerprinted` (None: of every one), the
    others' left empty: a fingerprint is a hash of the record's match fields, wanted only where a judgement
    is compared with it, and a rescoring after an import reads tens of thousands of records."""
    found: dict[uuid.UUID, RecordFacts] = {}
    for kind, kind_ids in ids.items():
        ordered = sorted(kind_ids)
        flags = repo.report_flags(session, ordered) if kind is RecordKind.report else {}
        for row in match_repo.rows_by_ids(session, kind, ordered):
            report = kind is RecordKind.report
            flag = flags.get(row["id"], {})
            found[row["id"]] = RecordFacts(
                kind=kind,
                source=row["source"],
                folio=row["folio"],
                state=row["last_seen_state"] if report else row["found_state"],
                event_date=row["last_seen_date"] if report else row["found_date"],
                fingerprint=fingerprint(kind, row) if fingerprinted is None or row["id"] in fingerprinted else "",
                minor=_is_minor(flag),
                vulnerable=bool(flag.get("vulnerability")),
                withdrawn=row["withdrawn_at"] is not None,
            )
    return found


def current_fingerprints(session: Session, pair: CandidatePair) -> tuple[str, str]:
    wanted: dict[RecordKind, set[uuid.UUID]] = {RecordKind.report: {pair.right_id}}
    wanted.setdefault(RecordKind(pair.left_kind), set()).add(pair.left_id)
    facts = record_facts(session, wanted)
    if pair.left_id not in facts or pair.right_id not in facts:
        raise NotFound(_("a record of this pair no longer exists"))
    return facts[pair.left_id].fingerprint, facts[pair.right_id].fingerprint


# --- storing scores -------------------------------------------------------------------------


def _scored_values(
    scored: Scored, left: RecordFacts, right: RecordFacts, version: int | None, now: datetime
) -> dict[str, Any]:
    """A pair's columns that scoring sets: its score and explanation, and what the queue orders it by."""
    minor, vulnerable = left.minor or right.minor, left.vulnerable or right.vulnerable
    return {
        "left_source": left.source, "left_folio": left.folio, "left_state": left.state,
        "right_source": right.source, "right_folio": right.folio, "right_state": right.state,
        "score": round(scored.probability, 4),
        "match_weight": round(scored.match_weight, 3),
        "summary": scored.explanation.summary() if scored.explanation else "",
        "evidence": _evidence(scored.explanation),
        "parameters_version": version,
        "minor": minor,
        "vulnerable": vulnerable,
        "priority": 2 * minor + vulnerable,
        "case_date": min(left.event_date, right.event_date),
        "scored_at": now,
        "active": not (left.withdrawn or right.withdrawn),
    }  # fmt: skip


def _apply(pair: CandidatePair, scored: Scored, left: RecordFacts, right: RecordFacts, version: int | None) -> None:
    for name, value in _scored_values(scored, left, right, version, utcnow()).items():
        setattr(pair, name, value)


def _changed_since(judgement: Judgement | None, left: RecordFacts, right: RecordFacts) -> bool:
    if judgement is None:
        return True
    return (judgement.left_fingerprint, judgement.right_fingerprint) != (left.fingerprint, right.fingerprint)


def store_scores(
    session: Session, scores: Iterable[Scored], *, parameters_version: int | None
) -> tuple[list[uuid.UUID], int, int]:
    """Adds or refreshes the pairs scored; returns their ids, how many are new and how many rejections reopened.

    New pairs (after an import, tens of thousands) are written as rows in bulk, not as ORM objects.
    """
    best: dict[Ends, Scored] = {}
    for scored in scores:
        ends = ends_of(scored.a_kind, scored.a_id, scored.b_kind, scored.b_id)
        if ends not in best or scored.probability > best[ends].probability:
            best[ends] = scored
    if not best:
        return [], 0, 0
    wanted: dict[RecordKind, set[uuid.UUID]] = {RecordKind.report: set(), RecordKind.remains: set()}
    for ends in best:
        wanted[ends.left_kind].add(ends.left_id)
        wanted[RecordKind.report].add(ends.right_id)
    stored = repo.pairs_by_ends(session, [(e.left_id, e.right_id) for e in best])
    rejected = [p for p in stored.values() if p.status == PairStatus.not_same]
    facts = record_facts(session, wanted, fingerprinted={end for p in rejected for end in (p.left_id, p.right_id)})
    latest = repo.latest_judgements(session, [p.id for p in rejected]) if rejected else {}
    pair_ids: list[uuid.UUID] = []
    new: dict[Ends, dict[str, Any]] = {}
    reopened = 0
    now = utcnow()
    for ends, scored in best.items():
        left, right = facts.get(ends.left_id), facts.get(ends.right_id)
        if left is None or right is None:
            continue
        pair = stored.get((ends.left_id, ends.right_id))
        if pair is None:
            new[ends] = {
                "id": uuid.uuid4(), "kind": ends.kind, "left_kind": ends.left_kind, "left_id": ends.left_id,
                "right_id": ends.right_id, "status": PairStatus.pending, "reopened": False, "created_at": now,
                **_scored_values(scored, left, right, parameters_version, now),
            }  # fmt: skip
            continue
        _apply(pair, scored, left, right, parameters_version)
        if pair.status == PairStatus.not_same and _changed_since(latest.get(pair.id), left, right):
            pair.status, pair.reopened = PairStatus.pending, True
            reopened += 1
        pair_ids.append(pair.id)
    added = repo.add_pairs(session, list(new.values()))
    pair_ids.extend(added)
    if len(added) < len(new):
        # Stored meanwhile by a concurrent transaction: refresh those instead.
        taken = {(e.left_id, e.right_id): e for e, row in new.items() if row["id"] not in added}
        for key, pair in repo.pairs_by_ends(session, list(taken)).items():
            _apply(pair, best[taken[key]], facts[key[0]], facts[key[1]], parameters_version)
            pair_ids.append(pair.id)
    session.flush()
    return pair_ids, len(added), reopened


def _scored_from_candidates(kind: RecordKind, record_id: uuid.UUID, found: Sequence[MatchCandidate]) -> list[Scored]:
    return [
        Scored(kind, record_id, RecordKind(c.kind), uuid.UUID(c.key), c.probability, c.match_weight, c.explanation)
        for c in found
    ]


def score_values(
    live: LiveIndex, kind: RecordKind, row: dict[str, Any], *, top: int, min_score: float
) -> list[MatchCandidate]:
    """Candidates of a record's match-relevant values (a match row), from the live index as it stands.

    Called before the record is written (after `live.sync`), so that the index never holds
    uncommitted data and no lock on it is waited for while this transaction holds write locks.
    """
    record = to_match_record(kind, row)
    with live.reading() as index:
        return candidates_among(index, record, PAIR_TARGETS[kind], top=top, min_score=min_score)


def record_scored(
    session: Session, kind: RecordKind, record_id: uuid.UUID, found: Sequence[MatchCandidate], *,
    parameters_version: int | None,
) -> list[Scored]:  # fmt: skip
    """Stores a record's candidates just written (rejections whose fields changed reopen) and retires its
    pairs that fell below the threshold; returns the scores, best first."""
    scores = _scored_from_candidates(kind, record_id, [c for c in found if c.key != str(record_id)])
    store_rescoring(session, Rescoring(scores, [record_id], []), parameters_version=parameters_version)
    return sorted(scores, key=lambda s: -s.probability)


def _all_scores(index: MatchIndex, *, threshold: float, top: int) -> list[Scored]:
    scores: list[Scored] = []
    for pair in index.dedupe(threshold, with_explanations=True):
        scores.append(
            Scored(RecordKind.report, uuid.UUID(pair.key_a), RecordKind.report, uuid.UUID(pair.key_b),
                   pair.probability, pair.match_weight, pair.explanation)
        )  # fmt: skip
    for remains_key, found in index.link(top, threshold, with_explanations=True):
        scores.extend(_scored_from_candidates(RecordKind.remains, uuid.UUID(remains_key), found))
    return scores


def rematch(
    session: Session, index: MatchIndex, *, parameters_version: int | None, threshold: float, top: int
) -> RematchResult:
    """Recomputes every candidate pair from an index (all reports, all remains) and stores them.

    Pairs no longer above the threshold are retired (kept, with their judgements, out of the queue).
    """
    return store_rescoring(
        session, Rescoring(_all_scores(index, threshold=threshold, top=top), [], [], full=True),
        parameters_version=parameters_version,
    )  # fmt: skip


# Above this share of the indexed records changed, one full rematch costs less than record by record.
FULL_REMATCH_SHARE = 0.2


@dataclass(frozen=True, slots=True)
class Rescoring:
    """Scores computed for a set of changed records, not yet stored.

    `scored` are the records whose pairs the scores replace; `gone` the withdrawn ones, whose pairs
    retire; `full` says the scores cover every record (a rematch: every other pair retires).
    """

    scores: list[Scored]
    scored: list[uuid.UUID]
    gone: list[uuid.UUID]
    full: bool = False


def retire_pairs_of(session: Session, record_id: uuid.UUID) -> int:
    """Takes a record's pairs out of the queue (a withdrawn record); they keep their judgements."""
    return repo.deactivate(session, repo.active_pair_ids_of(session, [record_id]))


def version_mark(session: Session) -> int:
    """The current end of the version log: what `rescoring_since` counts changes from."""
    return match_repo.last_version_id(session)


def rescoring_since(session: Session, index: MatchIndex, after_version: int, *, threshold: float,
                    top: int) -> Rescoring:  # fmt: skip
    """The scores of every record changed after a point of the version log (an import, a seeding), against
    `index`, which must hold the records as they now are. Reads only; `store_rescoring` writes."""
    # Counted first: above the share, the list of changed records (100,000 after a first import) is not needed.
    if match_repo.count_records_changed_after(session, after_version) > FULL_REMATCH_SHARE * max(len(index), 1):
        return Rescoring(_all_scores(index, threshold=threshold, top=top), [], [], full=True)
    changed = match_repo.records_changed_after(session, after_version)
    scores: list[Scored] = []
    scored: list[uuid.UUID] = []
    gone: list[uuid.UUID] = []
    for kind, record_id in changed:
        key = str(record_id)
        if key not in index:
            gone.append(record_id)
            continue
        found = [
            candidate
            for candidate in candidates_among(index, key, PAIR_TARGETS[kind], top=top, min_score=threshold)
            if candidate.key != key
        ]
        scores.extend(_scored_from_candidates(kind, record_id, found))
        scored.append(record_id)
    return Rescoring(scores, scored, gone)


def store_rescoring(session: Session, rescoring: Rescoring, *, parameters_version: int | None) -> RematchResult:
    """Stores computed scores (rejections whose fields changed reopen) and retires the pairs they no longer
    hold: every other pair after a full rematch, else the scored records' pairs below the threshold and
    the withdrawn records' pairs."""
    before = (
        repo.active_pair_ids(session) if rescoring.full
        else repo.active_pair_ids_of(session, rescoring.scored + rescoring.gone)
    )  # fmt: skip
    pair_ids, added, reopened = store_scores(session, rescoring.scores, parameters_version=parameters_version)
    retired = repo.deactivate(session, before.difference(pair_ids))
    return RematchResult(len(pair_ids), added, reopened, retired, parameters_version)


def rescore_since(
    session: Session, index: MatchIndex, after_version: int, *, parameters_version: int | None, threshold: float,
    top: int,
) -> RematchResult:  # fmt: skip
    """Brings the candidate pairs of every record changed after a point of the version log up to date:
    pairs of withdrawn records retire, the others' are recomputed against `index`."""
    rescoring = rescoring_since(session, index, after_version, threshold=threshold, top=top)
    return store_rescoring(session, rescoring, parameters_version=parameters_version)


def rescore_with_live_index(
    session: Session, live: LiveIndex, after_version: int, *, threshold: float, top: int
) -> RematchResult:
    """`rescore_since` in the API: scores computed under the live index's lock, stored after it is released,
    so that no request waits for the index while this one holds write locks."""
    session.connection()  # before the lock: a thread holding the lock never waits for the pool
    live.sync(session)
    with live.reading() as index:
        rescoring = rescoring_since(session, index, after_version, threshold=threshold, top=top)
    return store_rescoring(session, rescoring, parameters_version=live.parameters_version)


# --- judgements -----------------------------------------------------------------------------


def get_pair(*, session: Session, pair_id: uuid.UUID) -> CandidatePair:
    pair = repo.get_pair(session, pair_id)
    if pair is None:
        raise NotFound(_("no candidate pair with id {pair_id}", pair_id=pair_id))
    return pair


def _append(session: Session, pair: CandidatePair, decision: JudgementDecision, reason: str, actor: Actor) -> Judgement:
    previous = repo.latest_judgements(session, [pair.id]).get(pair.id)
    left, right = current_fingerprints(session, pair)
    judgement = repo.add_judgement(
        session,
        Judgement(
            pair_id=pair.id, decision=decision, reason=reason, reviewer=actor.id, judged_at=utcnow(),
            supersedes_id=previous.id if previous else None, left_fingerprint=left, right_fingerprint=right,
            score=pair.score, parameters_version=pair.parameters_version,
        ),
    )  # fmt: skip
    pair.status = STATUS_OF[decision]
    pair.reopened = False
    session.flush()
    return judgement


def judge(*, session: Session, pair_id: uuid.UUID, decision: JudgementDecision, reason: str, actor: Actor) -> Judgement:
    """Records a decision on a pair; it supersedes the pair's previous one (which stays in the history)."""
    if decision is JudgementDecision.undone:
        return undo(session=session, pair_id=pair_id, reason=reason, actor=actor)
    return _append(session, get_pair(session=session, pair_id=pair_id), decision, reason, actor)


def undo(*, session: Session, pair_id: uuid.UUID, reason: str, actor: Actor) -> Judgement:
    """Withdraws a pair's current judgement (recorded as a judgement itself): the pair awaits review again."""
    pair = get_pair(session=session, pair_id=pair_id)
    previous = repo.latest_judgements(session, [pair.id]).get(pair.id)
    if previous is None or previous.decision == JudgementDecision.undone:
        raise Conflict(_("this pair has no judgement to undo"))
    return _append(session, pair, JudgementDecision.undone, reason, actor)


def pair_for_records(
    *, session: Session, index: MatchIndex | None, a: tuple[RecordKind, uuid.UUID], b: tuple[RecordKind, uuid.UUID],
    threshold: float, parameters_version: int | None,
) -> CandidatePair:  # fmt: skip
    """The stored pair of two records; if it was never a candidate it is stored now, scored if the index can."""
    ends = ends_of(a[0], a[1], b[0], b[1])
    existing = repo.pairs_by_ends(session, [(ends.left_id, ends.right_id)]).get((ends.left_id, ends.right_id))
    if existing is not None:
        return existing
    probability, weight, explanation = 0.0, 0.0, None
    if index is not None and str(a[1]) in index and str(b[1]) in index:
        explanation = index.explain(str(ends.left_id), str(ends.right_id))
        probability, weight = explanation.probability, explanation.match_weight
    pairs, _added, _reopened = store_scores(
        session,
        [Scored(a[0], a[1], b[0], b[1], probability, weight, explanation)],
        parameters_version=parameters_version,
    )
    pair = get_pair(session=session, pair_id=pairs[0]) if pairs else None
    if pair is None:
        raise NotFound(_("one of the two records does not exist"))
    pair.active = pair.active and probability >= threshold
    return pair


def history(*, session: Session, pair_id: uuid.UUID) -> Sequence[Judgement]:
    get_pair(session=session, pair_id=pair_id)
    return repo.judgements_of(session, [pair_id])


def queue(
    *, session: Session, flt: repo.QueueFilter, after: repo.QueuePosition | None, limit: int
) -> Sequence[CandidatePair]:
    return repo.queue(session, flt, after=after, limit=limit)


def export_rows(session: Session) -> Sequence[CandidatePair]:
    """Every active pair, best first (what `registry review export` writes)."""
    return repo.all_active(session)


def kind_of(session: Session, record_id: uuid.UUID) -> RecordKind:
    kind = repo.kind_of(session, record_id)
    if kind is None:
        raise NotFound(_("no record with id {record_id}", record_id=record_id))
    return kind


# --- bulk judgements (a CSV of left/right source+folio, decision, reason) -------------------

IMPORT_COLUMNS = ("left_source", "left_folio", "right_source", "right_folio", "decision", "reason")


@dataclass(frozen=True, slots=True)
class ImportResult:
    judged: int
    errors: list[str]


def reviewer_actor(session: Session, username: str) -> Actor:
    """The account a bulk import acts as; it must be allowed to record judgements."""
    return account_actor(session, username, policy.Action.judgement_record)


def _record(session: Session, source: str, folio: str) -> tuple[RecordKind, uuid.UUID] | None:
    for rtype in (REPORTS, REMAINS):
        found = records_repo.id_by_natural_key(session, rtype, source.strip().upper(), folio.strip())
        if found is not None:
            return rtype.kind, found
    return None


def import_judgements(
    *, session: Session, rows: Iterable[dict[str, str]], actor: Actor, index: MatchIndex | None,
    threshold: float, parameters_version: int | None,
) -> ImportResult:  # fmt: skip
    """Records one judgement per row; any invalid row is reported (by line) and nothing is recorded."""
    errors: list[str] = []
    planned: list[tuple[int, tuple[RecordKind, uuid.UUID], tuple[RecordKind, uuid.UUID], JudgementDecision, str]] = []
    for line, row in enumerate(rows, start=2):
        left = _record(session, row.get("left_source") or "", row.get("left_folio") or "")
        right = _record(session, row.get("right_source") or "", row.get("right_folio") or "")
        try:
            decision = JudgementDecision((row.get("decision") or "").strip())
        except ValueError:
            decisions = ", ".join(d.value for d in JudgementDecision)
            errors.append(_("line {line}: decision must be one of {decisions}", line=line, decisions=decisions))
            continue
        reason = (row.get("reason") or "").strip()
        if left is None or right is None:
            if left is None:
                errors.append(_("line {line}: no record with that left source and folio", line=line))
            else:
                errors.append(_("line {line}: no record with that right source and folio", line=line))
        elif not reason:
            errors.append(_("line {line}: a reason is required", line=line))
        else:
            planned.append((line, left, right, decision, reason))
    if errors:
        return ImportResult(0, errors)
    for line, left, right, decision, reason in planned:
        try:
            pair = pair_for_records(
                session=session, index=index, a=left, b=right, threshold=threshold,
                parameters_version=parameters_version,
            )  # fmt: skip
            judge(session=session, pair_id=pair.id, decision=decision, reason=reason, actor=actor)
        except (InvalidRecord, Conflict, NotFound) as exc:
            errors.append(_("line {line}: {problem}", line=line, problem=exc.detail))
    return ImportResult(0 if errors else len(planned), errors)
