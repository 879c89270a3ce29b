"""DNA candidates: each remains sample's missing persons ranked by kinship LR, with decisions and posteriors.

Retrieval, then scoring: the family index ranks every family for a remains profile; the best are
rescored exactly (`kinship_lr`, all of a person's references in one pedigree) and ranked again.
The posterior combines the DNA with the registry's other evidence (docs/dna.md):

    posterior odds = prior odds × non-genetic LR × DNA LR,  prior = 1 / (missing persons with references)

the non-genetic LR being the Bayes factor of the registry's matching model for the pair where a
candidate pair of the two records exists (2 to the sum of its evidence weights, the model's prior
left out: the DNA prior replaces it), else 1. Decisions are matching.dna.decisions': exclusion,
dvir's undisputed rule over the whole remains × missing matrix of a search, indistinguishable
siblings, and the proposal threshold for the number of families.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from matching.dna.decisions import Decision, decide_sparse, is_exclusion, posterior_probability, prior_probability
from matching.dna.decisions import proposal_threshold as dna_proposal_threshold
from matching.dna.explain import DnaExplanation, explain
from matching.dna.index import FamilyIndex
from matching.dna.likelihood import KinshipSettings
from matching.dna.markers import Profile
from matching.dna.pedigree import kinship_lr
from registry.models import DnaSample, MissingPersonReport, UnidentifiedRemains
from registry.repositories import dna as repo
from registry.repositories import review as review_repo
from registry.services.dna_families import BuiltIndex, FamilyEntry, load_families, profile_of

# Index candidates rescored exactly beyond the number asked for: the index's log10 LR differs from
# the exact one by about 0.01 per locus, enough to swap neighbours.
RESCORED_BEYOND_TOP = 5
# How far below the exact log10 LR the index's may be (about 0.01 per locus, 20 to 24 loci): candidates
# further below the floor than this are not rescored, which spares most of the exact work on unrelated remains.
INDEX_MARGIN = 1.0
LOG10_2 = math.log10(2.0)


@dataclass(slots=True)
class DnaCandidate:
    """One missing person for one remains sample: the exact LR, what it rests on, and what it decides."""

    remains_sample: DnaSample
    family: FamilyEntry
    explanation: DnaExplanation
    excluded: bool
    log10_non_genetic_lr: float | None = None  # None: no candidate pair of the two records
    posterior: float = 0.0
    decision: Decision = Decision.INCONCLUSIVE
    rank: int = 0

    @property
    def log10_lr(self) -> float:
        return self.explanation.log10_lr

    def result(self) -> dict[str, Any]:
        """The result as stored with a candidate pair or an identification: never a genotype."""
        e = self.explanation
        return {
            "log10_lr": _finite(e.log10_lr),
            "references": e.references,
            "loci_compared": list(e.loci_compared),
            "loci_incompatible": list(e.loci_incompatible),
            "loci_not_compared": list(e.loci_not_compared),
            "decision": self.decision.value,
            "posterior": self.posterior,
            "log10_non_genetic_lr": self.log10_non_genetic_lr,
            "frequency_table": e.frequency_table,
            "theta": e.theta,
            "mutation_model": e.mutation_model,
            "notes": [note for note in (e.kappa_note, e.dropout_note) if note],
            "remains_sample": {"lab": self.remains_sample.lab, "sample_id": self.remains_sample.sample_id},
        }


def _finite(value: float) -> float | None:
    return round(value, 4) if math.isfinite(value) else None


@dataclass(slots=True)
class SearchResult:
    built: BuiltIndex
    candidates: list[DnaCandidate] = field(default_factory=list)
    remains_searched: int = 0

    @property
    def prior(self) -> float | None:
        return prior_probability(len(self.built.families)) if self.built.families else None

    @property
    def threshold(self) -> float:
        return dna_proposal_threshold(max(len(self.built.families), 1))


def rank_profile(
    built: BuiltIndex, profile: Profile, *, top: int, min_log10_lr: float
) -> list[tuple[FamilyEntry, Any]]:
    """The `top` families for a profile by exact LR (at least `min_log10_lr`), best first, with their kinship LR."""
    if built.index is None or not profile.loci:
        return []
    found = []
    for position, approximate in built.index.top(profile, k=top + RESCORED_BEYOND_TOP):
        if approximate < min_log10_lr - INDEX_MARGIN:
            break  # best first: the rest are further below the floor than the index can be off
        entry = built.families[position]
        found.append((entry, kinship_lr(profile, entry.family, built.settings)))
    found.sort(key=lambda pair: -pair[1].log10_lr)
    return [(entry, lr) for entry, lr in found if lr.log10_lr >= min_log10_lr][:top]


def search(
    session: Session,
    built: BuiltIndex,
    *,
    remains_id: uuid.UUID | None = None,
    report_id: uuid.UUID | None = None,
    top: int = 10,
    min_log10_lr: float = 0.0,
) -> SearchResult:
    """The DNA candidates of every remains sample (of one remains record, or for one report), decided and weighed."""
    samples = repo.remains_samples(session, remains_id)
    genotypes = repo.genotypes_of(session, [s.id for s in samples])
    result = SearchResult(built)
    profiles = [(sample, profile_of(sample, typed)) for sample in samples if (typed := genotypes.get(sample.id))]
    result.remains_searched = len(profiles)
    if report_id is not None:
        ranked = _rank_remains(built, report_id, profiles, top=top, min_log10_lr=min_log10_lr)
        result.candidates = [DnaCandidate(sample, entry, explain(lr), is_exclusion(lr)) for sample, entry, lr in ranked]
    else:
        for sample, profile in profiles:
            for entry, lr in rank_profile(built, profile, top=top, min_log10_lr=min_log10_lr):
                result.candidates.append(DnaCandidate(sample, entry, explain(lr), is_exclusion(lr)))
    # A report withdrawn since the index was built is no one's candidate (the index follows DNA changes only).
    reports = repo.record_keys(session, MissingPersonReport, list({c.family.report_id for c in result.candidates}))
    result.candidates = [c for c in result.candidates if reports[c.family.report_id]["withdrawn_at"] is None]
    _weigh(session, result)
    _decide(result)
    return result


def _rank_remains(
    built: BuiltIndex,
    report_id: uuid.UUID,
    profiles: Sequence[tuple[DnaSample, Profile]],
    *,
    top: int,
    min_log10_lr: float,
) -> list[tuple[DnaSample, FamilyEntry, Any]]:
    """The remains samples that may be one missing person, best first: an index of that one family ranks
    every remains profile, the best are rescored exactly."""
    entry = next((f for f in built.families if f.report_id == report_id), None)
    if entry is None or not profiles:
        return []
    one = FamilyIndex.build([entry.family], built.settings)
    approximate = [float(one.log10_lrs(profile)[0]) for _sample, profile in profiles]
    best = sorted(range(len(profiles)), key=lambda i: -approximate[i])[: top + RESCORED_BEYOND_TOP]
    best = [i for i in best if approximate[i] >= min_log10_lr - INDEX_MARGIN]
    found = [(profiles[i][0], entry, kinship_lr(profiles[i][1], entry.family, built.settings)) for i in best]
    found.sort(key=lambda item: -item[2].log10_lr)
    return [item for item in found if item[2].log10_lr >= min_log10_lr][:top]


def _weigh(session: Session, result: SearchResult) -> None:
    """Each candidate's non-genetic LR (from its candidate pair, if any) and posterior."""
    ends = [(c.remains_sample.remains_id, c.family.report_id) for c in result.candidates]
    pairs = review_repo.pairs_by_ends(session, [(a, b) for a, b in ends if a is not None])
    prior = result.prior
    for candidate in result.candidates:
        pair = pairs.get((candidate.remains_sample.remains_id, candidate.family.report_id))  # type: ignore[arg-type]
        if pair is not None:
            bits = sum(float(e.get("weight", 0.0)) for e in pair.evidence)
            candidate.log10_non_genetic_lr = round(bits * LOG10_2, 4)
        if prior is not None:
            candidate.posterior = posterior_probability(
                candidate.log10_lr, prior, candidate.log10_non_genetic_lr or 0.0
            )


