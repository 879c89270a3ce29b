from __future__ import annotations

import math
import random
from dataclasses import replace
from datetime import date, timedelta

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from synthetic_people import dataset, duplicate, person

from matching.batch import LogFrequencies, compare_pairs
from matching.columns import RecordColumns, Vocabulary
from matching.compare_facts import (
    compare_ages,
    compare_curps,
    compare_dates_of_birth,
    compare_event_dates,
    compare_heights,
    compare_marks,
    compare_places,
    compare_sex,
)
from matching.compare_names import compare_aliases, compare_given_names, compare_surnames
from matching.index import MatchIndex
from matching.levels import COMPARISON_NAMES
from matching.parameters import MatchParameters, ModelParameters, default_parameters
from matching.records import MatchRecord, PreparedRecord, prepare

_DEFAULT = default_parameters()

records = st.builds(
    MatchRecord,
    key=st.uuids().map(str),
    given_names=st.sampled_from(["María Guadalupe", "Lupe", "José Luis", "Pepe", "Xóchitl", "J.", None]),
    first_surname=st.sampled_from(["Hernández", "Xolalpa", "de la Cruz", "Velázquez", None]),
    second_surname=st.sampled_from(["López", "Belasquez", "Cruz", None]),
    sex=st.sampled_from(["female", "male", "unknown"]),
    date_of_birth=st.one_of(st.none(), st.dates(date(1950, 1, 1), date(2010, 12, 31))),
    age_years=st.one_of(st.none(), st.integers(0, 90)),
    curp=st.sampled_from([None, "HELJ850312HDFRRN09", "HELJ850312HDFRRM09"]),
    event_date=st.one_of(st.none(), st.dates(date(2005, 1, 1), date(2024, 12, 31))),
    state=st.sampled_from(["JAL", "NAY", "YUC", None]),
    height_cm=st.one_of(st.none(), st.integers(140, 200)),
    marks=st.sampled_from([None, "tatuaje de rosa en antebrazo derecho", "CICATRIZ CEJA IZQ."]),
)


def _score(a: MatchRecord, b: MatchRecord) -> float:
    index = MatchIndex()
    index.add(a)
    index.add(b)
    return index.explain(a.key, b.key).probability


@settings(max_examples=60, deadline=None)
@given(records, records)
def test_score_is_symmetric_and_a_probability(a: MatchRecord, b: MatchRecord) -> None:
    forward, backward = _score(a, b), _score(b, a)
    assert 0.0 <= forward <= 1.0
    assert abs(forward - backward) < 1e-9


@settings(max_examples=40, deadline=None)
@given(records)
def test_identical_named_records_score_above_the_threshold(a: MatchRecord) -> None:
    a = MatchRecord(
        **{
            **_fields(a),
            "given_names": "María Guadalupe",
            "first_surname": "Xolalpa",
            "second_surname": "Cruz",
            "date_of_birth": date(1990, 1, 2),
        }
    )
    b = MatchRecord(**{**_fields(a), "key": a.key + "-copy"})
    assert _score(a, b) >= _DEFAULT.threshold


def _fields(r: MatchRecord) -> dict[str, object]:
    return {name: getattr(r, name) for name in MatchRecord.__dataclass_fields__}


@settings(max_examples=40, deadline=None)
@given(records)
def test_a_contradiction_on_sex_excludes(a: MatchRecord) -> None:
    a = MatchRecord(**{**_fields(a), "sex": "female"})
    b = MatchRecord(**{**_fields(a), "key": a.key + "-other", "sex": "male"})
    index = MatchIndex()
    index.add_many([a, b])
    explanation = index.explain(a.key, b.key)
    assert explanation.probability == 0.0
    assert explanation.excluded_by == "different sex"


def _scalar_levels(a: PreparedRecord, b: PreparedRecord) -> list[int]:
    ra, rb = a.record, b.record
    values = [
        compare_given_names(a.given, b.given),
        compare_surnames(a.surnames, b.surnames),
        compare_dates_of_birth(ra.date_of_birth, rb.date_of_birth),
        compare_ages(
            a.birth_years, b.birth_years, both_dated=ra.date_of_birth is not None and rb.date_of_birth is not None
        ),
        compare_sex(ra.sex, rb.sex),
        compare_curps(a.curp, b.curp),
        compare_event_dates(ra.event_date, rb.event_date, a_is_remains=a.is_remains, b_is_remains=b.is_remains),
        compare_places(a.place, b.place),
        compare_heights(a.height, b.height),
        compare_marks(a.marks, b.marks),
        compare_aliases(a.aliases, b.aliases),
    ]
    return [-1 if v is None else int(v) for v in values]


