"""The interchange rules a generated row must satisfy (docs: /work/shared/spec/interchange.md).

The registry's own import service is the authority; this is the generator's self-check, with
no import from `registry`, so the generator's tests can run on their own.
"""

from __future__ import annotations

from datetime import date

from matching.states import SOURCE_CODES, STATE_CODES
from seed.columns import REMAINS_COLUMNS, REPORT_COLUMNS

_SEXES = frozenset({"female", "male", "unknown"})
_REPORT_STATUSES = frozenset({"", "missing", "located_alive", "located_dead"})
_REMAINS_STATUSES = frozenset({"", "unidentified", "identified"})
_PLACEHOLDERS = frozenset({"N/A", "NA", "SIN DATO", "NULL", "NONE", "-", "?"})


def _date(value: str) -> date | None:
    try:
        return date.fromisoformat(value) if len(value) == 10 else None
    except ValueError:
        return None


def _int_in(value: str, low: int, high: int) -> bool:
    return value.isdigit() and low <= int(value) <= high


def _common(row: dict[str, str], columns: tuple[str, ...]) -> list[str]:
    problems: list[str] = []
    missing = [c for c in columns if c not in row]
    if missing:
        problems.append(f"missing columns: {', '.join(missing)}")
    for column in columns:
        value = row.get(column, "")
        if value.strip().upper() in _PLACEHOLDERS:
            problems.append(f"{column}: placeholder {value!r}")
        if value != value.strip():
            problems.append(f"{column}: surrounding spaces")
    if row.get("source") not in SOURCE_CODES:
        problems.append(f"source: unknown code {row.get('source')!r}")
    if not 1 <= len(row.get("folio", "")) <= 64:
        problems.append("folio: must be 1 to 64 characters")
    if row.get("sex") not in _SEXES:
        problems.append(f"sex: {row.get('sex')!r}")
    if not (row.get("given_names") or row.get("first_surname") or row.get("second_surname")) and (
        columns is REPORT_COLUMNS
    ):
        problems.append("a report needs one of the name columns")
    return problems


def report_problems(row: dict[str, str], today: date) -> list[str]:
    """What is wrong with a missing-person report row (empty when it follows the rules)."""
    problems = _common(row, REPORT_COLUMNS)
    seen = _date(row.get("last_seen_date", ""))
    if seen is None:
        problems.append("last_seen_date: not a date")
    elif seen > today:
        problems.append("last_seen_date: in the future")
    if row.get("last_seen_state") not in STATE_CODES:
        problems.append(f"last_seen_state: {row.get('last_seen_state')!r}")
    born_text = row.get("date_of_birth", "")
    if born_text:
        born = _date(born_text)
        if born is None:
            problems.append("date_of_birth: not a date")
        elif seen is not None and born >= seen:
            problems.append("date_of_birth: not before last_seen_date")
    age = row.get("age_years", "")
    if age and not _int_in(age, 0, 120):
        problems.append(f"age_years: {age!r}")
    height = row.get("height_cm", "")
    if height and not _int_in(height, 30, 250):
        problems.append(f"height_cm: {height!r}")
    curp = row.get("curp", "")
    if curp and len(curp) != 18:
        problems.append(f"curp: {curp!r} is not 18 characters")
    if row.get("status", "") not in _REPORT_STATUSES:
        problems.append(f"status: {row.get('status')!r}")
    if any(not alias for alias in row.get("aliases", "").split(";")) and row.get("aliases"):
        problems.append("aliases: empty item")
    return problems


def remains_problems(row: dict[str, str], today: date) -> list[str]:
    """What is wrong with an unidentified-remains row (empty when it follows the rules)."""
    problems = _common(row, REMAINS_COLUMNS)
    found = _date(row.get("found_date", ""))
    if found is None:
        problems.append("found_date: not a date")
    elif found > today:
        problems.append("found_date: in the future")
    if row.get("found_state") not in STATE_CODES:
        problems.append(f"found_state: {row.get('found_state')!r}")
    for low_column, high_column, low, high in (
        ("age_min", "age_max", 0, 120),
        ("height_min_cm", "height_max_cm", 30, 250),
    ):
        low_value, high_value = row.get(low_column, ""), row.get(high_column, "")
        for column, value in ((low_column, low_value), (high_column, high_value)):
            if value and not _int_in(value, low, high):
                problems.append(f"{column}: {value!r}")
        if low_value.isdigit() and high_value.isdigit() and int(low_value) > int(high_value):
            problems.append(f"{low_column} > {high_column}")
    if row.get("status", "") not in _REMAINS_STATUSES:
        problems.append(f"status: {row.get('status')!r}")
    return problems
