"""What each stored field is called on screen, and the order the record page shows them in."""

from __future__ import annotations

from registry.vocabulary import VOCABULARIES, field_label, label_of

# The order the record page shows a record's fields in; their labels are the registry's (registry.vocabulary).
FIELD_ORDER: tuple[str, ...] = (
    "source",
    "folio",
    "status",
    "status_date",
    "given_names",
    "first_surname",
    "second_surname",
    "aliases",
    "sex",
    "date_of_birth",
    "age_years",
    "curp",
    "last_seen_date",
    "last_seen_state",
    "last_seen_municipality",
    "height_cm",
    "distinguishing_marks",
    "marks",
    "clothing",
    "complexion",
    "skin_tone",
    "hair",
    "eye_colour",
    "weight_kg",
    "nationality",
    "birth_state",
    "indigenous_group",
    "indigenous_language",
    "vulnerability",
    "publication_consent",
    "circumstances",
    "investigation_file_number",
    "contact_name",
    "contact_phone",
    "contact_email",
    "contact_relationship",
    "found_date",
    "found_state",
    "found_municipality",
    "age_min",
    "age_max",
    "height_min_cm",
    "height_max_cm",
    "condition",
    "forensic_service",
    "storage_location",
    "grave_reference",
    "intake_date",
    "withdrawn_at",
    "withdrawal_reason",
)


# Vocabularies a record page or a pair page may print a status code of.
_STATUS_VOCABULARIES = ("report_status", "remains_status", "pair_status", "judgement_decision")


def label(field: str) -> str:
    """A stored field as the clerk knows it, in the current language."""
    return field_label(field)


def status_text(code: str) -> str:
    """A record's, a pair's or a judgement's status code as a person reads it (the code when unknown)."""
    for vocabulary in _STATUS_VOCABULARIES:
        if code in VOCABULARIES[vocabulary]:
            return label_of(vocabulary, code)
    return code
