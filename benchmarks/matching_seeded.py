"""Quality and speed of matching on seed/ data, measured against its ground truth.

Run: .venv/bin/python benchmarks/matching_seeded.py --reports 82000 --seed 1 [--remains N]
     [--profile default|harsh|sparse|remains] [--train-seed 2]
Generated rows and truth are cached as a pickle under /tmp/matching_seed (never in the repo).
With --train-seed, parameters are estimated on the data of that seed and measured on --seed's.
"""

from __future__ import annotations

import argparse
import gc
import os
import pickle
import resource
import statistics
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import numpy as np

from matching import MatchCandidate, MatchIndex, MatchParameters, MatchRecord
from seed.config import SeedConfig
from seed.generator import generate_remains, generate_reports, generate_truth

CACHE = Path(os.environ.get("MATCHING_SEED_CACHE", "/tmp/matching_seed"))


@dataclass(frozen=True)
class Dataset:
    reports: list[dict[str, str]]
    remains: list[dict[str, str]]
    duplicate_pairs: list[tuple[str, str, str, str]]
    remains_links: list[tuple[str, str, str, str]]


def load(reports: int, remains: int | None, seed: int, profile: str = "default") -> Dataset:
    """The seed rows and truth for a configuration, generated once and cached."""
    config = SeedConfig(reports=reports, remains=remains, seed=seed, profile=profile)
    # Plain lists are pickled, not the Dataset class: run as a script, its module is __main__,
    # and another benchmark could not read the cache back.
    suffix = "" if profile == "default" else f"_{profile}"
    path = CACHE / f"seed_{reports}_{config.remains_count}_{seed}{suffix}.lists.pkl"
    if path.exists():
        with path.open("rb") as f:
            return Dataset(*pickle.load(f))
    started = time.perf_counter()
    truth = generate_truth(config)
    data = Dataset(
        list(generate_reports(config)),
        list(generate_remains(config)),
        list(truth.duplicate_pairs),
        list(truth.remains_links),
    )
    CACHE.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as f:
        pickle.dump((data.reports, data.remains, data.duplicate_pairs, data.remains_links), f, pickle.HIGHEST_PROTOCOL)
    print(f"generated {reports} reports, {len(data.remains)} remains in {time.perf_counter() - started:.0f}s")
    return data


def _text(value: str) -> str | None:
    return value or None


def _int(value: str) -> int | None:
    return int(value) if value else None


def _date(value: str) -> date | None:
    return date.fromisoformat(value) if value else None


def to_record(row: dict[str, str], kind: str) -> MatchRecord:
    """The MatchRecord the registry builds from an interchange row (key = source|folio)."""
    common = {
        "key": f"{row['source']}|{row['folio']}",
        "source": row["source"],
        "folio": row["folio"],
        "given_names": _text(row.get("given_names", "")),
        "first_surname": _text(row.get("first_surname", "")),
        "second_surname": _text(row.get("second_surname", "")),
        "sex": row["sex"] or "unknown",
        "marks": _text(row.get("distinguishing_marks", "")),
    }
    if kind == "report":
        return MatchRecord(
            kind="report",
            aliases=tuple(a.strip() for a in row["aliases"].split(";") if a.strip()),
            date_of_birth=_date(row["date_of_birth"]),
            age_years=_int(row["age_years"]),
            curp=_text(row["curp"]),
            event_date=_date(row["last_seen_date"]),
            state=_text(row["last_seen_state"]),
            municipality=_text(row["last_seen_municipality"]),
            height_cm=_int(row["height_cm"]),
            **common,  # type: ignore[arg-type]
        )
    return MatchRecord(
        kind="remains",
        age_min=_int(row["age_min"]),
        age_max=_int(row["age_max"]),
        event_date=_date(row["found_date"]),
        state=_text(row["found_state"]),
        municipality=_text(row["found_municipality"]),
        height_min_cm=_int(row["height_min_cm"]),
        height_max_cm=_int(row["height_max_cm"]),
        condition=_text(row.get("condition", "")),
        **common,  # type: ignore[arg-type]
    )


