"""Identities: reports judged to be one person, derived from the current "same" judgements.

Nothing is merged in the tables: an identity is a connected component of report–report pairs
whose latest judgement is "same", so undoing a judgement splits it again, and every report
keeps its own source, folio and status. Contradictions (A=B, B=C, but A≠C) are found here, and
a report marked located proposes the same status for the others of its identity.
"""

from __future__ import annotations

import uuid
from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from registry.enums import PairKind, PairStatus, ReportStatus
from registry.models import CandidatePair, Judgement
from registry.repositories import review as repo

LOCATED = (ReportStatus.located_alive.value, ReportStatus.located_dead.value)


@dataclass(frozen=True, slots=True)
class Contradiction:
    """Two reports judged different although a chain of "same" judgements joins them."""

    identity: tuple[uuid.UUID, ...]  # every report of the identity
    rejected_pair: CandidatePair  # the "not the same person" judgement
    path: tuple[CandidatePair, ...]  # the "same" pairs that join its two reports


@dataclass(frozen=True, slots=True)
class Proposal:
    """A status one report of an identity has that another (still missing) report may need too."""

    record_id: uuid.UUID
    source: str
    folio: str
    current_status: str
    proposed_status: str
    proposed_date: date | None
    because_of: uuid.UUID
    because_of_source: str
    because_of_folio: str


@dataclass(slots=True)
class Identity:
    members: list[dict[str, Any]]  # id, source, folio, status, status_date of each report
    links: list[CandidatePair]  # the "same" pairs that join them
    contradictions: list[Contradiction]
    history: list[Judgement] = field(default_factory=list)  # every judgement on pairs touching a member


class _Components:
    """Union–find over report ids."""

    def __init__(self) -> None:
        self.parent: dict[uuid.UUID, uuid.UUID] = {}

    def find(self, x: uuid.UUID) -> uuid.UUID:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: uuid.UUID, b: uuid.UUID) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb, key=str)] = min(ra, rb, key=str)

    def groups(self) -> list[set[uuid.UUID]]:
        found: dict[uuid.UUID, set[uuid.UUID]] = {}
        for x in list(self.parent):
            found.setdefault(self.find(x), set()).add(x)
        return list(found.values())


def _same_pairs(session: Session) -> Sequence[CandidatePair]:
    return repo.pairs_with_status(session, PairKind.report_report, [PairStatus.same])


def clusters(session: Session) -> list[tuple[set[uuid.UUID], list[CandidatePair]]]:
    """Every identity of two or more reports, with the pairs that join it."""
    same = _same_pairs(session)
    components = _Components()
    for pair in same:
        components.union(pair.left_id, pair.right_id)
    groups = components.groups()
    by_root: dict[uuid.UUID, tuple[set[uuid.UUID], list[CandidatePair]]] = {
        components.find(next(iter(g))): (g, []) for g in groups
    }
    for pair in same:
        by_root[components.find(pair.left_id)][1].append(pair)
    return [(members, sorted(links, key=lambda p: str(p.id))) for members, links in by_root.values()]


def _path(links: Sequence[CandidatePair], start: uuid.UUID, goal: uuid.UUID) -> tuple[CandidatePair, ...]:
    """The shortest chain of "same" pairs from one report to another."""
    edges: dict[uuid.UUID, list[tuple[uuid.UUID, CandidatePair]]] = {}
    for pair in links:
        edges.setdefault(pair.left_id, []).append((pair.right_id, pair))
        edges.setdefault(pair.right_id, []).append((pair.left_id, pair))
    came: dict[uuid.UUID, tuple[uuid.UUID, CandidatePair] | None] = {start: None}
    todo = deque([start])
    while todo:
        node = todo.popleft()
        if node == goal:
            break
        for other, pair in edges.get(node, []):
            if other not in came:
                came[other] = (node, pair)
                todo.append(other)
    chain: list[CandidatePair] = []
    step = came.get(goal)
    while step is not None:
        node, pair = step
        chain.append(pair)
        step = came.get(node)
    return tuple(reversed(chain))


def _contradictions_in(
    members: set[uuid.UUID], links: Sequence[CandidatePair], rejected: Iterable[CandidatePair]
) -> list[Contradiction]:
    ordered = tuple(sorted(members, key=str))
    return [
        Contradiction(ordered, pair, _path(links, pair.left_id, pair.right_id))
        for pair in rejected
        if pair.left_id in members and pair.right_id in members
    ]


def contradictions(session: Session) -> list[Contradiction]:
    """Every pair judged "not the same person" whose two reports are joined by "same" judgements."""
    rejected = repo.pairs_with_status(session, PairKind.report_report, [PairStatus.not_same])
    found: list[Contradiction] = []
    for members, links in clusters(session):
        found.extend(_contradictions_in(members, links, rejected))
    return found


def identity_of(session: Session, report_id: uuid.UUID) -> Identity:
    """The identity a report belongs to (just itself if no "same" judgement joins it to another)."""
    members: set[uuid.UUID] = {report_id}
    links: list[CandidatePair] = []
    for group, group_links in clusters(session):
        if report_id in group:
            members, links = group, group_links
            break
    touching = repo.pairs_touching(session, PairKind.report_report, sorted(members))
    rejected = [p for p in touching if p.status == PairStatus.not_same]
    summaries = repo.report_summaries(session, sorted(members))
    return Identity(
        members=[_member(summaries[m]) for m in sorted(members, key=str) if m in summaries],
        links=links,
        contradictions=_contradictions_in(members, links, rejected),
        history=list(repo.judgements_of(session, [p.id for p in touching])),
    )


def _member(row: dict[str, Any]) -> dict[str, Any]:
    status = row["status"]
    return {
        "id": row["id"],
        "source": row["source"],
        "folio": row["folio"],
        "status": status.value if hasattr(status, "value") else status,
        "status_date": row["status_date"],
        "withdrawn": row["withdrawn_at"] is not None,
    }


def proposals(session: Session, report_ids: Sequence[uuid.UUID] | None = None) -> list[Proposal]:
    """For each identity with a located report, the same status proposed for its reports still missing.

    With `report_ids`, only proposals that arise from those reports' identities.
    """
    found: list[Proposal] = []
    for members, _links in clusters(session):
        if report_ids is not None and not members & set(report_ids):
            continue
        rows = [_member(r) for r in repo.report_summaries(session, sorted(members)).values()]
        rows = [r for r in rows if not r["withdrawn"]]
        located = sorted(
            (r for r in rows if r["status"] in LOCATED), key=lambda r: (str(r["status_date"]), str(r["id"]))
        )
        if not located:
            continue
        if report_ids is not None:
            located = [r for r in located if r["id"] in set(report_ids)] or located
        cause = located[-1]  # the latest located report speaks for the identity
        for row in sorted(rows, key=lambda r: str(r["id"])):
            if row["status"] == ReportStatus.missing.value:
                found.append(
                    Proposal(
                        record_id=row["id"], source=row["source"], folio=row["folio"], current_status=row["status"],
                        proposed_status=cause["status"], proposed_date=cause["status_date"], because_of=cause["id"],
                        because_of_source=cause["source"], because_of_folio=cause["folio"],
                    )
                )  # fmt: skip
    return found
