"""The words a person reads for the registry's codes and fields: labels, never the values themselves.

Codes (``located_alive``, ``date_of_birth``, ``SWAPPED``) stay what the API and the files use; a
screen shows their label in the reader's language. Each label is an English message id marked with
``N_`` and translated when it is shown (``label_of``, ``field_label``, ``vocabulary``).
"""

from __future__ import annotations

from collections.abc import Mapping

from registry.enums import (
    IdentificationMethod,
    JudgementDecision,
    MarkKind,
    PairKind,
    PairStatus,
    RecordKind,
    RemainsCondition,
    RemainsStatus,
    ReportStatus,
    Sex,
    Vulnerability,
    WithdrawalReason,
)
from registry.i18n import N_, translate

# Fields as the clerk knows them (the paper form's words), by the name the API and files use.
FIELD_LABELS: dict[str, str] = {
    "source": N_("Registry"),
    "folio": N_("Folio"),
    "given_names": N_("Given names"),
    "first_surname": N_("First surname"),
    "second_surname": N_("Second surname"),
    "aliases": N_("Aliases"),
    "sex": N_("Sex"),
    "date_of_birth": N_("Date of birth"),
    "age_years": N_("Age"),
    "curp": N_("CURP"),
    "last_seen_date": N_("Date last seen"),
    "last_seen_state": N_("State where last seen"),
    "last_seen_municipality": N_("Municipality where last seen"),
    "height_cm": N_("Height (cm)"),
    "distinguishing_marks": N_("Distinguishing marks"),
    "marks": N_("Distinguishing marks"),
    "clothing": N_("Clothing and belongings"),
    "complexion": N_("Complexion"),
    "skin_tone": N_("Skin tone"),
    "hair": N_("Hair"),
    "eye_colour": N_("Eye colour"),
    "weight_kg": N_("Weight (kg)"),
    "nationality": N_("Nationality"),
    "birth_state": N_("State of birth"),
    "indigenous_group": N_("Indigenous group"),
    "indigenous_language": N_("Indigenous language"),
    "vulnerability": N_("Vulnerability"),
    "publication_consent": N_("Consent to publication"),
    "circumstances": N_("Circumstances of disappearance"),
    "investigation_file_number": N_("Investigation file number"),
    "contact_name": N_("Contact name"),
    "contact_phone": N_("Contact phone"),
    "contact_email": N_("Contact email"),
    "contact_relationship": N_("Contact's relationship"),
    "status": N_("Status"),
    "status_date": N_("Status date"),
    "withdrawn_at": N_("Withdrawn"),
    "date": N_("Date"),
    "found_date": N_("Date found"),
    "found_state": N_("State where found"),
    "found_municipality": N_("Municipality where found"),
    "age_min": N_("Minimum age"),
    "age_max": N_("Maximum age"),
    "height_min_cm": N_("Minimum height (cm)"),
    "height_max_cm": N_("Maximum height (cm)"),
    "condition": N_("Condition of the remains"),
    "intake_date": N_("Date of intake"),
    "forensic_service": N_("Forensic service"),
    "storage_location": N_("Storage location"),
    "grave_reference": N_("Grave reference"),
    "withdrawal_reason": N_("Reason for withdrawal"),
    "withdrawal_note": N_("Withdrawal note"),
    "reason": N_("Reason"),
    "note": N_("Note"),
    "decision": N_("Decision"),
    "effective_date": N_("Effective date"),
    "identification_method": N_("Identification method"),
    "identified_date": N_("Date identified"),
    "record_version": N_("Record version"),
    "event_date": N_("Date of the event"),
    "among": N_("Search among"),
    "kind": N_("Kind"),
    "body_part": N_("Part of the body"),
    "side": N_("Side"),
    "description": N_("Description"),
    "username": N_("Username"),
    "password": N_("Password"),
    "current_password": N_("Current password"),
    "new_password": N_("New password"),
    "role": N_("Role"),
    "jurisdiction": N_("Jurisdiction"),
    "language": N_("Language"),
    "refresh_token": N_("Refresh token"),
    "file": N_("File"),
    "top": N_("How many"),
    "min_score": N_("Minimum score"),
    "limit": N_("Limit"),
    "cursor": N_("Page cursor"),
    "body": N_("Request body"),
}

_STATUS = {
    ReportStatus.missing: N_("Missing"),
    ReportStatus.located_alive: N_("Located alive"),
    ReportStatus.located_dead: N_("Located dead"),
    RemainsStatus.unidentified: N_("Unidentified"),
    RemainsStatus.identified: N_("Identified"),
}

