"""Schemas of review: the queue, pairs and judgements, identities, proposals, identifications, alerts."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from matching.scoring import Evidence, Explanation
from registry import explanations
from registry.enums import IdentificationMethod, JudgementDecision, PairKind, PairStatus, RecordKind
from registry.i18n import _, format_date
from registry.schemas.fields import PastDate, clean_text
from registry.vocabulary import label_of, status_label


def _required_text(value: str) -> str:
    cleaned = clean_text(value)
    if cleaned is None:
        raise ValueError(_("must not be blank"))
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
    current_status_label: str = Field(default="", description="current_status in the reader's language")
    proposed_status_label: str = Field(default="", description="proposed_status in the reader's language")
    message: str = Field(default="", description="The proposal in one sentence, for the reader")

    @model_validator(mode="after")
    def _in_the_readers_words(self) -> ProposalRead:
        self.current_status_label = status_label(self.current_status)
        self.proposed_status_label = status_label(self.proposed_status)
        when = format_date(self.proposed_date) if self.proposed_date else _("date unknown")
        self.message = _(
            "{source} {folio} may be {status} ({date}): report {other_source} {other_folio} of the same "
            "person has that status; nothing was changed",
            source=self.source, folio=self.folio, status=self.proposed_status_label, date=when,
            other_source=self.because_of_source, other_folio=self.because_of_folio,
        )  # fmt: skip
        return self


class EvidenceRead(BaseModel):
    comparison: str
    level: str
    weight: float = Field(description="Bits of evidence for (+) or against (-)")
    text: str


class PairDnaRead(BaseModel):
    """What the DNA says of a remains–report pair (`registry dna search`): never a genotype."""

    log10_lr: float | None = Field(description="log10 of the kinship likelihood ratio (null: excluded)")
    references: str = Field(description="The references used, e.g. mother+full_sibling, or direct")
    loci_compared: list[str]
    loci_incompatible: list[str] = Field(description="Loci inconsistent unless by mutation")
    decision: str = Field(description="excluded, undisputed, indistinguishable_siblings, proposed or inconclusive")
    posterior: float = Field(description="Probability of identity: prior × non-genetic LR × DNA LR (docs/dna.md)")
    log10_non_genetic_lr: float | None = Field(description="The matching model's evidence for the pair")
    frequency_table: str
    theta: float
    notes: list[str] = Field(default_factory=list, description="Drop-out and distant-relative notes")


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
    status_label: str = Field(default="", description="status in the reader's language")
    kind_label: str = Field(default="", description="kind in the reader's language")
    dna: PairDnaRead | None = Field(default=None, description="The DNA result, where a DNA search gave one")
    dna_strong: bool | None = Field(default=None, description="Strong DNA evidence: queued before other pairs")

    @model_validator(mode="after")
    def _in_the_readers_words(self) -> PairRead:
        """The stored explanation (matching's English) rendered in the reader's language."""
        evidence = tuple(Evidence(e.comparison, e.level, e.weight, e.text) for e in self.evidence)
        excluded = self.summary.removeprefix("excluded: ") if self.summary.startswith("excluded: ") else None
        explained = explanations.summary(Explanation(self.score, 0.0, evidence, excluded))
        for read, stored in zip(self.evidence, evidence, strict=True):
            read.text = explanations.evidence_text(stored)
        self.summary = explained
        self.status_label = label_of("pair_status", self.status)
        self.kind_label = label_of("pair_kind", self.kind)
        return self


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
    message: str = Field(default="", description="The contradiction in one sentence, for the reader")

    @model_validator(mode="after")
    def _in_the_readers_words(self) -> ContradictionRead:
        pair = self.rejected_pair
        self.message = _(
            "{left_source} {left_folio} and {right_source} {right_folio} were judged not the same person, "
            "but {links} judgements of the same person join them: review one of them",
            left_source=pair.left_source, left_folio=pair.left_folio, right_source=pair.right_source,
            right_folio=pair.right_folio, links=len(self.path),
        )  # fmt: skip
        return self


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
    dna: PairDnaRead | None = Field(
        default=None, description="By DNA: the LR, references and frequency table the identification rests on"
    )


class ReversalRead(BaseModel):
    identification: IdentificationRead
    restored: list[str] = Field(description="Records whose previous status was restored: remains, report")
