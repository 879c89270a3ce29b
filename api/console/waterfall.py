"""The evidence of a pair as a waterfall (as Splink draws it): the prior, each comparison's weight in
bits, the running total, and the probability the total gives; laid out here as SVG geometry."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from registry.i18n import _

BAR_HEIGHT = 22
GAP = 6
LABEL_WIDTH = 260
CHART_WIDTH = 420
VALUE_WIDTH = 170
MAX_BITS = 60.0  # clamp for a probability of exactly 0 or 1


@dataclass(frozen=True, slots=True)
class Step:
    label: str
    weight: float  # bits this step adds (the prior: its own value)
    total: float  # running total after the step
    probability: float  # what the running total means
    x: float  # the bar's geometry in the SVG
    width: float
    y: float
    kind: str  # "prior", "for", "against", "total"


@dataclass(frozen=True, slots=True)
class Waterfall:
    steps: list[Step]
    zero_x: float
    width: int
    height: int
    probability: float
    total: float


def logit2(p: float) -> float:
    if p <= 0.0:
        return -MAX_BITS
    if p >= 1.0:
        return MAX_BITS
    return float(max(-MAX_BITS, min(MAX_BITS, math.log2(p / (1.0 - p)))))


def probability_of(bits: float) -> float:
    clamped = max(-4 * MAX_BITS, min(4 * MAX_BITS, bits))  # no overflow, and no visible difference
    return 1.0 / (1.0 + math.pow(2.0, -clamped))


def build(score: float, evidence: Iterable[Mapping[str, Any]]) -> Waterfall:
    """The waterfall of a stored pair: its evidence in order, the prior being what the score leaves over.

    The pair stores each comparison's weight and the resulting probability; the prior (the weight
    before any comparison) is the total the probability implies less the comparisons' weights.
    """
    items = [(str(e.get("text") or e.get("comparison")), float(e.get("weight") or 0.0)) for e in evidence]
    total = logit2(score)
    prior = total - sum(w for _label, w in items)
    raw: list[tuple[str, float, float, float, str]] = [(_("prior (before any comparison)"), prior, 0.0, prior, "prior")]
    running = prior
    for text, weight in items:
        start = running
        running += weight
        raw.append((text, weight, start, running, "for" if weight >= 0 else "against"))
    raw.append((_("total"), running, 0.0, running, "total"))
    low = min(0.0, *(min(a, b) for _t, _w, a, b, _k in raw))
    high = max(0.0, *(max(a, b) for _t, _w, a, b, _k in raw))
    span = (high - low) or 1.0
    scale = CHART_WIDTH / span

    def x_of(bits: float) -> float:
        return LABEL_WIDTH + (bits - low) * scale

    steps = []
    for i, (text, weight, start, end, kind) in enumerate(raw):
        left, right = sorted((x_of(start), x_of(end)))
        steps.append(
            Step(
                label=text,
                weight=round(weight, 2),
                total=round(end, 2),
                probability=probability_of(end),
                x=round(left, 1),
                width=round(max(right - left, 1.0), 1),
                y=i * (BAR_HEIGHT + GAP),
                kind=kind,
            )
        )
    return Waterfall(
        steps=steps,
        zero_x=round(x_of(0.0), 1),
        width=LABEL_WIDTH + CHART_WIDTH + VALUE_WIDTH,
        height=len(steps) * (BAR_HEIGHT + GAP),
        probability=probability_of(running),
        total=round(running, 2),
    )
