"""Quality and speed of matching on the synthetic people of tests/matching (not seed/).

Run: .venv/bin/python benchmarks/matching_quality.py [n_people]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "matching"))

from synthetic_people import dataset

from matching.index import MatchIndex


def main(n_people: int) -> None:
    records, dupes, links = dataset(n_people, seed=7)
    reports = sum(r.kind == "report" for r in records)
    print(f"{len(records)} records ({reports} reports), {len(dupes)} duplicate pairs, {len(links)} remains")
    started = time.perf_counter()
    index = MatchIndex()
    index.add_many(records)
    built = time.perf_counter()
    a, b = index.candidate_pairs()
    slot = {r.key: index._slot_of[r.key] for r in records}
    pairs = set(zip(a.tolist(), b.tolist(), strict=True))
    truth = {(min(slot[x], slot[y]), max(slot[x], slot[y])) for x, y in dupes}
    params = index.estimate_parameters()
    estimated = time.perf_counter()
    found = {(min(slot[p.key_a], slot[p.key_b]), max(slot[p.key_a], slot[p.key_b])) for p in index.dedupe()}
    done = time.perf_counter()
    tp = len(found & truth)
    print(f"build {built - started:.1f}s, estimate {estimated - built:.1f}s, dedupe {done - estimated:.1f}s")
    print(f"candidate pairs {len(pairs)}, blocking recall {len(pairs & truth) / len(truth):.4f}")
    print(f"precision {tp / max(len(found), 1):.4f} recall {tp / len(truth):.4f} (threshold {params.threshold})")
    hits, times = 0, []
    for remains_key, report_key in links[:1000]:
        t = time.perf_counter()
        top = index.candidates_for(remains_key, top=10)
        times.append(time.perf_counter() - t)
        hits += any(c.key == report_key for c in top)
    times.sort()
    print(f"remains top-10 recall {hits / min(len(links), 1000):.4f}; query p50 {times[len(times) // 2] * 1000:.1f} ms")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20_000)