def _decide(result: SearchResult) -> None:
    """Decisions over the search's remains × missing matrix, kept sparse (candidates not found count as LR 0)."""
    entries = [(c.remains_sample.id, c.family.report_id, c.log10_lr, c.excluded) for c in result.candidates]
    keys: dict[Hashable, Hashable | None] = {c.family.report_id: c.family.family_key for c in result.candidates}
    for c, decision in zip(result.candidates, decide_sparse(entries, keys, result.threshold), strict=True):
        c.decision = decision
    by_row: dict[uuid.UUID, list[DnaCandidate]] = {}
    for c in result.candidates:
        by_row.setdefault(c.remains_sample.id, []).append(c)
    for members in by_row.values():
        members.sort(key=lambda c: -c.log10_lr)
        for rank, c in enumerate(members, start=1):
            c.rank = rank


def record_names(session: Session, candidates: Sequence[DnaCandidate]) -> dict[uuid.UUID, tuple[str, str]]:
    """(source, folio) of the remains and reports the candidates name."""
    remains = repo.record_keys(session, UnidentifiedRemains, [c.remains_sample.remains_id for c in candidates
                                                               if c.remains_sample.remains_id])  # fmt: skip
    reports = repo.record_keys(session, MissingPersonReport, [c.family.report_id for c in candidates])
    return {key: (row["source"], row["folio"]) for key, row in (remains | reports).items()}


def identification_result(
    session: Session, remains_id: uuid.UUID, report_id: uuid.UUID, settings: KinshipSettings
) -> dict[str, Any] | None:
    """What an identification by DNA records: the pair's result from the last DNA search if there is one, else
    the LR computed now for this pair alone (its decision then weighs no other candidate); None without DNA data."""
    pair = review_repo.pairs_by_ends(session, [(remains_id, report_id)]).get((remains_id, report_id))
    if pair is not None and pair.dna:
        return dict(pair.dna)
    families = load_families(session, report_id)
    samples = repo.remains_samples(session, remains_id)
    genotypes = repo.genotypes_of(session, [s.id for s in samples])
    typed = [(s, profile_of(s, g)) for s in samples if (g := genotypes.get(s.id))]
    if not families or not typed:
        return None
    scored = [(s, kinship_lr(profile, families[0].family, settings)) for s, profile in typed]
    sample, best = max(scored, key=lambda item: item[1].log10_lr)
    candidate = DnaCandidate(sample, families[0], explain(best), is_exclusion(best))
    threshold = dna_proposal_threshold(max(repo.count_families(session), 1))
    candidate.decision = (
        Decision.EXCLUDED if candidate.excluded
        else Decision.PROPOSED if best.log10_lr >= math.log10(threshold)
        else Decision.INCONCLUSIVE
    )  # fmt: skip
    candidate.posterior = posterior_probability(best.log10_lr, prior_probability(max(repo.count_families(session), 1)))
    return candidate.result()
