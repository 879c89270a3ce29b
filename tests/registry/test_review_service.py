"""Candidate pairs and judgements in the service layer, and the `registry review` commands."""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import json
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from api.cli.review import app as review_app
from registry.actor import SYSTEM, Actor
from registry.db import transaction
from registry.enums import JudgementDecision, PairKind, PairStatus, RecordKind, WithdrawalReason
from registry.errors import Conflict, InvalidRecord
from registry.models import AuditEvent, CandidatePair, Judgement, Role, User
from registry.record_types import REMAINS, REPORTS, RecordType
from registry.repositories import matching as match_repo
from registry.schemas.common import Withdrawal
from registry.services import records, review
from registry.services.matching import build_index, to_match_record
from registry.settings import get_settings
from tests.builders import remains_payload, report_payload, valid_curp_for

REVIEWER = Actor(id="reviewer-1", role="investigator", jurisdiction=None)


def add(sessions: sessionmaker[Session], rtype: RecordType, payload: dict[str, Any]) -> uuid.UUID:
    with transaction(sessions) as session:
        data = rtype.create_schema.model_validate(payload)
        return records.create_record(session=session, rtype=rtype, data=data, actor=SYSTEM).record.id


def people(sessions: sessionmaker[Session]) -> tuple[uuid.UUID, uuid.UUID, uuid.UUID]:
    curp = valid_curp_for(report_payload())
    a = add(sessions, REPORTS, report_payload(curp=curp))
    b = add(sessions, REPORTS, report_payload(curp=curp, source="SIN", folio="SIN-1", last_seen_state="SIN"))
    x = add(sessions, REMAINS, remains_payload())
    return a, b, x


def rematch(session: Session, threshold: float = 0.5) -> review.RematchResult:
    return review.rematch(session, build_index(session), parameters_version=None, threshold=threshold, top=10)


def test_pairs_are_stored_once_in_canonical_orientation_and_refreshed(sessions: sessionmaker[Session]) -> None:
    a, b, x = people(sessions)
    with transaction(sessions) as session:
        first = rematch(session)
        assert first.added == first.scored >= 1
        again = rematch(session)
        assert (again.added, again.retired) == (0, 0)
        pairs = session.scalars(select(CandidatePair)).all()
    duplicate = next(p for p in pairs if p.kind == PairKind.report_report)
    assert (duplicate.left_id, duplicate.right_id) == tuple(sorted((a, b), key=str))
    assert duplicate.summary
    for pair in pairs:
        if pair.kind == PairKind.remains_report:
            assert (pair.left_kind, pair.left_id) == (RecordKind.remains, x)


def test_ends_refuse_nonsense() -> None:
    a = uuid.uuid4()
    with pytest.raises(InvalidRecord):
        review.ends_of(RecordKind.report, a, RecordKind.report, a)
    with pytest.raises(InvalidRecord):
        review.ends_of(RecordKind.remains, a, RecordKind.remains, uuid.uuid4())


def test_judgements_are_appended_and_the_latest_counts(sessions: sessionmaker[Session]) -> None:
    people(sessions)
    with transaction(sessions) as session:
        rematch(session)
        pair = session.scalars(select(CandidatePair).where(CandidatePair.kind == PairKind.report_report)).one()
        review.judge(session=session, pair_id=pair.id, decision=JudgementDecision.unsure, reason="r1", actor=REVIEWER)
        review.judge(session=session, pair_id=pair.id, decision=JudgementDecision.same, reason="r2", actor=REVIEWER)
        assert pair.status == PairStatus.same
        review.undo(session=session, pair_id=pair.id, reason="r3", actor=REVIEWER)
        assert pair.status == PairStatus.pending
        with pytest.raises(Conflict):
            review.undo(session=session, pair_id=pair.id, reason="r4", actor=REVIEWER)
        history = review.history(session=session, pair_id=pair.id)
    assert [(j.decision, j.reason) for j in history] == [("unsure", "r1"), ("same", "r2"), ("undone", "r3")]
    assert [j.supersedes_id for j in history] == [None, history[0].id, history[1].id]
    assert all(len(j.left_fingerprint) == 64 for j in history)


