"""DNA at national scale, run end to end: every remains profile against every family (issue #14).

python -m benchmarks.bench_dna_national --families 60000 --remains 20000

1. Simulates `--families` families on CODIS 20 (founders from the default table, Mendelian
   inheritance with stepwise mutation), their reference configurations in the seed's
   proportions (`seed.dna.CONFIGURATION_WEIGHTS`), and `--remains` remains profiles: the
   missing persons of the first families (`--found` of the remains) and unrelated people (the
   rest), `--degraded` of them degraded (loci lost, drop-out). Simulation time is stated apart.
2. Builds the `FamilyIndex` of all families (wall and CPU time, the index's memory).
3. The national run, timed as one: every remains profile scored against every family
   (`FamilyIndex.top`, top `--top`), the best `--rescore` rescored exactly (`kinship_lr`).
   States the wall and CPU time, the load average, the peak RSS, and how many of the remains of
   a missing person came out rank 1 with LR ≥ 10⁴, and how many remains got a false candidate
   at the proposal threshold.
"""

from __future__ import annotations

import argparse
import math
import multiprocessing
import os
import resource
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

import numpy as np

from benchmarks.common import machine
from matching.dna.decisions import proposal_threshold
from matching.dna.index import FamilyIndex
from matching.dna.markers import CODIS_20, Profile
from matching.dna.pedigree import Family, kinship_lr
from matching.dna.simulate import Configuration, SimulatedCase, degrade, founder, simulate_case, simulation_models
from seed.dna import CONFIGURATION_WEIGHTS, DEGRADED_DROPOUT, DEGRADED_LOCI_LOST

BUILD_CHUNK = 5_000


def _rss_gib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2


def simulate(rng: np.random.Generator, families: int) -> tuple[list[SimulatedCase], list[Configuration]]:
    models = simulation_models()
    kinds = [c for c, _ in CONFIGURATION_WEIGHTS]
    weights = np.array([w for _, w in CONFIGURATION_WEIGHTS])
    drawn = rng.choice(len(kinds), size=families, p=weights / weights.sum())
    configurations = [kinds[int(i)] for i in drawn]
    return [simulate_case(rng, models, c) for c in configurations], configurations


def remains_profiles(
    rng: np.random.Generator, cases: list[SimulatedCase], count: int, found: float, degraded: float
) -> tuple[list[Profile], list[int]]:
    """Remains profiles and, for each, the position of its family (-1: unrelated to every family)."""
    models = simulation_models()
    true_count = min(int(count * found), len(cases))
    profiles: list[Profile] = []
    truth: list[int] = []
    for i in range(count):
        profile = cases[i].missing if i < true_count else founder(rng, models)
        if rng.random() < degraded:
            profile = degrade(rng, profile, loci_lost=DEGRADED_LOCI_LOST, dropout=DEGRADED_DROPOUT)
        profiles.append(profile)
        truth.append(i if i < true_count else -1)
    return profiles, truth


def _build_chunk(families: list[Family]) -> tuple[FamilyIndex, float]:
    cpu = time.process_time()
    index = FamilyIndex.build(families, loci=CODIS_20)
    return index, time.process_time() - cpu


def build(cases: list[SimulatedCase], workers: int) -> FamilyIndex:
    """The index of every family, built in chunks by `workers` processes and concatenated."""
    start = time.perf_counter()
    chunks = [[c.family for c in cases[i : i + BUILD_CHUNK]] for i in range(0, len(cases), BUILD_CHUNK)]
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
        built = list(pool.map(_build_chunk, chunks))
    cpu = sum(seconds for _, seconds in built)
    index = FamilyIndex.concatenate([part for part, _ in built])
    del built
    wall = time.perf_counter() - start
    print(
        f"index of {index.size} families built by {workers} processes in {wall:.1f} s wall, {cpu:.1f} s CPU "
        f"({cpu / index.size * 1000:.2f} ms CPU per family); index {index.total_nbytes / 1024**3:.3f} GiB float32; "
        f"peak RSS so far {_rss_gib():.2f} GiB; load {os.getloadavg()[0]:.2f}"
    )
    return index


@dataclass(frozen=True, slots=True)
class Shared:
    """What the national run's worker processes read (inherited by fork, never copied or written)."""

    index: FamilyIndex
    cases: list[SimulatedCase]
    remains: list[Profile]
    truth: list[int]
    top: int
    rescore: int
    rescore_above: float
    workers: int


