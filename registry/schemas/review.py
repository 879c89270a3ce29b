"""Schemas of review: the queue, pairs and judgements, identities, proposals, identifications, alerts."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from registry.enums import IdentificationMethod, JudgementDecision, PairKind, PairStatus, RecordKind
from registry.schemas.fields import PastDate, clean_text


def _required_text(value: str) -> str:
    cleaned = clean_text(value)
    if cleaned is None:
        raise ValueError("must not be blank")
    return cleaned


Reason = Annotated[str, Field(min_length=1, max_length=2_000), AfterValidator(_required_text)]


class AlertRead(BaseModel):
    """A likely duplicate (or match) of the record just saved. Nothing restricted, no personal data."""

    kind: str = Field(description="report or remains")
    source: str = Field(description="Registry that filed the other record")
    folio: str = Field(description="The other record's folio")
    state_name: str = Field(description="Name of the registry's state")
    score: float = Field(description="Estimated probability that both are the same person")
    summary: str = Field(description="The reasons, e.g. 'same CURP, surnames swapped'")
    message: str = Field(description="The alert in one sentence, for the clerk")


class ProposalRead(BaseModel):
    """A status proposed for a report because another report of its identity has it; nothing is changed."""

    record_id: uuid.UUID
    source: str
    folio: str
    current_status: str
    proposed_status: str = Field(description="located_alive or located_dead")
    proposed_date: date | None
    because_of: uuid.UUID = Field(description="The report of the same identity that has this status")
    because_of_source: str
    because_of_folio: str


class EvidenceRead(BaseModel):
    comparison: str
    level: str
    weight: float = Field(description="Bits of evidence for (+) or against (-)")
    text: str


class PairRead(BaseModel):
    """A candidate pair: two records that may be the same person, why, and where review stands."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    kind: PairKind = Field(description="report_report (possible duplicate) or remains_report (identification)")
    left_kind: RecordKind
    left_id: uuid.UUID
    left_source: str
    left_folio: str
    left_state: str
    right_id: uuid.UUID = Field(description="Always a report")
    right_source: str
    right_folio: str
    right_state: str
    score: float
    summary: str = Field(description="Every comparison's level and weight, strongest first")
    evidence: list[EvidenceRead]
    parameters_version: int | None = Field(description="Stored parameter set that scored (null: built-in)")
    status: PairStatus = Field(description="pending, or the current judgement")
    reopened: bool = Field(description="Was judged not the same person; a field that mattered changed since")
    active: bool = Field(description="Scores at or above the review threshold")
    minor: bool
    vulnerable: bool
    case_date: date = Field(description="The older of the two records' event dates")
    scored_at: datetime


class JudgementRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    pair_id: uuid.UUID
    decision: JudgementDecision
    reason: str
    reviewer: str = Field(description="The reviewer's account id")
    judged_at: datetime
    supersedes_id: int | None = Field(description="The judgement this one replaced (null: the first)")
    score: float | None = Field(description="The pair's score when judged")
    parameters_version: int | None


class PairDetail(BaseModel):
    pair: PairRead
    judgements: list[JudgementRead] = Field(description="Every judgement of the pair, oldest first")


class JudgementCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    decision: JudgementDecision = Field(description="same, not_same, unsure (or undone: withdraw the current one)")
    reason: Reason = Field(description="Why: what was checked")


class UndoCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: Reason = Field(description="Why the current judgement is withdrawn")


class JudgementSaved(BaseModel):
    judgement: JudgementRead
    pair: PairRead
    identity: list[uuid.UUID] = Field(description="Reports now in the identity of the pair's right-hand report")


class QueuePage(BaseModel):
    items: list[PairRead]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page; null on the last page")


class MemberRead(BaseModel):
    id: uuid.UUID
    source: str
    folio: str
    status: str
    status_date: date | None
    withdrawn: bool


class ContradictionRead(BaseModel):
    identity: list[uuid.UUID] = Field(description="Every report of the identity")
    rejected_pair: PairRead = Field(description="Judged not the same person")
    path: list[PairRead] = Field(description="The pairs judged the same person that join its two reports")


class IdentityRead(BaseModel):
    record_id: uuid.UUID
    members: list[MemberRead] = Field(description="Each report keeps its own source, folio and status")
    links: list[PairRead] = Field(description="The pairs judged the same person that make the identity")
    contradictions: list[ContradictionRead]
    proposals: list[ProposalRead]
    history: list[JudgementRead] = Field(description="Every judgement on pairs of these reports, undone ones too")


class RematchRead(BaseModel):
    scored: int = Field(description="Pairs at or above the review threshold")
    added: int
    reopened: int = Field(description="Rejected pairs back in review because a field that mattered changed")
    retired: int = Field(description="Pairs that fell below the threshold")
    parameters_version: int | None


class IdentificationCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    report_id: uuid.UUID = Field(description="The missing-person report the remains belong to")
    method: IdentificationMethod = Field(
        description="dna, fingerprints, dental, documents, visual_recognition (by the family) or other"
    )
    responsible_id: uuid.UUID | None = Field(
        default=None, description="Account of the person responsible (default: the caller)"
    )
    date: PastDate = Field(description="When the identification was made")
    note: Annotated[str, Field(max_length=10_000)] | None = None


class IdentificationReversal(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: Reason = Field(description="Why the identification is withdrawn")
    date: PastDate | None = Field(default=None, description="Effective date of the restored statuses (default today)")


class IdentificationRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    remains_id: uuid.UUID
    report_id: uuid.UUID
    method: IdentificationMethod
    responsible: str = Field(description="The responsible person's account id")
    identified_on: date
    note: str | None
    remains_previous_status: str
    report_previous_status: str
    recorded_at: datetime
    recorded_by: str
    reversed_at: datetime | None
    reversed_by: str | None
    reversal_reason: str | None


class ReversalRead(BaseModel):
    identification: IdentificationRead
    restored: list[str] = Field(description="Records whose previous status was restored: remains, report")
