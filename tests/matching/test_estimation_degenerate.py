"""Estimation on degenerate registries (issue #12): every estimated probability stays possible.

A state's first file may hold 200 reports last seen the same day in one municipality, or copies
of one record, or records missing most fields. Whatever the data, the parameters that
`MatchIndex.estimate_parameters` returns (what `registry.services.matching.estimate_and_store`
stores) have a prior, m and u strictly inside (0, 1), m and u summing to 1 per comparison, and
they score; where the data cannot teach a model it is the built-in one, with the reason said.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta

import pytest
from synthetic_people import dataset

from matching import MatchIndex, MatchParameters, MatchRecord, default_parameters
from matching.parameters import ImpossibleParameters, ModelParameters

GIVEN = ["María", "José", "Juan", "Ana", "Luis", "Rosa", "Pedro", "Lucía", "Jorge", "Elena"]
SURNAMES = ["Hernández", "García", "López", "Pérez", "Cruz", "Ramírez", "Flores", "Torres"]
SAME_DAY = date(2021, 3, 2)


def _report(i: int, rng: random.Random, **overrides: object) -> MatchRecord:
    """A report of someone last seen on SAME_DAY in Zapopan, Jalisco (a state's small first file)."""
    fields: dict[str, object] = {
        "key": f"r{i}",
        "source": "JAL",
        "folio": f"JAL-{i:05d}",
        "given_names": rng.choice(GIVEN),
        "first_surname": rng.choice(SURNAMES),
        "second_surname": rng.choice(SURNAMES),
        "sex": rng.choice(["female", "male"]),
        "date_of_birth": date(1970, 1, 1) + timedelta(days=rng.randrange(40 * 365)),
        "event_date": SAME_DAY,
        "state": "JAL",
        "municipality": "Zapopan",
        "height_cm": rng.randrange(145, 190),
    }
    fields.update(overrides)
    return MatchRecord(**fields)  # type: ignore[arg-type]


def _remains(i: int, rng: random.Random, **overrides: object) -> MatchRecord:
    fields: dict[str, object] = {
        "key": f"x{i}",
        "kind": "remains",
        "source": "JAL",
        "folio": f"SEMEFO-{i:05d}",
        "given_names": rng.choice(GIVEN),
        "first_surname": rng.choice(SURNAMES),
        "sex": rng.choice(["female", "male"]),
        "event_date": SAME_DAY + timedelta(days=3),
        "state": "JAL",
        "municipality": "Zapopan",
        "age_min": 20,
        "age_max": 40,
    }
    fields.update(overrides)
    return MatchRecord(**fields)  # type: ignore[arg-type]


def _same_day(n: int) -> list[MatchRecord]:
    rng = random.Random(12)
    return [_report(i, rng) for i in range(n)]


def _identical(n: int) -> list[MatchRecord]:
    one = _report(0, random.Random(1))
    return [replace(one, key=f"r{i}", folio=f"JAL-{i:05d}") for i in range(n)]


def _all_distinct(n: int) -> list[MatchRecord]:
    rng = random.Random(3)
    return [
        _report(i, rng, given_names=f"Nombre{i:03d}".translate(str.maketrans("0123456789", "abcdefghij")),
                first_surname=f"Apellido{i:03d}".translate(str.maketrans("0123456789", "klmnopqrst")),
                second_surname=None, sex="female" if i % 2 else "male", event_date=SAME_DAY + timedelta(days=i * 40),
                state=["JAL", "NAY", "YUC", "GRO"][i % 4], municipality=None)
        for i in range(n)
    ]  # fmt: skip


def _sparse(n: int) -> list[MatchRecord]:
    rng = random.Random(4)
    return [MatchRecord(key=f"r{i}", given_names=rng.choice(GIVEN), state="JAL") for i in range(n)]


def _same_day_with_remains(n: int) -> list[MatchRecord]:
    rng = random.Random(5)
    return [*_same_day(n), *(_remains(i, rng) for i in range(120))]


REGISTRIES: dict[str, Callable[[], list[MatchRecord]]] = {
    "empty": list,
    "one": lambda: _same_day(1),
    "two": lambda: _same_day(2),
    "200 last seen the same day in one municipality": lambda: _same_day(200),
    "200 copies of one record": lambda: _identical(200),
    "200 all distinct": lambda: _all_distinct(200),
    "200 missing most fields": lambda: _sparse(200),
    "200 same-day reports and 120 named remains found together": lambda: _same_day_with_remains(200),
}


def estimated(records: list[MatchRecord]) -> tuple[MatchIndex, MatchParameters]:
    """The parameters estimated as the registry does it: an index of the live records, then `estimate_parameters()`."""
    index = MatchIndex()
    index.add_many(records)
    return index, index.estimate_parameters()


def assert_possible(model: ModelParameters) -> None:
    assert math.isfinite(model.prior)
    assert 0.0 < model.prior < 1.0, model.prior
    assert math.isfinite(model.prior_weight)
    for table in (model.m, model.u):
        for name, values in table.items():
            assert all(math.isfinite(x) and 0.0 < x < 1.0 for x in values), (name, values)
            assert math.isclose(sum(values), 1.0, abs_tol=1e-6), (name, values)
            assert all(math.isfinite(model.weight(name, level)) for level in range(len(values)))


@pytest.mark.parametrize("make", REGISTRIES.values(), ids=REGISTRIES.keys())
def test_estimation_on_a_degenerate_registry_gives_possible_parameters_that_score(
    make: Callable[[], list[MatchRecord]],
) -> None:
    records = make()
    index, params = estimated(records)
    assert_possible(params.dedupe)
    assert_possible(params.link)
    assert MatchParameters.from_dict(params.to_dict()) == params  # it can be stored and loaded
    pairs = list(index.dedupe())
    assert all(0.0 <= p.probability <= 1.0 for p in pairs)
    list(index.link(top_k=3))
    if len(records) >= 2:
        explanation = index.explain(records[0].key, records[-1].key)
        assert math.isfinite(explanation.match_weight) or explanation.excluded_by


def test_200_reports_of_one_day_and_place_fall_back_to_the_built_in_dedupe_model_and_say_why() -> None:
    _, params = estimated(_same_day(200))
    built_in = default_parameters()
    assert params.dedupe.fallback_reason is not None
    assert replace(params.dedupe, fallback_reason=None) == built_in.dedupe
    assert params.fallback_reason is not None
    assert "built-in" in params.fallback_reason
    assert not any(name in params.fallback_reason for name in GIVEN + SURNAMES)  # counts only, no personal data


def test_too_few_records_to_estimate_is_not_a_fallback() -> None:
    """Under the estimation minimum the built-in models are used as designed: nothing to report."""
    _, params = estimated(_same_day(20))
    assert params.fallback_reason is None
    assert (params.dedupe, params.link) == (default_parameters().dedupe, default_parameters().link)


def test_normal_data_is_estimated_without_a_fallback() -> None:
    records, _, _ = dataset(1000, seed=12)
    _, params = estimated(records)
    assert params.fallback_reason is None
    assert params.dedupe != default_parameters().dedupe
    assert "fallback_reason" not in params.to_dict()["dedupe"]


# --- ModelParameters refuses an impossible set --------------------------------------------------

_BUILT_IN = default_parameters().dedupe


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"prior": 0.0}, "prior"),
        ({"prior": 1.0}, "prior"),
        ({"prior": float("nan")}, "prior"),
        ({"m": {**_BUILT_IN.m, "sex": (0.0, 1.0)}}, "m of sex"),
        ({"u": {**_BUILT_IN.u, "curp": (0.5, float("inf"), 0.5)}}, "u of curp"),
        ({"m": {**_BUILT_IN.m, "age": (0.5, 0.5)}}, "levels"),
        ({"kin_together": float("nan")}, "kin_together"),
    ],
)
def test_impossible_parameters_are_refused_with_a_clear_error(change: dict[str, object], message: str) -> None:
    with pytest.raises(ImpossibleParameters, match=message):
        replace(_BUILT_IN, **change)  # type: ignore[arg-type]
    assert issubclass(ImpossibleParameters, ValueError)


