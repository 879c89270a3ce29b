"""Scoring a `registry dna search` output against the seed's DNA truth, by reference configuration.

An identification is the true missing person at rank 1 with LR ≥ 10⁴ (the issue's measure).
Rates are given per configuration of the references the family gave (a direct sample, both
parents, one parent, parent and sibling, two siblings, one sibling, a child with its other
parent, distant relatives only), because that, far more than anything else, decides what DNA
can do. False proposals are the candidate rows of a remains that are not its person with an LR
at the proposal threshold for the number of candidates (`matching.dna.decisions`).
"""

from __future__ import annotations

import csv
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from matching.dna.decisions import proposal_threshold

RecordKey = tuple[str, str]  # (source, folio)
IDENTIFICATION_LOG10 = 4.0
DNA_LINKS_FILE = "dna_links.csv"
DNA_REFERENCES_FILE = "dna_references.csv"


class ReferenceConfiguration(StrEnum):
    """What a missing person's family gave, as the evaluation groups it."""

    DIRECT = "direct"
    BOTH_PARENTS = "both_parents"
    PARENT_AND_SIBLING = "parent_and_sibling"
    ONE_PARENT = "one_parent"
    TWO_SIBLINGS = "two_siblings"
    ONE_SIBLING = "one_sibling"
    CHILD_AND_OTHER_PARENT = "child_and_other_parent"
    DISTANT_ONLY = "distant_only"
    OTHER = "other"


_PARENTS = {"father", "mother"}
_DISTANT = {"grandparent", "aunt_uncle", "cousin"}


def configuration_of(references: str) -> ReferenceConfiguration:
    """The configuration of a references label such as `mother+full_sibling` (the interchange's names)."""
    parts = [p for p in references.split("+") if p]
    parents = sum(p in _PARENTS for p in parts)
    siblings = parts.count("full_sibling")
    if "direct" in parts:
        return ReferenceConfiguration.DIRECT
    if parents == 2:
        return ReferenceConfiguration.BOTH_PARENTS
    if parents == 1 and siblings:
        return ReferenceConfiguration.PARENT_AND_SIBLING
    if parents == 1 and len(parts) == 1:
        return ReferenceConfiguration.ONE_PARENT
    if not parents and "child" in parts and set(parts) <= {"child", "child_other_parent"}:
        return ReferenceConfiguration.CHILD_AND_OTHER_PARENT
    if siblings == len(parts) and siblings >= 2:
        return ReferenceConfiguration.TWO_SIBLINGS
    if siblings == len(parts) == 1:
        return ReferenceConfiguration.ONE_SIBLING
    if parts and set(parts) <= _DISTANT:
        return ReferenceConfiguration.DISTANT_ONLY
    return ReferenceConfiguration.OTHER


@dataclass(frozen=True, slots=True)
class DnaTruth:
    """The seed's DNA truth: each typed remains' person (the report the references are attached
    to, and what they are), and every missing person with references (with their family unit)."""

    links: dict[RecordKey, tuple[RecordKey, str]]
    candidates: dict[RecordKey, tuple[str, str]]  # missing person's report → (references, family unit)


def read_dna_truth(directory: Path) -> DnaTruth:
    """The DNA truth `registry seed --dna --truth DIR` wrote (dna_links.csv, dna_references.csv)."""
    links: dict[RecordKey, tuple[RecordKey, str]] = {}
    with (directory / DNA_LINKS_FILE).open(newline="", encoding="utf-8") as handle:
        for r in csv.DictReader(handle):
            missing = (r["missing_source"], r["missing_folio"])
            links[(r["remains_source"], r["remains_folio"])] = (missing, r["references"])
    candidates: dict[RecordKey, tuple[str, str]] = {}
    with (directory / DNA_REFERENCES_FILE).open(newline="", encoding="utf-8") as handle:
        for r in csv.DictReader(handle):
            candidates[(r["missing_source"], r["missing_folio"])] = (r["references"], r["family"])
    return DnaTruth(links, candidates)


@dataclass(frozen=True, slots=True)
class DnaCandidate:
    """One row of a `registry dna search` output: a candidate missing person of a remains."""

    missing: RecordKey
    log10_lr: float
    rank: int


