"""Sharing a big city is weaker evidence than sharing a small town."""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import date

import numpy as np
import pytest

from matching.batch import TF_COMPARISONS
from matching.index import MatchIndex
from matching.levels import COMPARISON_NAMES, PlaceLevel
from matching.municipalities import municipality_key, shares_from_counts
from matching.parameters import TF_ADJUSTMENT_MAX, TF_ADJUSTMENT_MIN, MatchParameters, default_parameters
from matching.records import MatchRecord
from matching.scoring import WeightTable


def test_shares_are_each_municipalitys_part_of_the_reports_naming_one() -> None:
    shares = shares_from_counts({"JAL|GUADALAJARA": 600, "JAL|ZAPOPAN": 300, "JAL|TEOCALTICHE": 100})
    assert shares == {"JAL|GUADALAJARA": 0.6, "JAL|TEOCALTICHE": 0.1, "JAL|ZAPOPAN": 0.3}
    assert shares_from_counts({}) == {}


def _adjustment(u_level: float, share: float | None) -> float:
    """What a shared municipality with this share adds to "same municipality", for a model with this u."""
    model = default_parameters().link
    u = list(model.u["place"])
    u[PlaceLevel.SAME_MUNICIPALITY] = u_level
    table = WeightTable(replace(model, u={**model.u, "place": tuple(u)}))
    levels = np.full((1, len(COMPARISON_NAMES)), -1, dtype=np.int8)
    levels[0, COMPARISON_NAMES.index("place")] = PlaceLevel.SAME_MUNICIPALITY
    log_tf = np.full((1, len(TF_COMPARISONS)), np.nan)
    log_share = np.array([math.log2(share) if share else np.nan])
    place = COMPARISON_NAMES.index("place")
    return float(table.weights(levels, log_tf, log_share)[0, place] - table.weights(levels, log_tf)[0, place])


def test_a_common_municipality_weighs_less_and_a_rare_one_more_within_bounds() -> None:
    assert _adjustment(0.005, 0.2) == pytest.approx(math.log2(0.005 / 0.2))
    assert _adjustment(0.005, 0.0005) == pytest.approx(math.log2(10))
    assert _adjustment(0.005, 1e-12) == TF_ADJUSTMENT_MAX
    assert _adjustment(0.5, 1.0) >= TF_ADJUSTMENT_MIN
    assert _adjustment(0.005, None) == 0.0


SHARES = {municipality_key("JAL", "GUADALAJARA"): 0.2, municipality_key("JAL", "TEOCALTICHE"): 0.0005}
PARAMETERS = replace(default_parameters(), link=replace(default_parameters().link, municipality_shares=SHARES))


def _pair(municipality: str) -> list[MatchRecord]:
    report = MatchRecord(key=f"r-{municipality}", sex="male", event_date=date(2023, 5, 1), state="JAL",
                         municipality=municipality, age_years=30)  # fmt: skip
    remains = MatchRecord(key=f"x-{municipality}", kind="remains", sex="male", event_date=date(2023, 9, 4),
                          state="JAL", municipality=municipality.upper(), age_min=25, age_max=35)  # fmt: skip
    return [report, remains]


def _place(index: MatchIndex, municipality: str) -> float:
    evidence = index.explain(f"x-{municipality}", f"r-{municipality}").evidence
    return {e.comparison: e for e in evidence}["place"].weight


def test_the_place_weight_of_remains_follows_how_many_are_reported_there() -> None:
    index = MatchIndex(PARAMETERS)
    for name in ("Guadalajara", "Teocaltiche", "Ojuelos"):  # Ojuelos: not in the table
        index.add_many(_pair(name))
    base = default_parameters().link.weight("place", PlaceLevel.SAME_MUNICIPALITY)
    u = default_parameters().link.u["place"][PlaceLevel.SAME_MUNICIPALITY]
    assert _place(index, "Guadalajara") == pytest.approx(base + math.log2(u / 0.2), abs=0.01)
    assert _place(index, "Teocaltiche") == pytest.approx(base + math.log2(u / 0.0005), abs=0.01)
    assert _place(index, "Ojuelos") == pytest.approx(base, abs=0.01)
    assert _place(index, "Guadalajara") < _place(index, "Ojuelos") < _place(index, "Teocaltiche")
    # Reports among themselves keep the plain weight (the table is the link model's).
    index.add(replace(_pair("Guadalajara")[0], key="r2"))
    said = {e.comparison: e for e in index.explain("r-Guadalajara", "r2").evidence}["place"]
    plain = default_parameters().dedupe.weight("place", PlaceLevel.SAME_MUNICIPALITY)
    assert said.weight == pytest.approx(plain, abs=0.01)


def test_estimation_learns_the_shares_from_the_reports() -> None:
    index = MatchIndex()
    records = []
    for i in range(400):
        town = "Guadalajara" if i % 4 else "Teocaltiche"
        records.append(MatchRecord(key=f"r{i}", sex="male", event_date=date(2020, 1, 1 + i % 28), state="JAL",
                                   municipality=town, age_years=20 + i % 40))  # fmt: skip
    for i in range(120):
        records.append(MatchRecord(key=f"x{i}", kind="remains", sex="male", event_date=date(2021, 1, 1),
                                   state="JAL", municipality="Guadalajara", age_min=20, age_max=60))  # fmt: skip
    index.add_many(records)
    shares = index.estimate_parameters(seed=0).link.municipality_shares
    assert shares[municipality_key("JAL", "GUADALAJARA")] == 0.75
    assert shares[municipality_key("JAL", "TEOCALTICHE")] == 0.25


def test_parameters_without_shares_keep_their_stored_form() -> None:
    assert "municipality_shares" not in default_parameters().to_dict()["link"]
    assert MatchParameters.from_dict(PARAMETERS.to_dict()) == PARAMETERS
