"""How close remains-to-report linking is to the best possible, on seed/ data.

For remains with no name and no observed mark (most of them), the generator's own probability
model (seed.likelihood) ranks every reported person by how likely they are to have left these
remains. Ranked by the persons' TRUE attributes, this is an upper bound on recall@k for any
matcher; ranked by what the reports say, it estimates the best a matcher can do with the
reports. The registry's own recall on the same remains is printed beside both.

Run: .venv/bin/python benchmarks/link_bound.py --reports 82000 --seed 1 [--sample 3000] [--no-registry]
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Mapping, Sequence
from datetime import date

from benchmarks.matching_seeded import Dataset, _key, load, to_record
from matching import MatchIndex
from seed.config import SeedConfig
from seed.generator import generate_remains_records, iter_planned
from seed.likelihood import (
    Candidates,
    candidates_from_persons,
    candidates_from_reports,
    chance_in_top,
    is_anonymous,
    log_likelihood,
)
from seed.persons import Namesakes, draw_person

TOPS = (1, 10, 50)


Scored = Sequence[tuple[dict[str, str], list[int]]]  # remains rows with the positions of their true candidates


def _recall(remains: Scored, candidates: Candidates, today: date) -> dict[int, float]:
    """Chance that the true candidate is in the top k, averaged over (remains row, true candidates)."""
    found = dict.fromkeys(TOPS, 0.0)
    for row, truth in remains:
        log_p = log_likelihood(row, candidates, today)
        for k in TOPS:
            found[k] += chance_in_top(log_p, truth, k)
    return {k: v / len(remains) for k, v in found.items()}


def _registry_recall(data: Dataset, keys: Mapping[str, Sequence[str]], seed: int) -> dict[str, tuple[float, float]]:
    """recall@1 and @10 of the registry's ranking, for each group of remains keys."""
    index = MatchIndex()
    index.add_many([to_record(r, "report") for r in data.reports])
    index.add_many([to_record(r, "remains") for r in data.remains])
    index.estimate_parameters(seed=seed)
    links: dict[str, set[str]] = {}
    for p in data.remains_links:
        links.setdefault(_key(p[:2]), set()).add(_key(p[2:]))
    result: dict[str, tuple[float, float]] = {}
    for group, chosen in keys.items():
        at1 = at10 = 0
        for key in chosen:
            best = [c.key for c in index.candidates_for(key, top=10, with_explanations=False)]
            at1 += bool(best[:1] and best[0] in links[key])
            at10 += bool(links[key] & set(best))
        result[group] = (at1 / len(chosen), at10 / len(chosen))
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reports", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--sample", type=int, default=3000, help="anonymous remains scored (evenly spaced)")
    parser.add_argument("--no-registry", action="store_true", help="skip the registry's own ranking")
    parser.add_argument(
        "--profile", default="default", help="seed noise profile (the bound models the default remains)"
    )
    args = parser.parse_args()
    started = time.perf_counter()
    config = SeedConfig(reports=args.reports, seed=args.seed, profile=args.profile)
    data = load(args.reports, None, args.seed, args.profile)

    namesakes = Namesakes(config.seed)
    persons = [draw_person(planned.plan, namesakes) for planned in iter_planned(config)]
    person_at = {p.plan.person_id: i for i, p in enumerate(persons)}
    report_at = {(r["source"], r["folio"]): i for i, r in enumerate(data.reports)}
    linked = [r for r in generate_remains_records(config) if r.links]
    anonymous = [r for r in linked if is_anonymous(r.row)]
    chosen = anonymous[:: max(1, len(anonymous) // args.sample)]
    share = len(anonymous) / len(linked)
    print(
        f"{len(data.reports)} reports of {len(persons)} persons; {len(linked)} remains of reported persons, "
        f"{len(anonymous)} ({share:.1%}) with no name and no mark; {len(chosen)} of these scored"
    )

    truth_bound = _recall(
        [(r.row, [person_at[r.person_id]]) for r in chosen], candidates_from_persons(persons), config.today
    )
    del persons
    from_reports = _recall(
        [(r.row, [report_at[k] for k in r.links]) for r in chosen], candidates_from_reports(data.reports), config.today
    )
    for title, recall in (("persons as they are (upper bound)", truth_bound), ("reports as written", from_reports)):
        print(f"generator's model, {title}: " + ", ".join(f"recall@{k} {v:.4f}" for k, v in recall.items()))
    print(
        f"upper bound on recall@10 over all {len(linked)} remains, counting every named or marked one "
        f"as found: {(1 - share) + share * truth_bound[10]:.4f}"
    )

    if not args.no_registry:
        others = [r for r in linked if not is_anonymous(r.row)]
        groups = {
            "no name, no mark": [_key((r.row["source"], r.row["folio"])) for r in chosen],
            "named or marked": [_key((r.row["source"], r.row["folio"])) for r in others],
        }
        for group, (at1, at10) in _registry_recall(data, groups, args.seed).items():
            print(f"registry, {group} ({len(groups[group])}): recall@1 {at1:.4f}, recall@10 {at10:.4f}")
    print(f"{time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
