"""Noise profiles: `default` is today's data byte for byte; the others are deterministic and show their rates."""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from pathlib import Path

import pytest

from seed.config import SeedConfig
from seed.generator import duplicate_pairs, generate_remains, generate_report_records, generate_reports, remains_links
from seed.profiles import PROFILE_RULES, PROFILES, profile_named
from seed.remains import terse_wording

DOCS = Path(__file__).resolve().parents[2] / "docs" / "seed.md"
# sha256 of the rows and truth of SeedConfig(reports=1500, remains=400, seed=5) as the release
# before noise profiles wrote them: the default profile must keep giving exactly these bytes.
DEFAULT_DIGEST = "846129ce8730c267cf8e1ae96fe2b83afd680ff337f2ffca110b4e28eac955ca"


def _digest(config: SeedConfig) -> str:
    h = hashlib.sha256()
    for rows in (generate_reports(config), generate_remains(config)):
        for row in rows:
            h.update(json.dumps(row, sort_keys=True).encode())
    for pair in (*duplicate_pairs(config), *remains_links(config)):
        h.update("|".join(pair).encode())
    return h.hexdigest()


def test_the_default_profile_gives_the_bytes_it_always_gave() -> None:
    assert _digest(SeedConfig(reports=1500, remains=400, seed=5, profile="default")) == DEFAULT_DIGEST


@pytest.mark.parametrize("profile", ["harsh", "sparse", "remains"])
def test_every_profile_is_deterministic_and_differs_from_the_default(profile: str) -> None:
    config = SeedConfig(reports=250, remains=60, seed=9, profile=profile)
    default = SeedConfig(reports=250, remains=60, seed=9)
    assert _digest(config) == _digest(SeedConfig(reports=250, remains=60, seed=9, profile=profile))
    assert _digest(config) != _digest(default)
    # The same persons and the same truth: only how they are written changes.
    assert list(duplicate_pairs(config)) == list(duplicate_pairs(default))


def test_an_unknown_profile_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown noise profile"):
        SeedConfig(reports=10, profile="gentle")


def test_the_harsh_profile_shows_its_rates() -> None:
    records = list(generate_report_records(SeedConfig(reports=3000, seed=4, profile="harsh")))
    first, later = profile_named("harsh").rate_tables()
    for rule in ("last_seen_date_weeks_off", "birth_date_as_age", "clerk_capitals", "both_surnames_mistyped"):
        for rates, subset in ((first, [r for r in records if r.index == 0]), (later, [r for r in records if r.index])):
            rolled = sum(Counter(r.rolled)[rule] for r in subset)
            applied = sum(Counter(r.applied)[rule] for r in subset)
            assert rolled > 200, rule
            assert applied / rolled == pytest.approx(rates[rule], abs=4 * (rates[rule] / rolled) ** 0.5 + 0.01), rule


def test_the_default_profile_never_rolls_the_profile_rules() -> None:
    names = {rule.name for rule in PROFILE_RULES}
    for record in generate_report_records(SeedConfig(reports=300, seed=4)):
        assert not names & set(record.rolled)


def test_the_sparse_profile_leaves_most_optional_fields_empty() -> None:
    rows = list(generate_reports(SeedConfig(reports=1000, seed=4, profile="sparse")))
    assert sum(not r["height_cm"] for r in rows) / len(rows) > 0.7
    assert sum(not r["curp"] for r in rows) / len(rows) > 0.8


def test_terse_marks_read_as_an_examiner_jots_them() -> None:
    assert terse_wording("TATUAJE EN ANTEBRAZO DERECHO CON FIGURA DE ROSA") == "tatuado antebrazo der rosa"


def test_docs_state_every_profile_rate() -> None:
    text = DOCS.read_text(encoding="utf-8")
    for profile in PROFILES.values():
        for rule, (first, later) in profile.rates.items():
            row = re.search(rf"^\| {profile.name} \| `{rule}` \|([^|]*)\|([^|]*)\|", text, re.MULTILINE)
            assert row, f"docs/seed.md has no row for {profile.name} {rule}"
            assert float(row.group(1).strip().rstrip("%")) / 100 == pytest.approx(first), rule
            assert float(row.group(2).strip().rstrip("%")) / 100 == pytest.approx(later), rule
