"""The records service (registry/services/records.py): create, correct, re-state and withdraw, with history."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from sqlalchemy.orm import Session, sessionmaker

from registry.actor import Actor
from registry.enums import ChangeKind
from registry.errors import Conflict, DuplicateRecord, Forbidden, InvalidRecord, NotFound, StaleVersion
from registry.record_types import REMAINS, REPORTS
from registry.schemas.common import StatusChange, Withdrawal
from registry.schemas.remains import RemainsCreate, RemainsUpdate
from registry.schemas.reports import ReportCreate, ReportUpdate
from registry.services import records as service
from tests.builders import remains_payload, report_payload

CLERK = Actor(id="clerk-jal-1", role="clerk", jurisdiction="JAL")
OTHER_CLERK = Actor(id="clerk-jal-2", role="clerk", jurisdiction="JAL")


def create_report(session: Session, **overrides) -> service.SavedRecord:
    data = ReportCreate.model_validate(report_payload(**overrides))
    return service.create_record(session=session, rtype=REPORTS, data=data, actor=CLERK)


def test_create_stores_the_record_with_its_first_version_and_status_event(session: Session) -> None:
    saved = create_report(session)
    record = saved.record
    assert (record.version, record.status, record.created_by) == (1, "missing", CLERK.id)
    assert record.name_folded  # derived on write
    versions, events = service.record_history(session=session, rtype=REPORTS, record_id=record.id)
    assert [(v.version, v.change_kind, v.changed_by) for v in versions] == [(1, ChangeKind.created, CLERK.id)]
    assert versions[0].changes["folio"] == [None, "JAL-2021-00123"]
    assert versions[0].changes["height_cm"] == [None, 158]
    assert [(e.from_status, e.to_status, e.effective_date) for e in events] == [(None, "missing", date(2021, 3, 2))]


def test_a_second_record_with_the_same_source_and_folio_is_a_duplicate(session: Session) -> None:
    first = create_report(session)
    with pytest.raises(DuplicateRecord) as refused:
        create_report(session, given_names="Otra persona")
    assert refused.value.status == 409
    assert refused.value.extra["existing_id"] == str(first.record.id)
    # Another registry (its own clerk) may use the same folio.
    sinaloa = Actor(id="clerk-sin-1", role="clerk", jurisdiction="SIN")
    data = ReportCreate.model_validate(report_payload(source="SIN"))
    assert service.create_record(session=session, rtype=REPORTS, data=data, actor=sinaloa).record.id != first.record.id


def test_update_bumps_the_version_and_records_what_changed(session: Session) -> None:
    record = create_report(session).record
    patch = ReportUpdate.model_validate({"height_cm": 161, "aliases": ["Lupe"]})

    saved = service.update_record(
        session=session, rtype=REPORTS, record_id=record.id, patch=patch, expected_version=1, actor=OTHER_CLERK
    )

    assert saved.changed
    assert (saved.record.version, saved.record.height_cm, saved.record.updated_by) == (2, 161, OTHER_CLERK.id)
    assert saved.record.created_by == CLERK.id
    versions, _ = service.record_history(session=session, rtype=REPORTS, record_id=record.id)
    assert [v.version for v in versions] == [1, 2]
    assert versions[1].change_kind == ChangeKind.updated
    assert versions[1].changed_by == OTHER_CLERK.id
    changes = versions[1].changes
    assert changes.pop("height_cm") == [158, 161]
    assert changes.pop("aliases") == [[], ["Lupe"]]
    assert changes == {}


def test_an_update_that_changes_nothing_keeps_the_version(session: Session) -> None:
    record = create_report(session).record
    same = ReportUpdate.model_validate({"height_cm": 158, "given_names": " María Guadalupe "})
    saved = service.update_record(
        session=session, rtype=REPORTS, record_id=record.id, patch=same, expected_version=1, actor=CLERK
    )
    assert not saved.changed
    assert saved.record.version == 1
    versions, _ = service.record_history(session=session, rtype=REPORTS, record_id=record.id)
    assert len(versions) == 1


def test_an_update_with_an_old_version_is_stale_and_changes_nothing(session: Session) -> None:
    record = create_report(session).record
    for height in (160, 162):
        patch = ReportUpdate.model_validate({"height_cm": height})
        version = service.get_record(session=session, rtype=REPORTS, record_id=record.id).version
        service.update_record(
            session=session, rtype=REPORTS, record_id=record.id, patch=patch, expected_version=version, actor=CLERK
        )
    late = ReportUpdate.model_validate({"height_cm": 170})

    with pytest.raises(StaleVersion) as refused:
        service.update_record(
            session=session, rtype=REPORTS, record_id=record.id, patch=late, expected_version=1, actor=OTHER_CLERK
        )

    assert refused.value.status == 412
    assert refused.value.extra["current_version"] == 3
    current = service.get_record(session=session, rtype=REPORTS, record_id=record.id)
    assert (current.version, current.height_cm) == (3, 162)


def test_a_concurrent_writer_makes_the_other_one_stale(sessions: sessionmaker[Session]) -> None:
    """Two clerks load version 1; the first commits; the second's write, from version 1, is refused."""
    with sessions() as setup:
        record_id = create_report(setup).record.id
        setup.commit()
    with sessions() as first, sessions() as second:
        assert service.get_record(session=second, rtype=REPORTS, record_id=record_id).version == 1
        service.update_record(
            session=first,
            rtype=REPORTS,
            record_id=record_id,
            patch=ReportUpdate(height_cm=160),
            expected_version=1,
            actor=CLERK,
        )
        first.commit()
        with pytest.raises(StaleVersion):
            service.update_record(
                session=second,
                rtype=REPORTS,
                record_id=record_id,
                patch=ReportUpdate(height_cm=170),
                expected_version=1,
                actor=OTHER_CLERK,
            )
        second.rollback()
    with sessions() as check:
        current = service.get_record(session=check, rtype=REPORTS, record_id=record_id)
        assert (current.version, current.height_cm) == (2, 160)
        versions, _ = service.record_history(session=check, rtype=REPORTS, record_id=record_id)
        assert [v.changed_by for v in versions] == [CLERK.id, CLERK.id]


