from __future__ import annotations

import gc
import json
import random
from datetime import date

import pytest
from synthetic_people import dataset, duplicate, person

from matching.blocking import identity_keys, link_keys
from matching.estimation import level_frequencies
from matching.index import MatchIndex, estimate_parameters
from matching.levels import COMPARISON_NAMES
from matching.parameters import MatchParameters, default_parameters
from matching.records import MatchRecord, prepare


def _shares_block(a: MatchRecord, b: MatchRecord) -> bool:
    ka = {k for pair in identity_keys(prepare(a)) for k in pair if k}
    kb = {k for pair in identity_keys(prepare(b)) for k in pair if k}
    return bool(ka & kb)


@pytest.mark.parametrize(
    "change",
    [
        {"first_surname": "López", "second_surname": "Hernández"},  # swapped
        {"second_surname": None},
        {"given_names": "Lupe"},
        {"given_names": "Ma. Guadalupe", "date_of_birth": None, "age_years": 30},
        {"first_surname": "Ernandes"},
        {"date_of_birth": date(1990, 7, 3)},
        {"first_surname": "Hernadez", "curp": None},
    ],
)
def test_a_pair_with_typical_noise_shares_a_block(change: dict[str, object]) -> None:
    base = MatchRecord(
        key="a",
        given_names="María Guadalupe",
        first_surname="Hernández",
        second_surname="López",
        sex="female",
        date_of_birth=date(1990, 3, 7),
        event_date=date(2020, 5, 1),
        state="JAL",
    )
    other = MatchRecord(**{**{f: getattr(base, f) for f in MatchRecord.__dataclass_fields__}, "key": "b", **change})
    assert _shares_block(base, other)


def test_blocking_recall_on_synthetic_duplicates() -> None:
    records, dupes, _ = dataset(2000, seed=21)
    index = MatchIndex()
    index.add_many(records)
    a, b = index.candidate_pairs()
    slot = {r.key: index._slot_of[r.key] for r in records}
    pairs = set(zip(a.tolist(), b.tolist(), strict=True))
    found = sum((min(slot[x], slot[y]), max(slot[x], slot[y])) in pairs for x, y in dupes)
    assert found / len(dupes) >= 0.98
    assert len(pairs) < len(slot) * 60  # far from everything-with-everything


def test_remains_keys_reach_reports_in_neighbouring_states() -> None:
    report = prepare(MatchRecord(key="p", sex="male", age_years=30, state="JAL", event_date=date(2020, 1, 1)))
    remains = prepare(
        MatchRecord(
            key="r", kind="remains", sex="unknown", age_min=25, age_max=35, state="NAY", event_date=date(2020, 6, 1)
        )
    )
    assert set(link_keys(report)) & set(link_keys(remains))


def test_index_add_replace_remove_and_query() -> None:
    rng = random.Random(4)
    base = person(rng, "P1")
    copy = duplicate(rng, base, "P1D")
    others = [person(rng, f"O{i}") for i in range(200)]
    index = MatchIndex()
    index.add_many([base, copy, *others])
    assert len(index) == 202
    top = index.candidates_for("P1", top=5)
    assert top
    assert top[0].key == "P1D"
    assert top[0].explanation is not None
    index.add(MatchRecord(**{**{f: getattr(copy, f) for f in MatchRecord.__dataclass_fields__}, "sex": "unknown"}))
    assert len(index) == 202
    assert index.remove("P1D")
    assert not index.remove("P1D")
    assert all(c.key != "P1D" for c in index.candidates_for("P1"))


def test_dedupe_yields_each_pair_once_and_link_ranks_the_true_report() -> None:
    records, dupes, links = dataset(900, seed=8)
    index = MatchIndex()
    index.add_many(records)
    index.estimate_parameters(random_pairs=20_000)
    found = [(p.key_a, p.key_b) for p in index.dedupe()]
    assert len(found) == len({frozenset(p) for p in found})
    truth = {frozenset(p) for p in dupes}
    hits = sum(frozenset(p) in truth for p in found)
    assert hits / len(found) >= 0.95
    assert hits / len(truth) >= 0.9
    expected = dict(links)
    ranked = dict(index.link(top_k=10))
    top10 = sum(expected[k] in {c.key for c in ranked[k]} for k in expected)
    assert top10 / len(expected) >= 0.6


def test_estimation_learns_m_above_u_for_agreeing_levels() -> None:
    records, _, _ = dataset(1000, seed=12)
    params = estimate_parameters(records)
    model = params.dedupe
    for name in ("given_names", "surnames", "date_of_birth", "curp"):
        top = len(model.m[name]) - 1
        assert model.m[name][top] > model.u[name][top] * 10, name
        assert model.m[name][0] < model.u[name][0], name
    assert 0 < model.prior < 0.5
    assert params.estimated_from == len(records)
    assert params.term_frequencies["surname"]["HERNANDEZ"] > params.term_frequencies["surname"].get("XOLALPA", 0)