class Clock:
    """Wall and CPU time of one step."""

    def __init__(self) -> None:
        self.wall, self.cpu = time.perf_counter(), time.process_time()

    def lap(self) -> tuple[float, float]:
        """Seconds since the last lap (wall, CPU), restarting the clock."""
        wall, cpu = time.perf_counter(), time.process_time()
        result = (wall - self.wall, cpu - self.cpu)
        self.wall, self.cpu = wall, cpu
        return result


def _drain(rows: list[dict[str, str]]) -> Iterator[dict[str, str]]:
    """The rows in order, each released from the list as it is yielded."""
    rows.reverse()
    while rows:
        yield rows.pop()


def _rss() -> float:
    """Current resident memory in MiB (Linux)."""
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def _fmt(t: tuple[float, float]) -> str:
    return f"{t[0]:.2f}s wall / {t[1]:.2f}s CPU"


def _key(t: tuple[str, str]) -> str:
    return f"{t[0]}|{t[1]}"


def _trained(args: argparse.Namespace) -> MatchParameters | None:
    """Parameters estimated on the data of --train-seed (None: estimate on the measured data)."""
    if args.train_seed is None:
        return None
    data = load(args.reports, args.remains, args.train_seed, args.profile)
    index = MatchIndex()
    index.add_many(to_record(r, "report") for r in data.reports)
    if not args.no_remains:
        index.add_many(to_record(r, "remains") for r in data.remains)
    params = index.estimate_parameters(seed=args.train_seed)
    print(f"parameters estimated on seed {args.train_seed} ({args.profile}): {params.fingerprint}")
    return params