def read_dna_search(path: Path) -> dict[RecordKey, list[DnaCandidate]]:
    """A `registry dna search` output (shared/spec/dna.md columns), each remains' candidates by rank."""
    ranked: dict[RecordKey, list[DnaCandidate]] = defaultdict(list)
    with path.open(newline="", encoding="utf-8") as handle:
        for r in csv.DictReader(handle):
            ranked[(r["remains_source"], r["remains_folio"])].append(
                DnaCandidate((r["missing_source"], r["missing_folio"]), float(r["log10_lr"]), int(r["rank"]))
            )
    return {k: sorted(v, key=lambda c: c.rank) for k, v in ranked.items()}


@dataclass(frozen=True, slots=True)
class ConfigurationScore:
    """How often the remains of persons whose family gave one configuration were identified."""

    configuration: ReferenceConfiguration
    remains: int
    identified: int
    sibling_first: int  # a missing brother or sister of the true person ranked first instead

    @property
    def rate(self) -> float:
        """Identified (rank 1, LR ≥ 10⁴) over remains of this configuration."""
        return self.identified / self.remains if self.remains else math.nan


@dataclass(frozen=True, slots=True)
class DnaScores:
    """DNA identification by configuration, and false proposals at the proposal threshold."""

    by_configuration: tuple[ConfigurationScore, ...]
    candidates: int  # missing persons with references: the n of the proposal threshold
    threshold: float
    remains_searched: int
    false_proposals: int  # rows at the threshold that are not the remains' person
    false_sibling_proposals: int  # of those, a missing sibling of the true person
    false_at_identification: int  # rows with LR ≥ 10⁴ that are not the remains' person

    @property
    def comparisons(self) -> int:
        """Remains searched × candidates: the false pairs the search weighed."""
        return self.remains_searched * self.candidates

    @property
    def false_per_million(self) -> float:
        """False proposals per 10⁶ comparisons."""
        return self.false_proposals / self.comparisons * 1e6 if self.comparisons else 0.0

    @property
    def expected_per_million(self) -> float:
        """The bound on false proposals per 10⁶ comparisons at the threshold (Turing: P(LR ≥ t) ≤ 1/t)."""
        return 1e6 / self.threshold


def score_dna(
    search: Mapping[RecordKey, list[DnaCandidate]],
    truth: DnaTruth,
    person_reports: Mapping[RecordKey, Iterable[RecordKey]] | None = None,
) -> DnaScores:
    """Identification rates by configuration and false proposals of a DNA search against the truth.

    `person_reports` (remains → every report of its person, the matching truth's links.csv)
    lets a search that names the person by another of their reports count as right.
    """
    reports = person_reports or {}
    family = {missing: unit for missing, (_, unit) in truth.candidates.items()}
    counts: dict[ReferenceConfiguration, list[int]] = {c: [0, 0, 0] for c in ReferenceConfiguration}
    for remains, (missing, references) in truth.links.items():
        accepted = {missing, *reports.get(remains, ())}
        row = counts[configuration_of(references)]
        row[0] += 1
        first = search.get(remains, [])[:1]
        if first and first[0].missing in accepted and first[0].log10_lr >= IDENTIFICATION_LOG10:
            row[1] += 1
        elif first and first[0].missing not in accepted and _siblings(first[0].missing, missing, family):
            row[2] += 1
    threshold = proposal_threshold(max(len(truth.candidates), 1))
    log10_threshold = math.log10(threshold)
    false = false_siblings = false_4 = 0
    for remains, candidates in search.items():
        true = truth.links.get(remains)
        accepted = {true[0]} if true else set()
        accepted.update(reports.get(remains, ()))
        for candidate in candidates:
            if candidate.missing in accepted:
                continue
            false_4 += candidate.log10_lr >= IDENTIFICATION_LOG10
            if candidate.log10_lr >= log10_threshold:
                false += 1
                false_siblings += true is not None and _siblings(candidate.missing, true[0], family)
    scores = tuple(
        ConfigurationScore(c, remains, identified, sibling)
        for c, (remains, identified, sibling) in counts.items()
        if remains
    )
    return DnaScores(
        by_configuration=scores,
        candidates=len(truth.candidates),
        threshold=threshold,
        remains_searched=len(search),
        false_proposals=false,
        false_sibling_proposals=false_siblings,
        false_at_identification=false_4,
    )


def _siblings(a: RecordKey, b: RecordKey, family: Mapping[RecordKey, str]) -> bool:
    return a != b and a in family and family.get(a) == family.get(b)