# Every closed vocabulary a screen prints, by the name GET /api/v1/vocabulary gives it.
VOCABULARIES: dict[str, Mapping[str, str]] = {
    "report_status": {code.value: _STATUS[code] for code in ReportStatus},
    "remains_status": {code.value: _STATUS[code] for code in RemainsStatus},
    "sex": {Sex.female: N_("Female"), Sex.male: N_("Male"), Sex.unknown: N_("Unknown")},
    "record_kind": {RecordKind.report: N_("Missing-person report"), RecordKind.remains: N_("Unidentified remains")},
    "withdrawal_reason": {
        WithdrawalReason.duplicate: N_("Duplicate"),
        WithdrawalReason.false_report: N_("False report"),
        WithdrawalReason.entered_in_error: N_("Entered in error"),
    },
    "mark_kind": {
        MarkKind.tattoo: N_("Tattoo"),
        MarkKind.scar: N_("Scar"),
        MarkKind.mole: N_("Mole"),
        MarkKind.amputation: N_("Amputation"),
        MarkKind.implant: N_("Implant"),
        MarkKind.other: N_("Other"),
    },
    "vulnerability": {
        Vulnerability.minor: N_("Minor"),
        Vulnerability.journalist: N_("Journalist"),
        Vulnerability.human_rights_defender: N_("Human rights defender"),
        Vulnerability.migrant: N_("Migrant"),
        Vulnerability.other: N_("Other"),
    },
    "remains_condition": {
        RemainsCondition.complete: N_("Complete"),
        RemainsCondition.partial: N_("Partial"),
        RemainsCondition.decomposed: N_("Decomposed"),
        RemainsCondition.skeletonised: N_("Skeletonised"),
        RemainsCondition.burned: N_("Burned"),
        RemainsCondition.fragmented: N_("Fragmented"),
    },
    "identification_method": {
        IdentificationMethod.dna: N_("DNA"),
        IdentificationMethod.fingerprints: N_("Fingerprints"),
        IdentificationMethod.dental: N_("Dental records"),
        IdentificationMethod.documents: N_("Documents"),
        IdentificationMethod.visual_recognition: N_("Visual recognition"),
        IdentificationMethod.other: N_("Other"),
    },
    # What a DNA search decides of a remains–report pair (matching.dna.decisions.Decision's values).
    "dna_decision": {
        "excluded": N_("Excluded by DNA"),
        "undisputed": N_("Undisputed DNA match"),
        "indistinguishable_siblings": N_("Siblings the DNA cannot tell apart"),
        "proposed": N_("Identification proposed by DNA"),
        "inconclusive": N_("Inconclusive"),
    },
    "pair_kind": {
        PairKind.report_report: N_("Two reports of one person"),
        PairKind.remains_report: N_("Remains and a report"),
    },
    "pair_status": {
        PairStatus.pending: N_("Pending review"),
        PairStatus.same: N_("Same person"),
        PairStatus.not_same: N_("Not the same person"),
        PairStatus.unsure: N_("Unsure"),
    },
    "judgement_decision": {
        JudgementDecision.same: N_("Same person"),
        JudgementDecision.not_same: N_("Not the same person"),
        JudgementDecision.unsure: N_("Unsure"),
        JudgementDecision.undone: N_("Decision undone"),
    },
    "role": {
        # By value, not registry.models.users.Role: the command line prints these without loading the ORM.
        "clerk": N_("Clerk"),
        "investigator": N_("Investigator"),
        "trainer": N_("Trainer"),
        "administrator": N_("Administrator"),
        "geneticist": N_("Geneticist"),
    },
    "field": FIELD_LABELS,
}


def field_label(name: str, language: str | None = None) -> str:
    """A field as the clerk knows it ("Fecha de nacimiento"); a name without a label is shown as it is."""
    label = FIELD_LABELS.get(name)
    return translate(label, language) if label else name


def located(field: str) -> str:
    """A field path as the clerk reads it: its first part by its label ("Señas particulares.2.kind")."""
    head, _dot, rest = field.partition(".")
    label = field_label(head)
    return f"{label}.{rest}" if rest else label


def field_problem(field: str, message: str) -> str:
    """One field's problem as prose: "Fecha de nacimiento: es posterior a hoy"."""
    return translate("{field}: {message}", field=located(field), message=message)


def label_of(vocabulary: str, code: str, language: str | None = None) -> str:
    """The label of one code of a vocabulary (the code itself when it has none)."""
    label = VOCABULARIES.get(vocabulary, {}).get(str(code))
    return translate(label, language) if label else str(code)


def status_label(status: str, language: str | None = None) -> str:
    """The label of a report's or a remains record's status."""
    label = _STATUS.get(status)  # type: ignore[call-overload]
    return translate(label, language) if label else status


def vocabulary(language: str | None = None) -> dict[str, dict[str, str]]:
    """Every vocabulary, code → label, in ``language`` (the current one by default)."""
    return {
        name: {str(code): translate(label, language) for code, label in codes.items()}
        for name, codes in VOCABULARIES.items()
    }
