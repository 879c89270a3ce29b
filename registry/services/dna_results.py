"""What a DNA search hands back: the spec's output file, and the results kept with the candidate pairs.

A remains–report pair whose DNA decides something (undisputed, proposed, indistinguishable
siblings) is "strong": it enters the review queue (created if the descriptive matching never
proposed it) and is queued before every pair without such evidence. Every other DNA candidate is
written onto the pair only where the pair already exists. Nothing here holds a genotype.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TextIO

from sqlalchemy.orm import Session

from matching.dna.decisions import Decision
from registry.csv_safety import SafeDictWriter
from registry.enums import RecordKind
from registry.repositories import review as review_repo
from registry.services import review
from registry.services.dna_search import DnaCandidate, SearchResult, record_names

# The spec's columns, then the registry's own (shared/spec/dna.md allows more after them).
SEARCH_COLUMNS = (
    "remains_source", "remains_folio", "missing_source", "missing_folio", "log10_lr", "posterior", "rank",
    "references", "loci_compared", "remains_lab", "remains_sample_id", "decision", "log10_non_genetic_lr",
    "frequency_table",
)  # fmt: skip
STRONG = frozenset({Decision.UNDISPUTED, Decision.PROPOSED, Decision.INDISTINGUISHABLE_SIBLINGS})


def write_search(session: Session, handle: TextIO, result: SearchResult) -> int:
    """Writes the search's candidates, each remains sample's ranked best first; returns the rows written."""
    names = record_names(session, result.candidates)
    writer = SafeDictWriter(handle, fieldnames=list(SEARCH_COLUMNS))
    writer.writeheader()
    ordered = sorted(result.candidates, key=lambda c: (c.remains_sample.lab, c.remains_sample.sample_id, c.rank))
    for c in ordered:
        remains = names[c.remains_sample.remains_id]  # type: ignore[index]
        missing = names[c.family.report_id]
        writer.writerow(
            {
                "remains_source": remains[0], "remains_folio": remains[1],
                "missing_source": missing[0], "missing_folio": missing[1],
                "log10_lr": "-inf" if c.excluded and c.log10_lr == float("-inf") else f"{c.log10_lr:.4f}",
                "posterior": f"{c.posterior:.6g}", "rank": c.rank, "references": c.explanation.references,
                "loci_compared": len(c.explanation.loci_compared), "remains_lab": c.remains_sample.lab,
                "remains_sample_id": c.remains_sample.sample_id, "decision": c.decision.value,
                "log10_non_genetic_lr": "" if c.log10_non_genetic_lr is None else f"{c.log10_non_genetic_lr:.4f}",
                "frequency_table": c.explanation.frequency_table,
            }
        )  # fmt: skip
    return len(ordered)


@dataclass(frozen=True, slots=True)
class StoredResults:
    updated: int  # pairs that now carry a DNA result
    strong: int  # of them, pairs queued first


def _best_per_pair(candidates: Iterable[DnaCandidate]) -> dict[tuple[object, object], DnaCandidate]:
    best: dict[tuple[object, object], DnaCandidate] = {}
    for c in candidates:
        key = (c.remains_sample.remains_id, c.family.report_id)
        if key not in best or c.log10_lr > best[key].log10_lr:
            best[key] = c  # two samples of one remains: the stronger result speaks for the pair
    return best


def store_on_pairs(session: Session, result: SearchResult, *, review_threshold: float) -> StoredResults:
    """Writes each candidate's DNA result onto its remains–report pair; strong ones are queued first."""
    best = _best_per_pair(result.candidates)
    pairs = review_repo.pairs_by_ends(session, list(best))  # type: ignore[arg-type]
    updated = strong = 0
    for (remains_id, report_id), c in best.items():
        pair = pairs.get((remains_id, report_id))  # type: ignore[arg-type]
        is_strong = c.decision in STRONG
        if pair is None and is_strong:
            pair = review.pair_for_records(
                session=session, index=None, a=(RecordKind.remains, remains_id), b=(RecordKind.report, report_id),  # type: ignore[arg-type]
                threshold=review_threshold, parameters_version=None,
            )  # fmt: skip
        if pair is None:
            continue
        pair.dna_log10_lr = c.result()["log10_lr"]
        pair.dna = c.result()
        pair.dna_strong = is_strong
        if is_strong:
            pair.active = True
            strong += 1
        updated += 1
    session.flush()
    return StoredResults(updated, strong)
