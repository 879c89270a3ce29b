"""The columns of generated rows: the interchange columns, then the richer extras."""

from __future__ import annotations

REPORT_COLUMNS: tuple[str, ...] = (
    "source",
    "folio",
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
    "status",
)
REPORT_EXTRA_COLUMNS: tuple[str, ...] = (
    "birth_state",
    "complexion",
    "skin_tone",
    "hair",
    "eye_colour",
    "weight_kg",
    "nationality",
    "vulnerability",
    "clothing",
    "marks_structured",
    "publication_consent",
    # Restricted: only the record's state (and national investigators) see them, and reads are audited.
    "circumstances",
    "investigation_file_number",
    "contact_name",
    "contact_relationship",
    "contact_phone",
    "contact_email",
)
REMAINS_COLUMNS: tuple[str, ...] = (
    "source",
    "folio",
    "found_date",
    "found_state",
    "found_municipality",
    "sex",
    "age_min",
    "age_max",
    "height_min_cm",
    "height_max_cm",
    "distinguishing_marks",
    "given_names",
    "first_surname",
    "second_surname",
    "status",
)
REMAINS_EXTRA_COLUMNS: tuple[str, ...] = (
    "condition",
    "forensic_service",
    "storage_location",
    "intake_date",
    "grave_reference",
    "marks_structured",
)
DUPLICATES_COLUMNS: tuple[str, ...] = ("left_source", "left_folio", "right_source", "right_folio")
LINKS_COLUMNS: tuple[str, ...] = (
    "remains_source",
    "remains_folio",
    "missing_source",
    "missing_folio",
)
