"""Identities are derived from the current "same" judgements: components, splits, contradictions, proposals."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy.orm import Session, sessionmaker

from registry.actor import SYSTEM, Actor
from registry.db import transaction
from registry.enums import JudgementDecision, RecordKind
from registry.record_types import REPORTS
from registry.schemas.common import StatusChange
from registry.services import identities, records, review
from tests.builders import report_payload

REVIEWER = Actor(id="reviewer-1", role="investigator", jurisdiction=None)


def reports(sessions: sessionmaker[Session], n: int) -> list[uuid.UUID]:
    ids = []
    with transaction(sessions) as session:
        for i in range(n):
            data = REPORTS.create_schema.model_validate(report_payload(folio=f"JAL-ID-{i}", given_names=f"N{i}"))
            ids.append(records.create_record(session=session, rtype=REPORTS, data=data, actor=SYSTEM).record.id)
    return ids


def decide(session: Session, a: uuid.UUID, b: uuid.UUID, decision: JudgementDecision) -> uuid.UUID:
    pair = review.pair_for_records(
        session=session, index=None, a=(RecordKind.report, a), b=(RecordKind.report, b), threshold=0.5,
        parameters_version=None,
    )  # fmt: skip
    if decision is JudgementDecision.undone:
        review.undo(session=session, pair_id=pair.id, reason="undo", actor=REVIEWER)
    else:
        review.judge(session=session, pair_id=pair.id, decision=decision, reason="why", actor=REVIEWER)
    return pair.id


def member_ids(session: Session, report_id: uuid.UUID) -> set[uuid.UUID]:
    return {m["id"] for m in identities.identity_of(session, report_id).members}


def test_identities_are_connected_components_of_same_judgements(sessions: sessionmaker[Session]) -> None:
    a, b, c, d = reports(sessions, 4)
    with transaction(sessions) as session:
        decide(session, a, b, JudgementDecision.same)
        decide(session, c, b, JudgementDecision.same)
        decide(session, c, d, JudgementDecision.unsure)
        assert member_ids(session, a) == {a, b, c}
        assert member_ids(session, d) == {d}
        assert len(identities.identity_of(session, a).links) == 2
        # Undoing the link in the middle splits the identity; its judgements stay in the trace.
        decide(session, b, c, JudgementDecision.undone)
        assert member_ids(session, a) == {a, b}
        assert member_ids(session, c) == {c}
        assert [j.decision for j in identities.identity_of(session, c).history] == ["same", "unsure", "undone"]


def test_a_contradiction_names_the_rejected_pair_and_the_chain_that_joins_it(sessions: sessionmaker[Session]) -> None:
    a, b, c = reports(sessions, 3)
    with transaction(sessions) as session:
        decide(session, a, b, JudgementDecision.same)
        decide(session, b, c, JudgementDecision.same)
        rejected = decide(session, a, c, JudgementDecision.not_same)
        [found] = identities.contradictions(session)
        assert found.rejected_pair.id == rejected
        assert set(found.identity) == {a, b, c}
        chain = {(p.left_id, p.right_id) for p in found.path}
        assert chain == {tuple(sorted((a, b), key=str)), tuple(sorted((b, c), key=str))}
        # A later "same" on the rejected pair resolves it.
        decide(session, a, c, JudgementDecision.same)
        assert identities.contradictions(session) == []


def test_located_proposes_for_the_other_reports_and_changes_nothing(sessions: sessionmaker[Session]) -> None:
    a, b, c = reports(sessions, 3)
    with transaction(sessions) as session:
        decide(session, a, b, JudgementDecision.same)
        assert identities.proposals(session) == []
        change = StatusChange(status="located_dead", date=date(2023, 4, 1))
        records.change_status(session=session, rtype=REPORTS, record_id=a, change=change, expected_version=1,
                              actor=SYSTEM)  # fmt: skip
        [proposal] = identities.proposals(session)
        assert (proposal.record_id, proposal.proposed_status, proposal.because_of) == (b, "located_dead", a)
        assert proposal.proposed_date == date(2023, 4, 1)
        assert identities.proposals(session, [c]) == []
        assert records.get_record(session=session, rtype=REPORTS, record_id=b).status == "missing"
