"""The synthetic registry has the shape of the real one: who goes missing, where, how often twice."""

from __future__ import annotations

from collections import Counter

from matching.text import fold
from seed.plans import age_on
from tests.seed.conftest import Sample


def test_top_five_surnames_cover_a_realistic_share(sample: Sample) -> None:
    surnames = Counter(fold(p.names.first_surname) for p in sample.persons.values())
    top = surnames.most_common(5)
    share = sum(count for _, count in top) / len(sample.persons)
    assert 0.11 <= share <= 0.22, (top, share)
    assert top[0][0] == "HERNANDEZ"
    assert {name for name, _ in top} <= {"HERNANDEZ", "GARCIA", "MARTINEZ", "LOPEZ", "GONZALEZ", "PEREZ", "RODRIGUEZ"}


def test_about_three_in_four_reported_persons_are_male(sample: Sample) -> None:
    male = sum(p.plan.sex == "male" for p in sample.persons.values()) / len(sample.persons)
    assert 0.70 <= male <= 0.79


def test_most_are_young_adults_and_minors_are_mostly_teenage_girls(sample: Sample) -> None:
    persons = list(sample.persons.values())
    young = sum(15 <= p.plan.age <= 40 for p in persons) / len(persons)
    assert young >= 0.6
    minors = [p for p in persons if p.plan.age < 18]
    assert 0.13 <= len(minors) / len(persons) <= 0.27
    women = [p for p in persons if p.plan.sex == "female"]
    teen_girls = sum(12 <= p.plan.age <= 17 for p in women) / len(women)
    teen_boys = sum(12 <= p.plan.age <= 17 for p in persons if p.plan.sex == "male") / (len(persons) - len(women))
    assert teen_girls > 2 * teen_boys


def test_duplicate_share_matches_the_configured_rate(sample: Sample) -> None:
    reports_per_person = Counter(r.person_id for r in sample.reports)
    share = sum(n > 1 for n in reports_per_person.values()) / len(reports_per_person)
    assert abs(share - sample.config.duplicate_rate) < 0.03
    assert max(reports_per_person.values()) == 3


def test_states_with_most_reports_lead(sample: Sample) -> None:
    states = Counter(p.plan.last_seen.place.state for p in sample.persons.values())
    top = {state for state, _ in states.most_common(6)}
    assert {"JAL", "TAM", "MEX"} <= top | {"VER", "NLE"}
    assert states["JAL"] > states["YUC"] * 10


def test_most_were_last_seen_between_2006_and_2026(sample: Sample) -> None:
    persons = list(sample.persons.values())
    recent = sum(2006 <= p.plan.last_seen.date.year <= 2026 for p in persons) / len(persons)
    assert recent >= 0.95
    assert all(p.plan.last_seen.date <= sample.config.today for p in persons)
    assert all(age_on(p.plan.date_of_birth, p.plan.last_seen.date) == p.plan.age for p in persons)


def test_different_persons_share_common_full_names(sample: Sample) -> None:
    names = Counter(
        (fold(p.names.given_names), fold(p.names.first_surname), fold(p.names.second_surname))
        for p in sample.persons.values()
    )
    shared = [name for name, count in names.items() if count > 1]
    assert len(shared) >= 10
    assert sum(names[name] for name in shared) >= 30


def test_siblings_share_both_surnames(sample: Sample) -> None:
    by_unit: dict[int, list[str]] = {}
    for person_id, person in sample.persons.items():
        by_unit.setdefault(person.plan.family.unit, []).append(person_id)
    families = [ids for ids in by_unit.values() if len(ids) > 1]
    assert len(families) >= 0.02 * len(by_unit)
    for ids in families:
        surnames = {(sample.persons[i].names.first_surname, sample.persons[i].names.second_surname) for i in ids}
        assert len(surnames) == 1
        births = [sample.persons[i].plan.date_of_birth for i in ids]
        assert len(set(births)) >= 1


def test_duplicates_are_filed_in_the_same_a_neighbouring_or_the_federal_registry(sample: Sample) -> None:
    first_sources = {r.person_id: r.row["source"] for r in sample.reports if r.index == 0}
    later = [r for r in sample.reports if r.index > 0]
    same = sum(r.row["source"] == first_sources[r.person_id] for r in later) / len(later)
    federal = sum(r.row["source"] == "FED" for r in later) / len(later)
    assert 0.3 <= same <= 0.65
    assert 0.15 <= federal <= 0.4