def test_an_update_is_validated_as_a_whole_record(session: Session) -> None:
    record = create_report(session).record
    patch = ReportUpdate.model_validate({"date_of_birth": "2022-01-01"})  # after last_seen_date
    with pytest.raises(InvalidRecord) as refused:
        service.update_record(
            session=session, rtype=REPORTS, record_id=record.id, patch=patch, expected_version=1, actor=CLERK
        )
    assert refused.value.errors[0]["field"] == "date_of_birth"
    assert service.get_record(session=session, rtype=REPORTS, record_id=record.id).version == 1


def test_change_status_records_a_dated_event_and_a_version(session: Session) -> None:
    record = create_report(session).record
    change = StatusChange(status="located_alive", date=date(2023, 1, 5), note="localizada en Zapopan")

    saved = service.change_status(
        session=session, rtype=REPORTS, record_id=record.id, change=change, expected_version=1, actor=OTHER_CLERK
    )

    assert (saved.record.status, saved.record.status_date, saved.record.version) == (
        "located_alive",
        date(2023, 1, 5),
        2,
    )
    versions, events = service.record_history(session=session, rtype=REPORTS, record_id=record.id)
    assert versions[1].change_kind == ChangeKind.status_changed
    assert versions[1].changes == {"status": ["missing", "located_alive"], "status_date": [None, "2023-01-05"]}
    assert [(e.from_status, e.to_status, e.note, e.record_version, e.recorded_by) for e in events] == [
        (None, "missing", None, 1, CLERK.id),
        ("missing", "located_alive", "localizada en Zapopan", 2, OTHER_CLERK.id),
    ]


@pytest.mark.parametrize(
    ("status", "when", "error"),
    [
        ("identified", date(2023, 1, 5), InvalidRecord),  # a remains status, not a report's
        ("missing", date(2023, 1, 5), Conflict),  # already missing
        ("located_dead", date(2020, 1, 1), InvalidRecord),  # before last seen
    ],
)
def test_an_impossible_status_change_is_refused(session: Session, status: str, when: date, error: type) -> None:
    record = create_report(session).record
    with pytest.raises(error):
        service.change_status(
            session=session,
            rtype=REPORTS,
            record_id=record.id,
            change=StatusChange(status=status, date=when),
            expected_version=1,
            actor=CLERK,
        )
    _, events = service.record_history(session=session, rtype=REPORTS, record_id=record.id)
    assert len(events) == 1


