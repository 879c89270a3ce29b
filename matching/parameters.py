"""Fellegi–Sunter parameters: m and u per comparison level, the prior, and term frequencies.

Two models: "dedupe" for report–report pairs and "link" for remains–report pairs. Parameters
serialise to a JSON-compatible dict with a version and a fingerprint, so the registry can store
them and reproduce every score they produced.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass, field
from typing import Any

from matching.levels import COMPARISON_NAMES, LEVEL_TYPES, EventDateLevel

FORMAT_VERSION = 1
# Pairs at or above are candidates; the registry's review threshold has the same default, so that
# `registry dedupe`, the review queue and this library agree (see docs/matching.md, Thresholds).
DEFAULT_THRESHOLD = 0.5
# Bounds on how far term frequency may move a name's weight, in bits.
TF_ADJUSTMENT_MIN, TF_ADJUSTMENT_MAX = -6.0, 8.0
# Levels whose weight is adjusted by the frequency of the value that agrees.
TF_LEVELS: dict[str, frozenset[int]] = {
    "given_names": frozenset({3, 4, 5}),
    "surnames": frozenset({1, 2, 3, 4, 5}),
    "marks": frozenset({2, 3}),
}
TF_TABLES = ("given_set", "given_name", "surname", "mark")
# Sets stored before the WITHIN_QUARTER level had five event_date levels (excluded, far, within a
# year, within a month, within a week); their "within a year" (32–366 days) is shared between the
# new "within a year" (93–366) and "within three months" (32–92) in proportion to the days each
# covers, m and u alike, so that every pair weighs exactly what it weighed before.
_OLD_EVENT_LEVELS = 5
_QUARTER_SHARE = (92 - 31) / (366 - 31)
# How far a distribution's m or u may sum from 1 (estimation rounds each value to 9 decimals).
SUM_TOLERANCE = 1e-6


class ImpossibleParameters(ValueError):
    """A model no data can give: a probability outside (0, 1) or not finite, or m or u not summing to 1."""


def _possible(x: float) -> bool:
    return math.isfinite(x) and 0.0 < x < 1.0


def _impossible_values(model: ModelParameters) -> list[str]:
    """The values no score can be computed with, in words (values and counts, never a record's content)."""
    problems = [] if _possible(model.prior) else [f"prior {model.prior!r} is not strictly between 0 and 1"]
    if not math.isfinite(model.kin_together):
        problems.append(f"kin_together {model.kin_together!r} is not finite")
    if set(model.m) != set(model.u):
        return [*problems, f"m and u name different comparisons: {sorted(set(model.m) ^ set(model.u))}"]
    for table, values_of in (("m", model.m), ("u", model.u)):
        for name, values in values_of.items():
            levels = len(LEVEL_TYPES[name]) if name in LEVEL_TYPES else len(model.m[name])
            if len(values) != levels:
                problems.append(f"{table} of {name} has {len(values)} levels, not {levels}")
            elif not all(_possible(x) for x in values):
                problems.append(f"{table} of {name} {values!r} is not strictly between 0 and 1 at every level")
    return problems


def model_problems(model: ModelParameters) -> list[str]:
    """Why a model could not have come from data, in words: impossible values, or an m or u not summing to 1."""
    problems = _impossible_values(model)
    for table, values_of in (("m", model.m), ("u", model.u)):
        for name, values in values_of.items():
            if abs(math.fsum(values) - 1.0) > SUM_TOLERANCE:
                problems.append(f"{table} of {name} does not sum to 1 over its levels ({math.fsum(values)!r})")
    return problems


def _refuse(problems: list[str]) -> None:
    if problems:
        raise ImpossibleParameters("impossible matching parameters: " + "; ".join(problems))


@dataclass(frozen=True)
class ModelParameters:
    """m and u probabilities per comparison level, and the prior share of matches among candidates."""

    prior: float
    m: dict[str, tuple[float, ...]]
    u: dict[str, tuple[float, ...]]
    # log2 of how often two different people share their surnames and were last seen the same
    # week in the same state (relatives who vanished together), over all pairs; 0 means unknown.
    # The evidence of surnames, date and place together is capped by it (see `scoring`).
    kin_together: float = 0.0
    # Bits by the body's condition and the event_date level (see `matching.condition`); link
    # model only, learned from the data; empty means the condition is not weighed.
    condition_weights: dict[str, tuple[float, ...]] = field(default_factory=dict)
    # Each municipality's share of the reports that name one ("STATE|MUNICIPALITY"; see
    # `matching.municipalities`); link model only; empty means "same municipality" is not adjusted.
    municipality_shares: dict[str, float] = field(default_factory=dict)
    # Why estimation gave the built-in model instead of one learned from the data (None: it did not).
    fallback_reason: str | None = None

    def __post_init__(self) -> None:
        """Refuses a model with a value no score can be computed with (ImpossibleParameters).

        m or u not summing to 1 is refused where a whole parameter set is made (`MatchParameters`),
        so that such a set is never stored or loaded; a lone model may be tweaked to test a weight.
        """
        _refuse(_impossible_values(self))

    def weight(self, comparison: str, level: int) -> float:
        """The match weight (log2 of m over u) a comparison contributes at a level."""
        return math.log2(self.m[comparison][level] / self.u[comparison][level])

    @property
    def prior_weight(self) -> float:
        """log2 of the prior odds that a candidate pair is a match."""
        return math.log2(self.prior / (1.0 - self.prior))

    def to_dict(self) -> dict[str, Any]:
        """A JSON-compatible form."""
        return {
            "prior": self.prior,
            "m": {k: list(v) for k, v in self.m.items()},
            "u": {k: list(v) for k, v in self.u.items()},
            "kin_together": self.kin_together,
            # Written only when learned, so that parameters stored before it keep their fingerprints.
            **({"condition_weights": {k: list(v) for k, v in self.condition_weights.items()}}
               if self.condition_weights else {}),
            **({"municipality_shares": dict(self.municipality_shares)} if self.municipality_shares else {}),
            **({"fallback_reason": self.fallback_reason} if self.fallback_reason is not None else {}),
        }  # fmt: skip

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ModelParameters:
        """The parameters that `to_dict` wrote; a set written with the five event_date levels of
        earlier releases is read onto today's six, every pair keeping its weight."""
        return cls(
            prior=float(data["prior"]),
            m={k: _current_levels(k, v) for k, v in data["m"].items()},
            u={k: _current_levels(k, v) for k, v in data["u"].items()},
            kin_together=float(data.get("kin_together", 0.0)),
            condition_weights={k: _current_condition_row(v) for k, v in data.get("condition_weights", {}).items()},
            municipality_shares={k: float(v) for k, v in data.get("municipality_shares", {}).items()},
            fallback_reason=data.get("fallback_reason"),
        )


def _current_levels(comparison: str, values: list[Any]) -> tuple[float, ...]:
    """One comparison's stored m or u, on today's levels (see `_OLD_EVENT_LEVELS`)."""
    floats = [float(x) for x in values]
    if comparison == "event_date" and len(floats) == _OLD_EVENT_LEVELS:
        excluded, far, year, month, week = floats
        floats = [excluded, far, year * (1 - _QUARTER_SHARE), year * _QUARTER_SHARE, month, week]
    return tuple(floats)


def _current_condition_row(values: list[Any]) -> tuple[float, ...]:
    """A stored row of condition bits by event_date level, on today's levels (months apart weigh as within a year)."""
    floats = [float(x) for x in values]
    if len(floats) == _OLD_EVENT_LEVELS:
        floats.insert(EventDateLevel.WITHIN_QUARTER, floats[EventDateLevel.WITHIN_YEAR])
    return tuple(floats)


@dataclass(frozen=True)
class MatchParameters:
    """Everything a score depends on: both models, term frequencies and the default threshold."""

    dedupe: ModelParameters
    link: ModelParameters
    term_frequencies: dict[str, dict[str, float]] = field(default_factory=lambda: {t: {} for t in TF_TABLES})
    frequency_floors: dict[str, float] = field(default_factory=lambda: dict.fromkeys(TF_TABLES, 1e-5))
    threshold: float = DEFAULT_THRESHOLD
    estimated_from: int = 0  # how many records the estimate used (0: built-in defaults)

    def __post_init__(self) -> None:
        """Refuses a set with a model that could not have come from data (ImpossibleParameters)."""
        _refuse([f"{name}: {problem}" for name, model in (("dedupe", self.dedupe), ("link", self.link))
                 for problem in model_problems(model)])  # fmt: skip

    @property
    def fallback_reason(self) -> str | None:
        """Why a model is the built-in one although estimation ran, model by model (None: neither fell back)."""
        reasons = [f"{name} model: {m.fallback_reason}" for name, m in (("dedupe", self.dedupe), ("link", self.link))
                   if m.fallback_reason is not None]  # fmt: skip
        return "; ".join(reasons) or None

    def model(self, link: bool) -> ModelParameters:
        """The model for remains–report pairs (link) or report–report pairs."""
        return self.link if link else self.dedupe

    def to_dict(self) -> dict[str, Any]:
        """A JSON-compatible form, with the format version and a fingerprint of the content."""
        body = {
            "version": FORMAT_VERSION,
            "dedupe": self.dedupe.to_dict(),
            "link": self.link.to_dict(),
            "term_frequencies": self.term_frequencies,
            "frequency_floors": self.frequency_floors,
            "threshold": self.threshold,
            "estimated_from": self.estimated_from,
        }
        return {**body, "fingerprint": _fingerprint(body)}

    @property
    def fingerprint(self) -> str:
        """A short hash of the parameters' content: equal fingerprints give equal scores."""
        return str(self.to_dict()["fingerprint"])

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> MatchParameters:
        """The parameters that `to_dict` wrote; refuses another format version or a altered body."""
        if data.get("version") != FORMAT_VERSION:
            raise ValueError(f"unsupported matching parameters version {data.get('version')!r}")
        body = {k: v for k, v in data.items() if k != "fingerprint"}
        if "fingerprint" in data and data["fingerprint"] != _fingerprint(body):
            raise ValueError("matching parameters do not match their fingerprint")
        return cls(
            dedupe=ModelParameters.from_dict(data["dedupe"]),
            link=ModelParameters.from_dict(data["link"]),
            term_frequencies={t: {k: float(v) for k, v in d.items()} for t, d in data["term_frequencies"].items()},
            frequency_floors={k: float(v) for k, v in data["frequency_floors"].items()},
            threshold=float(data["threshold"]),
            estimated_from=int(data.get("estimated_from", 0)),
        )


def _fingerprint(body: dict[str, Any]) -> str:
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]