def test_rare_surname_agreement_weighs_more_than_a_common_one() -> None:
    records, _, _ = dataset(600, seed=2)
    index = MatchIndex()
    index.add_many(records)
    index.estimate_parameters(random_pairs=20_000)

    def pair(surname: str) -> float:
        a = MatchRecord(
            key=f"{surname}1", given_names="Pedro", first_surname=surname, second_surname="Ortiz", sex="male"
        )
        b = MatchRecord(
            key=f"{surname}2", given_names="Pedro", first_surname=surname, second_surname="Ortiz", sex="male"
        )
        index.add_many([a, b])
        return index.explain(a.key, b.key).match_weight

    assert pair("Xolalpa") > pair("Hernández") + 1


def test_parameters_round_trip_through_json() -> None:
    records, _, _ = dataset(400, seed=5)
    params = estimate_parameters(records)
    data = json.loads(json.dumps(params.to_dict()))
    again = MatchParameters.from_dict(data)
    assert again.fingerprint == params.fingerprint
    assert again == params
    tampered = {**data, "threshold": 0.1}
    with pytest.raises(ValueError, match="fingerprint"):
        MatchParameters.from_dict(tampered)
    assert default_parameters().fingerprint != params.fingerprint


def test_scores_are_reproducible_with_stored_parameters() -> None:
    records, dupes, _ = dataset(600, seed=6)
    params = estimate_parameters(records, seed=1)
    assert estimate_parameters(records, seed=1).fingerprint == params.fingerprint
    first = MatchIndex(params)
    first.add_many(records)
    second = MatchIndex(MatchParameters.from_dict(params.to_dict()))
    second.add_many(reversed(records))
    x, y = dupes[0]
    assert first.explain(x, y).probability == second.explain(x, y).probability


def test_level_frequencies_sum_to_one() -> None:
    import numpy as np

    levels = np.array([[0] * len(COMPARISON_NAMES), [1] * len(COMPARISON_NAMES)], dtype=np.int8)
    for name, freqs in level_frequencies(levels).items():
        assert abs(sum(freqs) - 1) < 1e-9, name


def test_explanations_read_like_a_clerk_would_say_it() -> None:
    a = MatchRecord(
        key="a",
        given_names="María Guadalupe",
        first_surname="Hernández",
        second_surname="López",
        sex="female",
        date_of_birth=date(1990, 3, 7),
        curp="HELG900307MJCRPD01",
    )
    b = MatchRecord(
        key="b",
        given_names="Lupe",
        first_surname="López",
        second_surname="Hernández",
        sex="female",
        date_of_birth=date(1990, 7, 3),
        curp="HELG900307MJCRPD01",
    )
    index = MatchIndex()
    index.add_many([a, b])
    explanation = index.explain("a", "b")
    texts = {e.text for e in explanation.evidence}
    assert "same CURP" in texts
    assert "surnames swapped" in texts
    assert "date of birth with day and month swapped" in texts
    assert "same CURP" in explanation.summary()
    assert explanation.evidence[0].weight >= explanation.evidence[-1].weight


def test_records_added_one_at_a_time_are_paired_by_dedupe() -> None:
    shared = {
        "given_names": "María Guadalupe",
        "first_surname": "Hernández",
        "second_surname": "García",
        "sex": "female",
        "date_of_birth": date(1990, 5, 17),
        "event_date": date(2021, 3, 2),
        "curp": "HEGG900517MJCRRD04",
    }
    index = MatchIndex()
    index.add(MatchRecord(key="a", state="JAL", **shared))  # type: ignore[arg-type]
    index.add(MatchRecord(key="b", state="SIN", **shared))  # type: ignore[arg-type]
    assert list(index.blocked_pairs()) == [("a", "b")]
    assert [(p.key_a, p.key_b) for p in index.dedupe(0.5)] == [("a", "b")]
    index.remove("b")
    assert list(index.blocked_pairs()) == []
    index.add(MatchRecord(key="c", state="JAL", **shared))  # type: ignore[arg-type]
    assert list(index.blocked_pairs()) == [("a", "c")]


def test_indexing_leaves_the_cycle_collector_as_it_found_it() -> None:
    records = [person(random.Random(i), key=f"p{i}") for i in range(5)]
    index = MatchIndex()
    assert gc.isenabled()
    index.add_many(records[:2])
    assert gc.isenabled()
    gc.disable()
    try:
        index.add_many(records[2:])
        assert not gc.isenabled()
    finally:
        gc.enable()
    assert len(index) == 5
