"""Values derived from a record on every write: folded names for search, age, CURP problems."""

from __future__ import annotations

from datetime import date
from typing import Any

from matching import curp as curp_rules
from matching.states import STATE_BY_CODE
from matching.text import fold


def folded_name(values: dict[str, Any]) -> str:
    parts = [values.get("given_names"), values.get("first_surname"), values.get("second_surname")]
    parts.extend(values.get("aliases") or [])
    return " ".join(fold(p) for p in parts if p)[:700]


def age_at(born: date | None, on: date) -> int | None:
    if born is None:
        return None
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def curp_problems(values: dict[str, Any]) -> list[str]:
    """What is doubtful about a report's CURP: its form, its check digit, or what it encodes."""
    curp = values.get("curp")
    if not curp:
        return []
    if len(curp) != 18 or not curp_rules.has_valid_structure(curp):
        return ["malformed"]
    problems = [] if curp_rules.is_valid(curp) else ["check digit"]
    birth_state = values.get("birth_state")
    facts = curp_rules.CurpFacts(
        given_names=values.get("given_names"),
        first_surname=values.get("first_surname"),
        second_surname=values.get("second_surname"),
        date_of_birth=values.get("date_of_birth"),
        sex=values.get("sex"),
        birth_state_curp_code=STATE_BY_CODE[birth_state].curp_code if birth_state in STATE_BY_CODE else None,
    )
    problems.extend(f"does not match {part}" for part in curp_rules.consistency_problems(curp, facts))
    return problems


def report_derived(values: dict[str, Any]) -> dict[str, Any]:
    age = values.get("age_years")
    if age is None:
        age = age_at(values.get("date_of_birth"), values["last_seen_date"])
    return {
        "name_folded": folded_name(values),
        "age_at_last_seen": age,
        "curp_problems": curp_problems(values),
    }


def remains_derived(values: dict[str, Any]) -> dict[str, Any]:
    return {"name_folded": folded_name(values)}


def curp_warnings(problems: list[str]) -> list[str]:
    """Messages a clerk reads with the saved record: a CURP problem is a warning, not a refusal."""
    if not problems:
        return []
    return [f"curp: {problem}" for problem in problems]
