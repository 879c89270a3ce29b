"""The noise in the data is the noise the model documents, rule by rule."""

from __future__ import annotations

import math
import re
from collections import Counter
from pathlib import Path

import pytest

from matching.text import fold
from seed.noise import NOISE_RULES, RULES
from tests.seed.conftest import Sample

DOCS = Path(__file__).resolve().parents[2] / "docs" / "seed.md"


def _observed(sample: Sample, later: bool) -> tuple[Counter[str], Counter[str]]:
    rolled: Counter[str] = Counter()
    applied: Counter[str] = Counter()
    for record in sample.reports:
        if (record.index > 0) == later:
            rolled.update(record.rolled)
            applied.update(record.applied)
    return rolled, applied


@pytest.mark.parametrize("later", [False, True], ids=["first reports", "later reports"])
def test_every_rule_fires_at_its_documented_rate(sample: Sample, later: bool) -> None:
    rolled, applied = _observed(sample, later)
    checked = 0
    for rule in NOISE_RULES:
        rate = rule.later if later else rule.first
        n = rolled[rule.name]
        if n < 200:
            continue
        observed = applied[rule.name] / n
        tolerance = 4 * math.sqrt(max(rate * (1 - rate), 1e-4) / n) + 0.005
        assert abs(observed - rate) <= tolerance, (rule.name, observed, rate, n)
        checked += 1
    assert checked >= 25


def test_later_reports_are_noisier_than_first_ones(sample: Sample) -> None:
    first = [r for r in sample.reports if r.index == 0]
    later = [r for r in sample.reports if r.index > 0]
    assert sum(len(r.applied) for r in later) / len(later) > sum(len(r.applied) for r in first) / len(first)


def test_noise_shows_in_the_rows(sample: Sample) -> None:
    later = [r for r in sample.reports if r.index > 0]
    persons = sample.persons
    dropped_second = [r for r in later if persons[r.person_id].names.second_surname and not r.row["second_surname"]]
    assert abs(len(dropped_second) / len(later) - RULES["second_surname_missing"].later) < 0.05
    exact_names = sum(
        fold(r.row["given_names"]) == fold(persons[r.person_id].names.given_names)
        and fold(r.row["first_surname"]) == fold(persons[r.person_id].names.first_surname)
        for r in later
    )
    assert 0.3 < exact_names / len(later) < 0.85  # duplicates are neither trivial nor hopeless
    assert any(r.row["given_names"].upper().startswith(("MA.", "MA ", "J.")) for r in later)
    assert any(r.row["age_years"] and not r.row["date_of_birth"] for r in later)


def test_docs_table_states_every_rule_with_its_rates() -> None:
    text = DOCS.read_text(encoding="utf-8")
    for rule in NOISE_RULES:
        row = re.search(rf"^\| `{rule.name}` \|([^|]*)\|([^|]*)\|", text, re.MULTILINE)
        assert row, f"docs/seed.md has no row for {rule.name}"
        assert float(row.group(1).strip().rstrip("%")) / 100 == pytest.approx(rule.first), rule.name
        assert float(row.group(2).strip().rstrip("%")) / 100 == pytest.approx(rule.later), rule.name