def test_a_rejection_lasts_until_a_field_that_mattered_changes(sessions: sessionmaker[Session]) -> None:
    _a, b, _x = people(sessions)
    with transaction(sessions) as session:
        rematch(session)
        pair = session.scalars(select(CandidatePair).where(CandidatePair.kind == PairKind.report_report)).one()
        review.judge(session=session, pair_id=pair.id, decision=JudgementDecision.not_same, reason="no", actor=REVIEWER)
        assert rematch(session).reopened == 0
        assert pair.status == PairStatus.not_same
        pair_id = pair.id
    with transaction(sessions) as session:
        patch = REPORTS.update_schema.model_validate({"distinguishing_marks": "cicatriz en la frente"})
        records.update_record(
            session=session, rtype=REPORTS, record_id=b, patch=patch, expected_version=1, actor=SYSTEM
        )
    with transaction(sessions) as session:
        assert rematch(session).reopened == 1
        pair = session.get_one(CandidatePair, pair_id)
        assert (pair.status, pair.reopened) == (PairStatus.pending, True)
        assert session.scalar(select(func.count()).select_from(Judgement)) == 1


def test_a_pair_that_falls_below_the_threshold_is_retired_not_deleted(sessions: sessionmaker[Session]) -> None:
    people(sessions)
    with transaction(sessions) as session:
        scored = rematch(session).scored
        result = rematch(session, threshold=0.999999)
        assert result.retired >= 1
        assert session.scalar(select(func.count()).select_from(CandidatePair)) == scored


@pytest.mark.parametrize("full_share", [0.0, 10.0], ids=["full-rematch", "record-by-record"])
def test_records_changed_since_a_point_get_their_pairs_and_withdrawn_ones_lose_them(
    sessions: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch, full_share: float
) -> None:
    monkeypatch.setattr(review, "FULL_REMATCH_SHARE", full_share)

    def rescore(since: int) -> review.RematchResult:
        with transaction(sessions) as session:
            index = build_index(session)
            return review.rescore_since(session, index, since, parameters_version=None, threshold=0.5, top=10)

    with transaction(sessions) as session:
        start = match_repo.last_version_id(session)
    a, b, _x = people(sessions)  # as an import would: stored, not yet scored
    with transaction(sessions) as session:
        assert session.scalar(select(func.count()).select_from(CandidatePair)) == 0
    assert rescore(start).added >= 1
    with transaction(sessions) as session:
        pair = session.scalars(select(CandidatePair).where(CandidatePair.kind == PairKind.report_report)).one()
        assert {pair.left_id, pair.right_id} == {a, b}
        assert pair.active
        before_withdrawal = match_repo.last_version_id(session)
        records.withdraw_record(
            session=session, rtype=REPORTS, record_id=b, actor=SYSTEM, expected_version=1,
            withdrawal=Withdrawal(reason=WithdrawalReason.duplicate),
        )  # fmt: skip
    with transaction(sessions) as session:
        assert not session.get_one(CandidatePair, pair.id).active  # retired by the withdrawal itself
    # Rescoring the withdrawal finds nothing to score for b and does not bring the pair back.
    assert rescore(before_withdrawal).added == 0
    with transaction(sessions) as session:
        assert not session.get_one(CandidatePair, pair.id).active
        now = match_repo.last_version_id(session)
    assert rescore(now).scored == 0  # nothing changed since


# --- the `registry review` commands ------------------------------------------------------------


@pytest.fixture
def cli(database_url: str, monkeypatch: pytest.MonkeyPatch, engine: Engine) -> Iterator[CliRunner]:
    monkeypatch.setenv("REGISTRY_DATABASE_URL", database_url)
    get_settings.cache_clear()
    yield CliRunner()
    get_settings.cache_clear()