def test_a_set_whose_m_or_u_does_not_sum_to_1_is_refused() -> None:
    """A lone model may be tweaked (to test a weight); a whole set, the thing stored and loaded, may not."""
    skewed = replace(_BUILT_IN, u={**_BUILT_IN.u, "age": (0.5, 0.5, 0.5, 0.5)})
    with pytest.raises(ImpossibleParameters, match="dedupe: u of age does not sum to 1"):
        replace(default_parameters(), dedupe=skewed)


def test_an_impossible_stored_set_is_refused_on_loading() -> None:
    data = default_parameters().to_dict()
    body = {k: v for k, v in data.items() if k != "fingerprint"}
    body["dedupe"] = {**body["dedupe"], "prior": 0.0}
    with pytest.raises(ValueError, match="prior"):
        MatchParameters.from_dict(body)


def test_stored_sets_of_the_current_release_still_load_with_their_fingerprint() -> None:
    records, _, _ = dataset(400, seed=5)
    _, params = estimated(records)
    stored = params.to_dict()
    assert MatchParameters.from_dict(stored).to_dict() == stored
    built_in = default_parameters().to_dict()
    assert MatchParameters.from_dict(built_in).to_dict() == built_in


def test_a_fallback_set_round_trips_with_its_reason() -> None:
    _, params = estimated(_same_day(200))
    again = MatchParameters.from_dict(params.to_dict())
    assert again == params
    assert again.fallback_reason == params.fallback_reason