def run(args: argparse.Namespace) -> None:
    trained = _trained(args)
    gc.collect()
    data = load(args.reports, args.remains, args.seed, args.profile)
    # Rows are dropped as they are converted, so that memory holds what the registry would.
    reports = [to_record(r, "report") for r in _drain(data.reports)]
    remains = [] if args.no_remains else [to_record(r, "remains") for r in _drain(data.remains)]
    truth = {frozenset((_key(p[:2]), _key(p[2:]))) for p in data.duplicate_pairs}
    links: dict[str, set[str]] = {}
    for p in data.remains_links:
        links.setdefault(_key(p[:2]), set()).add(_key(p[2:]))
    del data
    gc.collect()
    print(
        f"{len(reports)} reports, {len(remains)} remains, {len(truth)} true duplicate pairs, "
        f"{len(links)} remains with a report; load {os.getloadavg()[0]:.2f}"
    )

    before = _rss()
    clock = Clock()
    index = MatchIndex(trained)
    index.add_many(reports)
    index.add_many(remains)
    build = clock.lap()
    print(f"RSS with the MatchRecords {before:.0f} MiB, after the index build {_rss():.0f} MiB")
    params = index.estimate_parameters(seed=args.seed) if trained is None else trained
    estimate = clock.lap()
    found = {frozenset((p.key_a, p.key_b)) for p in index.dedupe()}
    dedupe = clock.lap()
    print(
        f"index build {_fmt(build)}; estimation {_fmt(estimate)}; dedupe {_fmt(dedupe)}; "
        f"total {build[0] + estimate[0] + dedupe[0]:.2f}s wall / {build[1] + estimate[1] + dedupe[1]:.2f}s CPU"
    )
    matching_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS through build, estimation and dedupe {matching_rss:.0f} MiB (before this benchmark's own sets)")
    tp = len(found & truth)
    precision, recall = tp / max(len(found), 1), tp / max(len(truth), 1)
    f1 = 2 * precision * recall / max(precision + recall, 1e-9)
    blocked = {frozenset(p) for p in index.blocked_pairs()}
    counts = index.blocking_counts()
    clock.lap()
    print(f"blocking: {counts.summary()}")
    print(
        f"threshold {params.threshold}: {len(found)} pairs, precision {precision:.4f} recall {recall:.4f} "
        f"F1 {f1:.4f}; blocked pairs {len(blocked)}, blocking recall {len(blocked & truth) / max(len(truth), 1):.4f}"
    )
    if args.misses:
        _show_misses(index, found, truth, args.misses)

    if links and remains:
        at1 = at10 = 0
        if args.link_sample:  # a sample of the remains that have a report, one query each
            chosen = sorted(links)[:: max(1, len(links) // args.link_sample)]
            results: Iterator[tuple[str, list[MatchCandidate]]] = (
                (key, index.candidates_for(key, top=10, with_explanations=False)) for key in chosen
            )
            total = len(chosen)
        else:
            results, total = index.link(top_k=10), len(links)
        for remains_key, candidates in results:
            expected = links.get(remains_key)
            if expected:
                keys = [c.key for c in candidates]
                at1 += bool(keys[:1] and keys[0] in expected)
                at10 += bool(expected & set(keys))
        print(
            f"link ({total} remains with a report) {_fmt(clock.lap())}: "
            f"recall@1 {at1 / total:.4f} recall@10 {at10 / total:.4f}"
        )

    rng = np.random.default_rng(args.seed)
    pool = reports + remains
    times: dict[str, list[float]] = {"report": [], "remains": []}
    cpu: dict[str, list[float]] = {"report": [], "remains": []}
    for i in rng.choice(len(pool), min(args.queries, len(pool)), replace=False):
        query = replace(pool[int(i)], key=f"new-{i}")  # a new record: not in the index
        t, c = time.perf_counter(), time.process_time()
        index.candidates_for(query, top=10)
        times[query.kind].append(time.perf_counter() - t)
        cpu[query.kind].append(time.process_time() - c)
    for name in ("all", "report", "remains"):
        wall = sorted(times["report"] + times["remains"]) if name == "all" else sorted(times[name])
        used = sorted(cpu["report"] + cpu["remains"]) if name == "all" else sorted(cpu[name])
        if wall:
            print(
                f"query {name} ({len(wall)}): p50 {statistics.median(wall) * 1000:.1f} ms "
                f"p95 {wall[int(len(wall) * 0.95)] * 1000:.1f} ms wall; p50 {statistics.median(used) * 1000:.1f} ms "
                f"p95 {used[int(len(used) * 0.95)] * 1000:.1f} ms CPU"
            )
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS {rss:.0f} MiB; load {os.getloadavg()[0]:.2f}")


def _show_misses(index: MatchIndex, found: set[frozenset[str]], truth: set[frozenset[str]], n: int) -> None:
    for title, pairs in (("false negatives", truth - found), ("false positives", found - truth)):
        print(f"-- {title}")
        for pair in sorted(tuple(sorted(p)) for p in pairs)[:n]:
            a, b = pair
            pa, pb = index.get(a), index.get(b)
            assert pa is not None
            assert pb is not None
            for p in (pa, pb):
                r = p.record
                print(
                    f"   {r.given_names} | {r.first_surname} | {r.second_surname} | {r.sex} | {r.date_of_birth} "
                    f"| {r.age_years} | {r.curp} | {r.event_date} | {r.state} | {r.municipality} | {r.height_cm} "
                    f"| {r.marks} | {r.aliases}"
                )
            print("   ", index.explain(a, b).summary(), f"p={index.explain(a, b).probability:.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reports", type=int, default=20_000)
    parser.add_argument("--remains", type=int, default=None)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--profile", default="default", help="seed noise profile (docs/seed.md)")
    parser.add_argument("--train-seed", type=int, default=None, help="estimate parameters on this seed's data")
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--no-remains", action="store_true")
    parser.add_argument("--link-sample", type=int, default=0, help="measure link recall on this many remains only")
    parser.add_argument("--misses", type=int, default=0, help="print this many false negatives/positives")
    run(parser.parse_args())


if __name__ == "__main__":
    main()
