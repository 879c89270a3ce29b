"""Scoring match results against the generator's ground truth: the measure of matching quality."""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

RecordKey = tuple[str, str]  # (source, folio)
Pair = frozenset[RecordKey]


def pair(a: RecordKey, b: RecordKey) -> Pair:
    return frozenset((a, b))


@dataclass(frozen=True, slots=True)
class Truth:
    duplicates: frozenset[Pair]
    links: dict[RecordKey, frozenset[RecordKey]]  # remains → its person's reports


def read_truth(directory: Path) -> Truth:
    """The ground truth a `registry seed --truth DIR` wrote (duplicates.csv and links.csv)."""
    with (directory / "duplicates.csv").open(newline="", encoding="utf-8") as handle:
        duplicates = frozenset(
            pair((r["left_source"], r["left_folio"]), (r["right_source"], r["right_folio"]))
            for r in csv.DictReader(handle)
        )
    links: dict[RecordKey, set[RecordKey]] = defaultdict(set)
    with (directory / "links.csv").open(newline="", encoding="utf-8") as handle:
        for r in csv.DictReader(handle):
            links[(r["remains_source"], r["remains_folio"])].add((r["missing_source"], r["missing_folio"]))
    return Truth(duplicates, {k: frozenset(v) for k, v in links.items()})


@dataclass(frozen=True, slots=True)
class PairScores:
    predicted: int
    true: int
    found: int

    @property
    def precision(self) -> float:
        return self.found / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.found / self.true if self.true else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def score_pairs(predicted: Iterable[Pair], truth: frozenset[Pair]) -> PairScores:
    """Precision, recall and F1 of predicted duplicate pairs against the true ones."""
    chosen = set(predicted)
    return PairScores(predicted=len(chosen), true=len(truth), found=len(chosen & truth))


@dataclass(frozen=True, slots=True)
class LinkScores:
    remains_with_truth: int
    recall_at_1: float
    recall_at_10: float


def score_links(ranked: dict[RecordKey, list[RecordKey]], truth: dict[RecordKey, frozenset[RecordKey]]) -> LinkScores:
    """For remains that belong to a reported person: how often a true report ranks first, and in the top 10."""
    at_1 = at_10 = 0
    for remains, reports in truth.items():
        candidates = ranked.get(remains, [])
        at_1 += bool(candidates[:1] and candidates[0] in reports)
        at_10 += any(c in reports for c in candidates[:10])
    n = len(truth)
    return LinkScores(n, at_1 / n if n else 1.0, at_10 / n if n else 1.0)


def read_dedupe_output(path: Path) -> list[Pair]:
    with path.open(newline="", encoding="utf-8") as handle:
        return [
            pair((r["left_source"], r["left_folio"]), (r["right_source"], r["right_folio"]))
            for r in csv.DictReader(handle)
        ]


def read_link_output(path: Path) -> dict[RecordKey, list[RecordKey]]:
    ranked: dict[RecordKey, list[tuple[int, RecordKey]]] = defaultdict(list)
    with path.open(newline="", encoding="utf-8") as handle:
        for r in csv.DictReader(handle):
            ranked[(r["remains_source"], r["remains_folio"])].append(
                (int(r["rank"]), (r["missing_source"], r["missing_folio"]))
            )
    return {k: [key for _rank, key in sorted(v)] for k, v in ranked.items()}
