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

from matching.levels import COMPARISON_NAMES, LEVEL_TYPES

FORMAT_VERSION = 1
# Pairs at or above are candidates; the registry's review threshold has the same default, so that
# `registry dedupe`, the review queue and this library agree (see docs/matching.md, Thresholds).
DEFAULT_THRESHOLD = 0.5
# Bounds on how far term frequency may move a name's weight, in bits.
TF_ADJUSTMENT_MIN, TF_ADJUSTMENT_MAX = -6.0, 8.0
# Levels whose weight is adjusted by the frequency of the value that agrees.
TF_LEVELS: dict[str, frozenset[int]] = {
    "given_names": frozenset({3, 4, 5}),
    "surnames": frozenset({1, 3, 4, 5}),
    "marks": frozenset({2, 3}),
}
TF_TABLES = ("given_set", "given_name", "surname", "mark")


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
        }  # fmt: skip

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ModelParameters:
        """The parameters that `to_dict` wrote."""
        return cls(
            prior=float(data["prior"]),
            m={k: tuple(float(x) for x in v) for k, v in data["m"].items()},
            u={k: tuple(float(x) for x in v) for k, v in data["u"].items()},
            kin_together=float(data.get("kin_together", 0.0)),
            condition_weights={k: tuple(float(x) for x in v) for k, v in data.get("condition_weights", {}).items()},
            municipality_shares={k: float(v) for k, v in data.get("municipality_shares", {}).items()},
        )


@dataclass(frozen=True)
class MatchParameters:
    """Everything a score depends on: both models, term frequencies and the default threshold."""

    dedupe: ModelParameters
    link: ModelParameters
    term_frequencies: dict[str, dict[str, float]] = field(default_factory=lambda: {t: {} for t in TF_TABLES})
    frequency_floors: dict[str, float] = field(default_factory=lambda: dict.fromkeys(TF_TABLES, 1e-5))
    threshold: float = DEFAULT_THRESHOLD
    estimated_from: int = 0  # how many records the estimate used (0: built-in defaults)

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
    "event_date": [0.001, 0.10, 0.15, 0.15, 0.60],
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
    "event_date": [0.01, 0.75, 0.15, 0.06, 0.03],
    "place": [0.85, 0.10, 0.04, 0.01],
    "height": [0.60, 0.20, 0.12, 0.08],
    "marks": [0.85, 0.10, 0.03, 0.02],
    "aliases": [0.99, 0.01],
}
_LINK_M = {
    **_DEDUPE_M,
    "event_date": [0.001, 0.30, 0.40, 0.20, 0.10],
    "place": [0.10, 0.35, 0.40, 0.15],
    "height": [0.03, 0.12, 0.55, 0.30],
    "age": [0.03, 0.17, 0.60, 0.20],
    "marks": [0.10, 0.10, 0.25, 0.55],
}
_LINK_U = {
    **_DEDUPE_U,
    "event_date": [0.45, 0.35, 0.12, 0.05, 0.03],
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
