"""The ground truth is consistent with the rows: every folio exists, every link is possible."""

from __future__ import annotations

from collections import Counter
from datetime import date
from math import comb

from seed.plans import age_on
from tests.seed.conftest import Sample


def test_every_truth_folio_exists_in_the_rows(sample: Sample) -> None:
    reports = {(r.row["source"], r.row["folio"]) for r in sample.reports}
    remains = {(r.row["source"], r.row["folio"]) for r in sample.remains}
    for left_source, left_folio, right_source, right_folio in sample.truth.duplicate_pairs:
        assert (left_source, left_folio) in reports
        assert (right_source, right_folio) in reports
    for remains_source, remains_folio, missing_source, missing_folio in sample.truth.remains_links:
        assert (remains_source, remains_folio) in remains
        assert (missing_source, missing_folio) in reports


def test_duplicate_pairs_are_all_pairs_within_each_cluster_once(sample: Sample) -> None:
    clusters = Counter(r.person_id for r in sample.reports)
    assert len(sample.truth.duplicate_pairs) == sum(comb(n, 2) for n in clusters.values())
    unordered = {frozenset([(a, b), (c, d)]) for a, b, c, d in sample.truth.duplicate_pairs}
    assert len(unordered) == len(sample.truth.duplicate_pairs)
    key_to_person = {(r.row["source"], r.row["folio"]): r.person_id for r in sample.reports}
    for a, b, c, d in sample.truth.duplicate_pairs:
        assert key_to_person[(a, b)] == key_to_person[(c, d)]


def test_links_point_at_every_report_of_the_true_person(sample: Sample) -> None:
    key_to_person = {(r.row["source"], r.row["folio"]): r.person_id for r in sample.reports}
    reports_of = Counter(r.person_id for r in sample.reports)
    for record in sample.remains:
        if record.links:
            assert {key_to_person[k] for k in record.links} == {record.person_id}
            assert len(record.links) == reports_of[record.person_id]


def test_about_fifteen_percent_of_reported_persons_are_found_dead(sample: Sample) -> None:
    linked = {r.person_id for r in sample.remains if r.links}
    share = len(linked) / len(sample.persons)
    assert abs(share - sample.config.found_dead_rate) < 0.03
    unlinked = sum(not r.links for r in sample.remains)
    assert 0.5 * len(linked) <= unlinked <= 2 * len(linked)  # a comparable number belongs to nobody


def test_remains_are_found_after_the_person_was_last_seen(sample: Sample) -> None:
    for record in sample.remains:
        if record.links:
            person = sample.persons[record.person_id]
            found = date.fromisoformat(record.row["found_date"])
            assert person.plan.last_seen.date <= found <= sample.config.today
            assert date.fromisoformat(record.row["intake_date"]) >= found


def test_remains_estimates_mostly_contain_the_truth(sample: Sample) -> None:
    linked = [r for r in sample.remains if r.links]
    ages = heights = age_hits = height_hits = sexes = 0
    for record in linked:
        person = sample.persons[record.person_id]
        row = record.row
        if row["age_min"]:
            ages += 1
            age = age_on(person.plan.date_of_birth, date.fromisoformat(row["found_date"]))
            age_hits += int(row["age_min"]) <= age <= int(row["age_max"])
        if row["height_min_cm"]:
            heights += 1
            height = person.description.height_cm
            height_hits += int(row["height_min_cm"]) <= height <= int(row["height_max_cm"])
        sexes += row["sex"] == "unknown"
    assert 0.82 <= age_hits / ages <= 0.97
    assert 0.82 <= height_hits / heights <= 0.97
    assert 0.01 <= sexes / len(linked) <= 0.10


def test_some_remains_carry_a_name_from_documents(sample: Sample) -> None:
    linked = [r for r in sample.remains if r.links]
    named = sum(bool(r.row["first_surname"]) for r in linked) / len(linked)
    assert 0.05 <= named <= 0.16