def test_withdrawal_keeps_the_record_and_freezes_it(session: Session) -> None:
    record = create_report(session).record
    saved = service.withdraw_record(
        session=session,
        rtype=REPORTS,
        record_id=record.id,
        withdrawal=Withdrawal(reason="duplicate", note="see JAL-1"),
        expected_version=1,
        actor=OTHER_CLERK,
    )
    withdrawn = saved.record
    assert (withdrawn.version, withdrawn.withdrawal_reason, withdrawn.withdrawn_by) == (2, "duplicate", OTHER_CLERK.id)
    assert withdrawn.withdrawn_at is not None
    versions, _ = service.record_history(session=session, rtype=REPORTS, record_id=record.id)
    assert versions[1].change_kind == ChangeKind.withdrawn
    assert versions[1].changes == {"withdrawal_reason": [None, "duplicate"], "withdrawal_note": [None, "see JAL-1"]}

    with pytest.raises(Conflict):
        service.update_record(
            session=session,
            rtype=REPORTS,
            record_id=record.id,
            patch=ReportUpdate(height_cm=150),
            expected_version=2,
            actor=CLERK,
        )
    with pytest.raises(Conflict):
        service.withdraw_record(
            session=session,
            rtype=REPORTS,
            record_id=record.id,
            withdrawal=Withdrawal(reason="false_report"),
            expected_version=2,
            actor=CLERK,
        )
    assert service.get_record(session=session, rtype=REPORTS, record_id=record.id).version == 2


def test_an_unknown_record_is_not_found(session: Session) -> None:
    missing = uuid.uuid4()
    with pytest.raises(NotFound):
        service.get_record(session=session, rtype=REPORTS, record_id=missing)
    with pytest.raises(NotFound):
        service.update_record(
            session=session,
            rtype=REPORTS,
            record_id=missing,
            patch=ReportUpdate(height_cm=150),
            expected_version=1,
            actor=CLERK,
        )
    with pytest.raises(NotFound):
        service.record_history(session=session, rtype=REPORTS, record_id=missing)


def test_remains_share_the_lifecycle(session: Session) -> None:
    data = RemainsCreate.model_validate(remains_payload())
    record = service.create_record(session=session, rtype=REMAINS, data=data, actor=CLERK).record
    assert (record.status, record.version) == ("unidentified", 1)
    with pytest.raises(InvalidRecord) as refused:
        service.update_record(
            session=session,
            rtype=REMAINS,
            record_id=record.id,
            patch=RemainsUpdate(age_min=50),
            expected_version=1,
            actor=CLERK,
        )
    assert refused.value.errors[0]["field"] == "age_min"
    saved = service.change_status(
        session=session,
        rtype=REMAINS,
        record_id=record.id,
        change=StatusChange(status="identified", date=date(2023, 1, 1)),
        expected_version=1,
        actor=CLERK,
    )
    assert (saved.record.status, saved.record.version) == ("identified", 2)
    with pytest.raises(DuplicateRecord):
        service.create_record(session=session, rtype=REMAINS, data=data, actor=CLERK)
    # The same (source, folio) as a report is a different record type: no clash.
    report = create_report(session, folio=data.folio).record  # type: ignore[attr-defined]
    assert report.id != record.id


# --- the registry's rule, where the record is written (issue #12) ------------------------------------------

NLE_CLERK = Actor(id="clerk-nle-1", role="clerk", jurisdiction="NLE")
INVESTIGATOR = Actor(id="investigator-1", role="investigator", jurisdiction=None)


@pytest.mark.parametrize("actor", [NLE_CLERK, INVESTIGATOR], ids=["another state's clerk", "an investigator"])
def test_the_service_refuses_writes_the_actor_may_not_make_whoever_calls_it(session: Session, actor: Actor) -> None:
    """Not only the router: any caller of the service (a CLI, a script, a future screen) meets the rule."""
    with pytest.raises(Forbidden):
        service.create_record(session=session, rtype=REPORTS, data=ReportCreate(**report_payload()), actor=actor)
    saved = create_report(session)
    record_id = saved.record.id
    attempts = [
        lambda: service.update_record(
            session=session, rtype=REPORTS, record_id=record_id, patch=ReportUpdate(height_cm=150),
            expected_version=1, actor=actor,
        ),
        lambda: service.change_status(
            session=session, rtype=REPORTS, record_id=record_id,
            change=StatusChange(status="located_alive", date=date(2023, 1, 5)), expected_version=1, actor=actor,
        ),
        lambda: service.withdraw_record(
            session=session, rtype=REPORTS, record_id=record_id, withdrawal=Withdrawal(reason="duplicate"),
            expected_version=1, actor=actor,
        ),
    ]  # fmt: skip
    for attempt in attempts:
        with pytest.raises(Forbidden):
            attempt()
    after = service.get_record(session=session, rtype=REPORTS, record_id=record_id)
    assert (after.version, after.height_cm, after.status, after.withdrawn_at) == (1, 158, "missing", None)