def _normalised(values: list[float]) -> tuple[float, ...]:
    total = sum(values)
    return tuple(v / total for v in values)


# Built-in m and u per level (level 0 first), from what registries' duplicates typically show.
_DEDUPE_M = {
    "given_names": [0.03, 0.02, 0.06, 0.16, 0.08, 0.65],
    "surnames": [0.02, 0.04, 0.10, 0.10, 0.06, 0.68],
    "date_of_birth": [0.03, 0.01, 0.02, 0.08, 0.04, 0.82],
    "age": [0.05, 0.15, 0.30, 0.50],
    "sex": [0.001, 0.999],
    "curp": [0.04, 0.16, 0.80],
    "event_date": [0.001, 0.08, 0.08, 0.07, 0.12, 0.65],
    "place": [0.10, 0.20, 0.30, 0.40],
    "height": [0.05, 0.10, 0.35, 0.50],
    "marks": [0.15, 0.10, 0.25, 0.50],
    "aliases": [0.30, 0.70],
}
_DEDUPE_U = {
    "given_names": [0.90, 0.02, 0.03, 0.04, 0.003, 0.007],
    "surnames": [0.95, 0.045, 0.003, 0.001, 0.0001, 0.0009],
    "date_of_birth": [0.94, 0.03, 0.027, 0.0025, 0.0002, 0.0003],
    "age": [0.80, 0.10, 0.07, 0.03],
    "sex": [0.45, 0.55],
    "curp": [0.9999, 0.00005, 0.00005],
    "event_date": [0.01, 0.75, 0.11, 0.04, 0.06, 0.03],
    "place": [0.85, 0.10, 0.04, 0.01],
    "height": [0.60, 0.20, 0.12, 0.08],
    "marks": [0.85, 0.10, 0.03, 0.02],
    "aliases": [0.99, 0.01],
}
_LINK_M = {
    **_DEDUPE_M,
    "event_date": [0.001, 0.30, 0.30, 0.10, 0.20, 0.10],
    "place": [0.10, 0.35, 0.40, 0.15],
    "height": [0.03, 0.12, 0.55, 0.30],
    "age": [0.03, 0.17, 0.60, 0.20],
    "marks": [0.10, 0.10, 0.25, 0.55],
}
_LINK_U = {
    **_DEDUPE_U,
    "event_date": [0.45, 0.35, 0.09, 0.03, 0.05, 0.03],
    "place": [0.85, 0.10, 0.04, 0.01],
    "age": [0.75, 0.10, 0.13, 0.02],
    "height": [0.55, 0.20, 0.17, 0.08],
}


def _model(prior: float, m: dict[str, list[float]], u: dict[str, list[float]]) -> ModelParameters:
    for name in COMPARISON_NAMES:
        assert len(m[name]) == len(u[name]) == len(LEVEL_TYPES[name]), name
    return ModelParameters(
        prior=prior,
        m={k: _normalised(m[k]) for k in COMPARISON_NAMES},
        u={k: _normalised(u[k]) for k in COMPARISON_NAMES},
    )


def default_parameters() -> MatchParameters:
    """Built-in parameters, used until there is enough data to estimate them."""
    return MatchParameters(dedupe=_model(0.02, _DEDUPE_M, _DEDUPE_U), link=_model(0.002, _LINK_M, _LINK_U))
