"""Field types shared by the schemas: clean text, registry codes, sex, CURP, folios."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator, Field

from matching.states import SOURCE_CODES, STATE_CODES
from registry.enums import Sex
from registry.i18n import N_, _, translate


def clean_text(value: str) -> str | None:
    """Trimmed text; blank means unknown. NUL bytes and lone surrogates cannot be stored: refuse them."""
    if "\x00" in value:
        raise ValueError(_("contains a NUL byte"))
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValueError(_("contains characters that are not valid Unicode (lone surrogates)")) from exc
    stripped = value.strip()
    return stripped or None


Name = Annotated[str, Field(max_length=200), AfterValidator(clean_text)]
ShortText = Annotated[str, Field(max_length=100), AfterValidator(clean_text)]
Descriptor = Annotated[str, Field(max_length=60), AfterValidator(clean_text)]  # complexion, eye colour…
Phone = Annotated[str, Field(max_length=40), AfterValidator(clean_text)]
LongText = Annotated[str, Field(max_length=10_000), AfterValidator(clean_text)]


def _code(codes: frozenset[str] | set[str], what: str) -> BeforeValidator:
    """A code as clerks type it (any case, stray blanks), checked against the list before anything else, so
    that "Jalisco" is told it is not a state code rather than that it is too long."""

    def check(value: object) -> object:
        if not isinstance(value, str):
            return value  # reported as a wrong type by the string schema
        code = value.strip().upper()
        if code not in codes:
            raise ValueError(_("'{code}' is not {what}", code=code[:20], what=translate(what)))
        return code

    return BeforeValidator(check)


StateCode = Annotated[
    str, Field(max_length=3), _code(STATE_CODES, N_("a state code (ISO 3166-2:MX without 'MX-', e.g. JAL, CMX)"))
]
SourceCode = Annotated[
    str, Field(max_length=3), _code(SOURCE_CODES, N_("a registry code (a state code such as JAL, or FED)"))
]


def _folio(value: str) -> str:
    cleaned = clean_text(value)
    if cleaned is None:
        raise ValueError(_("must not be empty"))
    return cleaned


Folio = Annotated[str, Field(min_length=1, max_length=64), AfterValidator(_folio)]

_AMBIGUOUS_SEX = {"M", "H", "F"}


def _sex(value: object) -> object:
    if isinstance(value, str):
        if value.strip().upper() in _AMBIGUOUS_SEX:
            raise ValueError(
                _(
                    "'{value}' is ambiguous between Spanish and English exports (M is mujer or male); use female, "
                    "male or unknown",
                    value=value,
                )
            )
        return value.strip().lower()
    return value


SexCode = Annotated[Sex, BeforeValidator(_sex)]


CURP_MAX_LENGTH = 32


def _curp(value: str) -> str | None:
    cleaned = clean_text(value)
    if not cleaned:
        return None
    curp = cleaned.upper().replace(" ", "")
    # Checked after upper-casing: some letters grow (ß becomes SS).
    if len(curp) > CURP_MAX_LENGTH:
        raise ValueError(_("is longer than {limit} characters", limit=CURP_MAX_LENGTH))
    return curp


# Kept as written, even when malformed: a mistyped CURP is still evidence. Only its length is bounded.
Curp = Annotated[str, Field(max_length=CURP_MAX_LENGTH), AfterValidator(_curp)]


def _not_future(value: date) -> date:
    if value > date.today():
        raise ValueError(_("is in the future"))
    return value


PastDate = Annotated[date, AfterValidator(_not_future)]
Age = Annotated[int, Field(ge=0, le=120)]
Height = Annotated[int, Field(ge=30, le=250)]
Weight = Annotated[int, Field(ge=1, le=400)]


def check_estimated_ranges(
    age_min: int | None, age_max: int | None, height_min_cm: int | None, height_max_cm: int | None
) -> None:
    """Estimated age and height ranges run from low to high (ValueError naming the low field)."""
    if age_min is not None and age_max is not None and age_min > age_max:
        raise ValueError("age_min: " + _("must not exceed age_max"))
    if height_min_cm is not None and height_max_cm is not None and height_min_cm > height_max_cm:
        raise ValueError("height_min_cm: " + _("must not exceed height_max_cm"))
