"""The record matching reads (`MatchRecord`) and its precomputed, normalised form (`PreparedRecord`).

Matching never sees an ORM object: the registry builds a `MatchRecord` from a report or from
unidentified remains, and `prepare` folds, expands and keys it once so that scoring is fast.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from matching.marks import mark_features
from matching.names import GivenNames, Surnames, given_names, surnames
from matching.text import fold

Kind = Literal["report", "remains"]
Sex = Literal["female", "male", "unknown"]


@dataclass(frozen=True, slots=True)
class MatchRecord:
    """What matching knows about one missing-person report or one set of unidentified remains.

    `event_date` is the date last seen (reports) or the date found (remains); `state` and
    `municipality` are where. `age_years` is the age when last seen; remains carry an estimated
    `age_min`..`age_max` and `height_min_cm`..`height_max_cm` instead, and the body's `condition`.
    `marks` is free text with items separated by ";".
    """

    key: str
    kind: Kind = "report"
    source: str = ""
    folio: str = ""
    given_names: str | None = None
    first_surname: str | None = None
    second_surname: str | None = None
    aliases: tuple[str, ...] = ()
    sex: Sex = "unknown"
    date_of_birth: date | None = None
    age_years: int | None = None
    age_min: int | None = None
    age_max: int | None = None
    curp: str | None = None
    event_date: date | None = None
    state: str | None = None
    municipality: str | None = None
    height_cm: int | None = None
    height_min_cm: int | None = None
    height_max_cm: int | None = None
    marks: str | None = None
    # The body's condition when found (remains): complete, decomposed, partial, skeletonised…
    condition: str | None = None
    # Where the record stands in its registry (missing, identified…): for filtering, never compared.
    status: str | None = None


@dataclass(frozen=True, slots=True)
class Normalised:
    """Every normalised form a comparison or a blocking key needs, computed once from a `MatchRecord`."""

    given: GivenNames | None
    surnames: Surnames | None
    aliases: frozenset[str]
    sex: str  # "female", "male" or "" when unknown
    curp: str | None  # upper case, 18 characters, or None
    birth_years: tuple[int, int] | None  # earliest and latest plausible year of birth
    age_at_event: tuple[int, int] | None  # youngest and oldest plausible age at event_date
    place: tuple[str, str] | None  # state code and folded municipality ("" if unknown)
    height: tuple[int, int] | None  # shortest and tallest plausible height in cm
    marks: dict[str, int] = field(hash=False)  # mark feature -> strength (see matching.marks)


class PreparedRecord:
    """A `MatchRecord` with its normalised forms, computed on first use (so that holding one is cheap)."""

    __slots__ = ("_normalised", "record")

    def __init__(self, record: MatchRecord, normalised: Normalised | None = None) -> None:
        self.record = record
        self._normalised = normalised

    def __repr__(self) -> str:
        return f"PreparedRecord({self.record!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PreparedRecord) and other.record == self.record

    def __hash__(self) -> int:
        return hash(self.record)

    @property
    def normalised(self) -> Normalised:
        """The normalised forms (computed on first use)."""
        if self._normalised is None:
            self._normalised = normalise(self.record)
        return self._normalised

    @property
    def key(self) -> str:
        """The stable id of the underlying record."""
        return self.record.key

    @property
    def is_remains(self) -> bool:
        """The record describes unidentified remains rather than a report."""
        return self.record.kind == "remains"

    @property
    def given(self) -> GivenNames | None:
        """The given names in comparable form."""
        return self.normalised.given

    @property
    def surnames(self) -> Surnames | None:
        """The surnames in comparable form."""
        return self.normalised.surnames

    @property
    def aliases(self) -> frozenset[str]:
        """The folded aliases."""
        return self.normalised.aliases

    @property
    def sex(self) -> str:
        """ "female", "male" or "" when unknown."""
        return self.normalised.sex

    @property
    def curp(self) -> str | None:
        """The CURP in upper case when it has 18 characters."""
        return self.normalised.curp

    @property
    def birth_years(self) -> tuple[int, int] | None:
        """The earliest and latest plausible year of birth."""
        return self.normalised.birth_years

    @property
    def age_at_event(self) -> tuple[int, int] | None:
        """The youngest and oldest plausible age at the event date."""
        return self.normalised.age_at_event

    @property
    def place(self) -> tuple[str, str] | None:
        """The state code and folded municipality ("" if unknown)."""
        return self.normalised.place

    @property
    def height(self) -> tuple[int, int] | None:
        """The shortest and tallest plausible height in cm."""
        return self.normalised.height

    @property
    def marks(self) -> dict[str, int]:
        """Mark feature -> strength (see matching.marks)."""
        return self.normalised.marks


def _age_range(r: MatchRecord) -> tuple[int, int] | None:
    if r.date_of_birth is not None and r.event_date is not None:
        years = r.event_date.year - r.date_of_birth.year
        if (r.event_date.month, r.event_date.day) < (r.date_of_birth.month, r.date_of_birth.day):
            years -= 1
        return (years, years)
    if r.age_years is not None:
        return (r.age_years, r.age_years)
    known = [a for a in (r.age_min, r.age_max) if a is not None]
    return (min(known), max(known)) if known else None


def _birth_years(r: MatchRecord, ages: tuple[int, int] | None) -> tuple[int, int] | None:
    if r.date_of_birth is not None:
        return (r.date_of_birth.year, r.date_of_birth.year)
    if ages is None or r.event_date is None:
        return None
    # Someone aged a in year Y was born in Y - a or Y - a - 1.
    return (r.event_date.year - ages[1] - 1, r.event_date.year - ages[0])


def _height(r: MatchRecord) -> tuple[int, int] | None:
    if r.height_cm:
        return (r.height_cm, r.height_cm)
    lo, hi = r.height_min_cm or r.height_max_cm, r.height_max_cm or r.height_min_cm
    if lo and hi:
        return (min(lo, hi), max(lo, hi))
    return None


def _curp(curp: str | None) -> str | None:
    text = "".join((curp or "").split()).upper()
    return text if len(text) == 18 else None


_NO_ALIASES: frozenset[str] = frozenset()


def normalise(record: MatchRecord) -> Normalised:
    """The record's normalised forms: names folded and expanded, ranges derived, marks read."""
    ages = _age_range(record)
    state = (record.state or "").strip().upper()
    aliases = frozenset(a for a in (fold(x) for x in record.aliases) if a) if record.aliases else _NO_ALIASES
    return Normalised(
        given=given_names(record.given_names),
        surnames=surnames(record.first_surname, record.second_surname),
        aliases=aliases,
        sex=record.sex if record.sex in ("female", "male") else "",
        curp=_curp(record.curp),
        birth_years=_birth_years(record, ages),
        age_at_event=ages,
        place=(state, fold(record.municipality)) if state else None,
        height=_height(record),
        marks=mark_features(record.marks),
    )


def prepare(record: MatchRecord) -> PreparedRecord:
    """The record normalised once: names folded and expanded, ranges derived, marks read."""
    return PreparedRecord(record, normalise(record))