def test_vectorised_comparisons_agree_with_the_one_pair_functions() -> None:
    recs, dupes, links = dataset(400, seed=11)
    by_key = {r.key: prepare(r) for r in recs}
    rng = random.Random(5)
    keys = list(by_key)
    pairs = [*dupes, *links] + [(rng.choice(keys), rng.choice(keys)) for _ in range(600)]
    columns = RecordColumns(Vocabulary())
    slot = {k: columns.append(p) for k, p in by_key.items()}
    a = np.array([slot[x] for x, _ in pairs])
    b = np.array([slot[y] for _, y in pairs])
    freqs = LogFrequencies(_DEFAULT.term_frequencies, _DEFAULT.frequency_floors)
    levels, _ = compare_pairs(columns, a, columns, b, freqs)
    for row, (x, y) in enumerate(pairs):
        expected = _scalar_levels(by_key[x], by_key[y])
        assert levels[row].tolist() == expected, (x, y, dict(zip(COMPARISON_NAMES, expected, strict=True)))


def test_noisy_duplicates_score_high_and_strangers_low() -> None:
    rng = random.Random(3)
    high = low = 0
    for i in range(60):
        base = person(rng, f"A{i}")
        copy = duplicate(rng, base, f"A{i}D")
        stranger = person(rng, f"S{i}")
        high += _score(base, copy) >= 0.5
        low += _score(base, MatchRecord(**{**_fields(stranger), "sex": base.sex})) < 0.5
    assert high >= 55
    assert low >= 58


def test_remains_found_long_before_last_seen_are_excluded() -> None:
    report = person(random.Random(1), "P1")
    assert report.event_date is not None
    remains = MatchRecord(
        key="R1",
        kind="remains",
        sex=report.sex,
        event_date=report.event_date - timedelta(days=60),
        state=report.state,
        marks=report.marks,
    )
    assert _score(report, remains) == 0.0


# --- estimation on small and skewed registries (issue #12) -------------------------------------


def _as_remains(r: MatchRecord, key: str) -> MatchRecord:
    return MatchRecord(
        key=key, kind="remains", given_names=r.given_names, first_surname=r.first_surname,
        second_surname=r.second_surname, sex=r.sex, event_date=r.event_date, state=r.state, marks=r.marks,
        age_min=20, age_max=40,
    )  # fmt: skip


@st.composite
def registries(draw: st.DrawFn) -> list[MatchRecord]:
    """A few records, or 200+ reports (enough to estimate) mostly copies of one or a few, maybe with remains."""
    templates = draw(st.lists(records, min_size=1, max_size=4))
    if draw(st.booleans()):
        return [
            replace(t, key=f"small-{i}") for i, t in enumerate(draw(st.lists(st.sampled_from(templates), max_size=6)))
        ]
    n = draw(st.integers(200, 230))
    first = int(n * draw(st.floats(0.5, 1.0)))  # the skew: this many copies of the first template
    same_day = draw(st.one_of(st.none(), st.dates(date(2015, 1, 1), date(2024, 12, 31))))
    reports = [replace(templates[0] if i < first else templates[i % len(templates)], key=f"r{i}") for i in range(n)]
    if same_day is not None:
        reports = [replace(r, event_date=same_day) for r in reports]
    remains = [_as_remains(reports[i], f"x{i}") for i in range(draw(st.sampled_from([0, 110])))]
    return reports + remains


def _possible(model: ModelParameters) -> bool:
    tables = [*model.m.values(), *model.u.values()]
    return (
        0.0 < model.prior < 1.0
        and all(math.isfinite(x) and 0.0 < x < 1.0 for values in tables for x in values)
        and all(math.isclose(sum(values), 1.0, abs_tol=1e-6) for values in tables)
    )


@settings(max_examples=25, deadline=None)
@given(registries())
def test_estimation_on_small_and_skewed_registries_gives_possible_parameters(records: list[MatchRecord]) -> None:
    index = MatchIndex()
    index.add_many(records)
    params = index.estimate_parameters()
    assert _possible(params.dedupe), params.dedupe
    assert _possible(params.link), params.link
    assert math.isfinite(params.dedupe.prior_weight)
    assert math.isfinite(params.link.prior_weight)
    assert MatchParameters.from_dict(params.to_dict()) == params
    assert all(0.0 <= pair.probability <= 1.0 for pair in index.dedupe())