_SHARED: Shared | None = None


@dataclass(frozen=True, slots=True)
class Tally:
    with_truth: int = 0
    identified: int = 0
    false_proposals: int = 0
    rescored: int = 0
    cpu: float = 0.0
    query_cpu: float = 0.0


def _search_slice(worker: int) -> Tally:
    """Every `workers`-th remains from `worker`: the index's top candidates, the likely ones rescored exactly."""
    shared = _SHARED
    assert shared is not None
    threshold = math.log10(proposal_threshold(shared.index.size))
    with_truth = identified = false_proposals = rescored = 0
    cpu = time.process_time()
    query_cpu = 0.0
    for position in range(worker, len(shared.remains), shared.workers):
        profile, true_family = shared.remains[position], shared.truth[position]
        started = time.process_time()
        candidates = shared.index.top(profile, k=shared.top)
        query_cpu += time.process_time() - started
        # The index's LR is within about 0.01 per locus of the exact one: only candidates that may
        # reach a decision (identification at 10⁴, proposal at the threshold) are worth rescoring.
        likely = [j for j, lr in candidates[: shared.rescore] if lr >= shared.rescore_above]
        exact = {j: kinship_lr(profile, shared.cases[j].family).log10_lr for j in likely}
        rescored += len(exact)
        scored = sorted(((exact.get(j, lr), j) for j, lr in candidates), reverse=True)
        best_lr, best = scored[0]
        if true_family >= 0:
            with_truth += 1
            identified += best == true_family and best_lr >= 4
        false_proposals += any(lr >= threshold and j != true_family for lr, j in scored)
    return Tally(with_truth, identified, false_proposals, rescored, time.process_time() - cpu, query_cpu)


def national_run(shared: Shared) -> None:
    """Every remains against every family, in `workers` forked processes sharing the index."""
    global _SHARED
    _SHARED = shared
    start = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(shared.workers) as pool:
        tallies = pool.map(_search_slice, range(shared.workers))
    wall = time.perf_counter() - start
    _SHARED = None
    total = Tally(*(sum(getattr(t, f) for t in tallies) for f in Tally.__slots__))
    n = len(shared.remains)
    print(
        f"national run: {n} remains × {shared.index.size} families by {shared.workers} processes, top {shared.top} "
        f"from the index, candidates with index log10 LR ≥ {shared.rescore_above} among the best {shared.rescore} "
        f"rescored exactly ({total.rescored} rescored): {wall:.1f} s wall ({wall / 60:.2f} min), {total.cpu:.1f} s CPU "
        f"(index queries {total.query_cpu:.1f} s CPU, {total.query_cpu / n * 1000:.2f} ms per remains); "
        f"load at the end {os.getloadavg()[0]:.2f}"
    )
    print(
        f"remains of a missing person identified (rank 1, LR ≥ 10⁴): {total.identified} of {total.with_truth} "
        f"({total.identified / max(total.with_truth, 1):.4f}); remains with a false candidate at the proposal "
        f"threshold (LR ≥ {proposal_threshold(shared.index.size):.3g}): {total.false_proposals}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--families", type=int, default=60_000)
    parser.add_argument("--remains", type=int, default=20_000)
    parser.add_argument("--found", type=float, default=0.75, help="share of remains that are a family's missing person")
    parser.add_argument("--degraded", type=float, default=0.25, help="share of remains degraded")
    parser.add_argument("--top", type=int, default=10)
    parser.add_argument("--rescore", type=int, default=3, help="at most this many candidates rescored exactly")
    parser.add_argument("--rescore-above", type=float, default=3.0, help="only those with index log10 LR above")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=14)
    args = parser.parse_args()
    print(machine())
    rng = np.random.default_rng(args.seed)
    start = time.perf_counter()
    cases, _configurations = simulate(rng, args.families)
    remains, truth = remains_profiles(rng, cases, args.remains, args.found, args.degraded)
    print(f"simulated {len(cases)} families and {len(remains)} remains in {time.perf_counter() - start:.1f} s")
    index = build(cases, args.workers)
    national_run(Shared(index, cases, remains, truth, args.top, args.rescore, args.rescore_above, args.workers))
    print(f"peak RSS of the main process {_rss_gib():.2f} GiB (the index is shared with the workers by fork)")


if __name__ == "__main__":
    main()
