"""Identification of remains: confirming that remains belong to a report, and undoing it with a reason.

Both records change through the records service, so each change is a new version and a dated
status event; the identification row keeps the statuses it replaced, so that a reversal can
restore them (again as new versions and events: history is never rewritten).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from matching.dna.likelihood import KinshipSettings
from registry import policy
from registry.actor import Actor
from registry.db import utcnow
from registry.enums import IdentificationMethod, RemainsStatus, ReportStatus
from registry.errors import Conflict, InvalidRecord, NotFound
from registry.i18n import _
from registry.models import Identification
from registry.record_types import REMAINS, REPORTS
from registry.repositories import review as repo
from registry.repositories import users as users_repo
from registry.schemas.common import StatusChange
from registry.services import dna_search, records
from registry.services.instance import is_sandbox
from registry.services.jurisdiction import write_scope
from registry.vocabulary import field_problem, label_of


@dataclass(frozen=True, slots=True)
class Reversal:
    identification: Identification
    restored: tuple[str, ...]  # which records got their previous status back: "remains", "report"


def _check_responsible(session: Session, responsible_id: uuid.UUID) -> None:
    """The person who answers for an identification holds an active account with the right to make one."""
    user = users_repo.get(session, responsible_id)
    if user is None:
        message = _("is not an account of this registry")
    elif not user.active:
        message = _("is a disabled account")
    else:
        as_actor = Actor(id=str(user.id), role=user.role.value, jurisdiction=user.jurisdiction, via="token")
        if policy.decide(as_actor, policy.Action.judgement_record, sandbox=is_sandbox(session)) is policy.Scope.none:
            message = _(
                "is a {role}'s account: only an account that may identify remains can answer for it",
                role=label_of("role", user.role.value),
            )
        else:
            return
    raise InvalidRecord(
        field_problem("responsible_id", message), errors=[{"field": "responsible_id", "message": message}]
    )


def identify(
    *,
    session: Session,
    remains_id: uuid.UUID,
    report_id: uuid.UUID,
    method: IdentificationMethod,
    responsible_id: uuid.UUID,
    on: date,
    note: str | None,
    actor: Actor,
    kinship: KinshipSettings | None = None,
) -> Identification:
    """Remains → identified and report → located dead, both dated `on`, with the method and who answers for it.

    By DNA, the identification records the LR, the references and the frequency table it rests on (the last
    DNA search's result for the pair, else computed now with `kinship`); a pair the DNA excludes is refused.
    """
    remains = records.get_record(session=session, rtype=REMAINS, record_id=remains_id)
    report = records.get_record(session=session, rtype=REPORTS, record_id=report_id)
    write_scope(session, actor, policy.Action.judgement_record)
    _check_responsible(session, responsible_id)
    if repo.active_identification(session, remains_id) is not None or remains.status == RemainsStatus.identified:
        raise Conflict(_("these remains are identified already; reverse that identification first"))
    if report.status == ReportStatus.located_dead:
        raise Conflict(_("the report is already located dead"))
    dna = None
    if method is IdentificationMethod.dna:
        dna = dna_search.identification_result(session, remains_id, report_id, kinship or KinshipSettings())
        if dna is not None and dna["decision"] == "excluded":
            raise Conflict(_("the DNA excludes this pair: {loci} loci are inconsistent beyond mutation",
                             loci=len(dna["loci_incompatible"])))  # fmt: skip
    previous_remains, previous_report = str(remains.status), str(report.status)
    text = note or f"identified ({method.value})"
    records.apply_status_change(
        session=session, rtype=REMAINS, record_id=remains_id,
        change=StatusChange(status=RemainsStatus.identified.value, date=on, note=text),
        expected_version=remains.version, actor=actor,
    )  # fmt: skip
    records.apply_status_change(
        session=session, rtype=REPORTS, record_id=report_id,
        change=StatusChange(status=ReportStatus.located_dead.value, date=on, note=text),
        expected_version=report.version, actor=actor,
    )  # fmt: skip
    return repo.add_identification(
        session,
        Identification(
            id=uuid.uuid4(), remains_id=remains_id, report_id=report_id, method=method,
            responsible=str(responsible_id), identified_on=on, note=note,
            remains_previous_status=_value(previous_remains), report_previous_status=_value(previous_report),
            recorded_at=utcnow(), recorded_by=actor.id, dna=dna,
        ),
    )  # fmt: skip


def _value(status: str) -> str:
    return status.split(".")[-1]


def reverse(*, session: Session, remains_id: uuid.UUID, reason: str, on: date, actor: Actor) -> Reversal:
    """Undoes the remains' current identification: the statuses it set go back to what they were."""
    identification = repo.active_identification(session, remains_id)
    if identification is None:
        raise NotFound(_("these remains have no identification to reverse"))
    restored: list[str] = []
    for rtype, record_id, set_status, previous in (
        (REMAINS, identification.remains_id, RemainsStatus.identified.value, identification.remains_previous_status),
        (REPORTS, identification.report_id, ReportStatus.located_dead.value, identification.report_previous_status),
    ):
        record = records.get_record(session=session, rtype=rtype, record_id=record_id)
        if str(record.status.value if hasattr(record.status, "value") else record.status) != set_status:
            continue  # changed since by someone else: leave it as it now stands
        if record.withdrawn_at is not None:
            continue
        when = max(on, getattr(record, rtype.date_field))
        records.apply_status_change(
            session=session, rtype=rtype, record_id=record_id,
            change=StatusChange(status=previous, date=when, note="identification reversed"),
            expected_version=record.version, actor=actor,
        )  # fmt: skip
        restored.append(rtype.kind.value)
    identification.reversed_at = utcnow()
    identification.reversed_by = actor.id
    identification.reversal_reason = reason
    session.flush()
    return Reversal(identification, tuple(restored))


def identifications_of(*, session: Session, remains_id: uuid.UUID) -> Sequence[Identification]:
    records.get_record(session=session, rtype=REMAINS, record_id=remains_id)
    return repo.identifications_of(session, remains_id)
