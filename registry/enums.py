"""The registry's closed vocabularies. Their values are what the API and the CSV format use."""

from __future__ import annotations

from enum import StrEnum


class Sex(StrEnum):
    female = "female"
    male = "male"
    unknown = "unknown"


class ReportStatus(StrEnum):
    missing = "missing"
    located_alive = "located_alive"
    located_dead = "located_dead"


class RemainsStatus(StrEnum):
    unidentified = "unidentified"
    identified = "identified"


class RecordKind(StrEnum):
    """Which of the two record types a history entry or event belongs to."""

    report = "report"
    remains = "remains"


class WithdrawalReason(StrEnum):
    duplicate = "duplicate"
    false_report = "false_report"
    entered_in_error = "entered_in_error"


class ChangeKind(StrEnum):
    created = "created"
    updated = "updated"
    status_changed = "status_changed"
    withdrawn = "withdrawn"


class MarkKind(StrEnum):
    tattoo = "tattoo"
    scar = "scar"
    mole = "mole"
    amputation = "amputation"
    implant = "implant"
    other = "other"


class BodySide(StrEnum):
    left = "left"
    right = "right"
    centre = "centre"


class Vulnerability(StrEnum):
    minor = "minor"
    journalist = "journalist"
    human_rights_defender = "human_rights_defender"
    migrant = "migrant"
    other = "other"


class RemainsCondition(StrEnum):
    complete = "complete"
    partial = "partial"
    decomposed = "decomposed"
    skeletonised = "skeletonised"
    burned = "burned"
    fragmented = "fragmented"


class IdentificationMethod(StrEnum):
    dna = "dna"
    fingerprints = "fingerprints"
    dental = "dental"
    documents = "documents"
    visual_recognition = "visual_recognition"
    other = "other"


class InstanceKind(StrEnum):
    """Whether a database holds real records or is a training sandbox; the two never mix."""

    real = "real"
    sandbox = "sandbox"


class PairKind(StrEnum):
    """What a candidate pair would mean if it were the same person."""

    report_report = "report_report"  # two reports of one person (a duplicate, often across registries)
    remains_report = "remains_report"  # remains that may belong to a reported person


class PairStatus(StrEnum):
    """Where a candidate pair stands: awaiting review, or its current (latest) judgement."""

    pending = "pending"
    same = "same"
    not_same = "not_same"
    unsure = "unsure"


class JudgementDecision(StrEnum):
    """An investigator's decision on a pair; `undone` withdraws the decision before it, with a reason."""

    same = "same"
    not_same = "not_same"
    unsure = "unsure"
    undone = "undone"
