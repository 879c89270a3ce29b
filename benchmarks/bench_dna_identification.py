"""DNA identification power and speed by simulation on CODIS 20 with the shipped frequencies (issue #14).

python -m benchmarks.bench_dna_identification --per-configuration 300 --families 100000 --queries 200

1. Power: `--per-configuration` simulated families of each reference configuration (founders
   from the default table, Mendelian inheritance with stepwise mutation), all in one index; each
   missing person's profile is searched against every family, the top 3 rescored exactly. An
   identification is rank 1 and LR ≥ 10⁴. False positives: pairs of a remains and another
   family with LR ≥ 10⁴, and at the proposal threshold for that many candidates.
2. Speed: the pool's index tiled to `--families` families (a query's cost does not depend on
   what the columns hold), `--queries` remains profiles scored against it; p50 / p95 wall time,
   the index's memory and the process's peak RSS.
"""

from __future__ import annotations

import argparse
import math
import resource
import time

import numpy as np

from benchmarks.common import machine
from matching.dna.decisions import proposal_threshold
from matching.dna.index import FamilyIndex
from matching.dna.markers import CODIS_20
from matching.dna.pedigree import kinship_lr
from matching.dna.simulate import Configuration, SimulatedCase, degrade, simulate_case, simulation_models

CONFIGURATIONS = (
    Configuration.DIRECT,
    Configuration.BOTH_PARENTS,
    Configuration.PARENT_AND_SIBLING,
    Configuration.ONE_PARENT,
    Configuration.TWO_SIBLINGS,
    Configuration.ONE_SIBLING,
)
TARGETS = {
    Configuration.DIRECT: 0.995,
    Configuration.BOTH_PARENTS: 0.995,
    Configuration.PARENT_AND_SIBLING: 0.995,
    Configuration.ONE_PARENT: 0.97,
    Configuration.TWO_SIBLINGS: 0.98,
}
RESCORED = 3


def power(cases: list[SimulatedCase], configurations: list[Configuration], index: FamilyIndex) -> None:
    threshold = proposal_threshold(index.size)
    found: dict[Configuration, int] = dict.fromkeys(CONFIGURATIONS, 0)
    totals: dict[Configuration, int] = dict.fromkeys(CONFIGURATIONS, 0)
    false_4: dict[Configuration, int] = dict.fromkeys(CONFIGURATIONS, 0)
    false_t = 0
    comparisons = 0
    for position, case in enumerate(cases):
        scores = index.log10_lrs(case.missing)
        top = np.argsort(-scores)[:RESCORED]
        exact = {int(j): kinship_lr(case.missing, cases[j].family).log10_lr for j in top}
        best = max(exact, key=lambda j: exact[j])
        configuration = configurations[position]
        totals[configuration] += 1
        if best == position and exact[best] >= 4:
            found[configuration] += 1
        others = np.delete(np.arange(len(cases)), position)
        comparisons += len(others)
        false_scores = scores[others]
        false_t += int(np.sum(false_scores >= math.log10(threshold)))
        for j in others[false_scores >= 4]:
            false_4[configurations[j]] += 1
    print(f"{len(cases)} families in the index; every missing person searched against all of them")
    print(f"{'configuration':<22} {'rank 1 & LR≥1e4':>16} {'target':>8} {'false LR≥1e4 (as candidate)':>28}")
    for configuration in CONFIGURATIONS:
        rate = found[configuration] / totals[configuration]
        target = TARGETS.get(configuration)
        per = false_4[configuration] / (totals[configuration] * (len(cases) - 1)) * 1e6
        print(
            f"{configuration.value:<22} {rate:>16.4f} {target if target else 'measured':>8} "
            f"{false_4[configuration]:>10} ({per:.1f} per 10⁶ comparisons)"
        )
    print(
        f"proposal threshold for {index.size} candidates: LR ≥ {threshold:.3g}; false proposals {false_t} in "
        f"{comparisons} comparisons; bound {1e6 / threshold:.3g} per 10⁶ comparisons (Turing: P(LR ≥ t) ≤ 1/t)"
    )


def degraded_power(cases: list[SimulatedCase], configurations: list[Configuration], index: FamilyIndex) -> None:
    rng = np.random.default_rng(2)
    found: dict[Configuration, int] = dict.fromkeys(CONFIGURATIONS, 0)
    totals: dict[Configuration, int] = dict.fromkeys(CONFIGURATIONS, 0)
    for position, case in enumerate(cases):
        remains = degrade(rng, case.missing, loci_lost=0.25, dropout=0.2)
        scores = index.log10_lrs(remains)
        totals[configurations[position]] += 1
        if int(np.argmax(scores)) == position and scores[position] >= 4:
            found[configurations[position]] += 1
    rates = ", ".join(f"{c.value} {found[c] / totals[c]:.3f}" for c in CONFIGURATIONS)
    print(f"degraded remains (25% of loci lost, drop-out 0.2; index LR): {rates}")


def speed(pool: FamilyIndex, cases: list[SimulatedCase], families: int, queries: int) -> None:
    columns = np.arange(families) % pool.size
    ratios = {locus: np.take(matrix, columns, axis=1) for locus, matrix in pool.ratios.items()}
    single = {locus: np.take(matrix, columns, axis=1) for locus, matrix in pool.single_allele.items()}
    index = FamilyIndex(settings=pool.settings, models=pool.models, ratios=ratios, size=families, single_allele=single)
    rng = np.random.default_rng(3)
    picks = rng.choice(len(cases), size=queries, replace=False)
    timings = []
    for i in picks:
        start = time.perf_counter()
        index.top(cases[int(i)].missing, k=10)
        timings.append(time.perf_counter() - start)
    p50, p95 = np.percentile(timings, [50, 95]) * 1000
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2
    print(
        f"{families} families: one remains profile p50 {p50:.1f} ms, p95 {p95:.1f} ms (top 10 from the index); "
        f"index {index.total_nbytes / 1024**3:.2f} GiB float32 (genotype rows {index.nbytes / 1024**3:.2f} GiB, "
        f"degraded single-allele rows the rest); peak RSS {rss:.2f} GiB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--per-configuration", type=int, default=300)
    parser.add_argument("--families", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--seed", type=int, default=14)
    args = parser.parse_args()
    print(machine())
    rng = np.random.default_rng(args.seed)
    models = simulation_models()
    configurations = [c for c in CONFIGURATIONS for _ in range(args.per_configuration)]
    start = time.perf_counter()
    cases = [simulate_case(rng, models, c) for c in configurations]
    print(f"simulated {len(cases)} families in {time.perf_counter() - start:.1f} s")
    start = time.perf_counter()
    cpu = time.process_time()
    index = FamilyIndex.build([c.family for c in cases], loci=CODIS_20)
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    print(f"index built: {wall / len(cases) * 1000:.2f} ms per family wall, {cpu / len(cases) * 1000:.2f} ms CPU")
    start = time.perf_counter()
    power(cases, configurations, index)
    degraded_power(cases, configurations, index)
    print(f"power measured in {time.perf_counter() - start:.1f} s")
    for families in (60_000, args.families):
        speed(index, cases, families, args.queries)


if __name__ == "__main__":
    main()