def test_rematch_export_and_import_commands(
    cli: CliRunner, sessions: sessionmaker[Session], make_user: Callable[..., User], tmp_path: Path
) -> None:
    people(sessions)
    rematched = cli.invoke(review_app, ["rematch"])
    assert rematched.exit_code == 0, rematched.output
    out = tmp_path / "queue.csv"
    exported = cli.invoke(review_app, ["export", "--out", str(out)])
    assert exported.exit_code == 0, exported.output
    with out.open(encoding="utf-8") as handle:
        queue = list(csv.DictReader(handle))
    assert queue
    assert {"JAL", "SIN"} <= {row["left_source"] for row in queue} | {row["right_source"] for row in queue}

    investigator = make_user(Role.investigator, None, username="ana-investigator")
    clerk = make_user(Role.clerk, "JAL", username="a-clerk")
    judgements = tmp_path / "judgements.csv"
    judgements.write_text(
        "left_source,left_folio,right_source,right_folio,decision,reason\n"
        "JAL,JAL-2021-00123,SIN,SIN-1,not_same,different mothers\n"
        "JAL,SEMEFO-JAL-2022-0045,JAL,JAL-2021-00123,unsure,needs DNA\n",
        encoding="utf-8",
    )
    refused = cli.invoke(review_app, ["import", str(judgements), "--reviewer", clerk.username])
    assert refused.exit_code == 1
    bad = tmp_path / "bad.csv"
    bad.write_text(judgements.read_text(encoding="utf-8") + "JAL,NOPE,SIN,SIN-1,same,x\n", encoding="utf-8")
    partial = cli.invoke(review_app, ["import", str(bad), "--reviewer", investigator.username])
    assert partial.exit_code == 1
    assert "line 4" in partial.output
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(Judgement)) == 0

    imported = cli.invoke(review_app, ["import", str(judgements), "--reviewer", investigator.username])
    assert imported.exit_code == 0, imported.output
    with sessions() as session:
        stored = session.scalars(select(Judgement).order_by(Judgement.id)).all()
        assert [(j.decision, j.reviewer) for j in stored] == [
            ("not_same", str(investigator.id)),
            ("unsure", str(investigator.id)),
        ]
        actions = session.scalars(select(AuditEvent.action).where(AuditEvent.action.like("review.%"))).all()
    assert sorted(set(actions)) == ["review.export", "review.import", "review.rematch"]
    again = cli.invoke(review_app, ["rematch"])
    assert again.exit_code == 0
    assert "0 back in review" in again.output


def test_a_pair_stored_meanwhile_by_another_transaction_is_refreshed_not_duplicated(
    sessions: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    people(sessions)
    with transaction(sessions) as session:
        first = rematch(session)
        scores = [(p.id, p.score) for p in session.scalars(select(CandidatePair))]
    # The race: this transaction looked for the pairs before the other one committed them.
    looked_up = review.repo.pairs_by_ends
    calls: list[int] = []

    def before_the_other_commit(session: Session, ends: Any) -> Any:
        calls.append(len(ends))
        return {} if len(calls) == 1 else looked_up(session, ends)

    monkeypatch.setattr(review.repo, "pairs_by_ends", before_the_other_commit)
    with transaction(sessions) as session:
        again = rematch(session)
    assert (again.scored, again.added) == (first.scored, 0)
    with sessions() as session:
        assert sorted((p.id, p.score) for p in session.scalars(select(CandidatePair))) == sorted(scores)


def test_fingerprints_stay_what_stored_judgements_hold(sessions: sessionmaker[Session]) -> None:
    """A judgement remembers the fingerprints of its two records: computing them differently would reopen
    every rejected pair. The formula of the first release: SHA-256 of the match record as JSON."""
    report = add(sessions, REPORTS, report_payload(aliases=["Lupe", "La Güera"], curp=valid_curp_for(report_payload())))
    remains = add(sessions, REMAINS, remains_payload())
    with sessions() as session:
        for kind, record_id in ((RecordKind.report, report), (RecordKind.remains, remains)):
            row = match_repo.row_by_id(session, kind, record_id)
            assert row is not None
            fields = dataclasses.asdict(to_match_record(kind, row))
            # The first release's MatchRecord had no `condition` field.
            ignored = ("key", "source", "folio", "status", "condition")
            content = {k: v for k, v in fields.items() if k not in ignored}
            first_release = hashlib.sha256(json.dumps(content, sort_keys=True, default=str).encode()).hexdigest()
            assert review.fingerprint(kind, row) == first_release
