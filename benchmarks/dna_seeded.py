"""DNA identification on the seeded registry, by reference configuration, without a database.

python -m benchmarks.dna_seeded --reports 20000 [--seed 0] [--out DIR]

1. Writes the seed's DNA files (`registry seed --dna`: dna_samples.csv, dna_genotypes.csv) and
   its truth (dna_links.csv, dna_references.csv, links.csv) into `--out` (a temporary directory
   by default).
2. Reads the two files back as a laboratory would hand them over (`markers.build_profile`), one
   family per missing person (the references attached to one report), builds the
   `FamilyIndex`, ranks every remains sample against every family (top 10), rescores the best 3
   exactly (`kinship_lr`) and writes `dna_search.csv` in `registry dna search`'s columns
   (shared/spec/dna.md): this is what the registry's search does, minus the database.
3. Scores it with `seed.dna_evaluation` (what `registry evaluate --dna-candidates` prints).
"""

from __future__ import annotations

import argparse
import csv
import math
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

from benchmarks.common import machine
from matching.dna.decisions import posterior_probability, prior_probability
from matching.dna.index import FamilyIndex
from matching.dna.markers import Profile, build_profile
from matching.dna.pedigree import Family, Reference, Relationship, kinship_lr, references_label
from seed.config import SeedConfig
from seed.dna_evaluation import read_dna_search, read_dna_truth, score_dna
from seed.evaluation import read_truth
from seed.files import DNA_GENOTYPES_FILE, DNA_SAMPLES_FILE, write_dna, write_dna_truth, write_truth

SEARCH_COLUMNS = (
    "remains_source", "remains_folio", "missing_source", "missing_folio", "log10_lr", "posterior", "rank",
    "references", "loci_compared",
)  # fmt: skip
RecordKey = tuple[str, str]


def read_samples(directory: Path) -> tuple[dict[RecordKey, Profile], dict[RecordKey, Family]]:
    """Remains profiles by remains record, and each missing person's family by the report they are attached to."""
    rows: dict[tuple[str, str], list[tuple[str, str, str]]] = defaultdict(list)
    with (directory / DNA_GENOTYPES_FILE).open(newline="", encoding="utf-8") as handle:
        for r in csv.DictReader(handle):
            rows[(r["lab"], r["sample_id"])].append((r["marker"], r["allele_1"], r["allele_2"]))
    remains: dict[RecordKey, Profile] = {}
    references: dict[RecordKey, list[Reference]] = defaultdict(list)
    with (directory / DNA_SAMPLES_FILE).open(newline="", encoding="utf-8") as handle:
        for s in csv.DictReader(handle):
            profile = build_profile(rows[(s["lab"], s["sample_id"])], degraded=s["degraded"] == "true")
            record = (s["record_source"], s["record_folio"])
            if s["kind"] == "remains":
                remains[record] = profile
            else:
                relationship = Relationship.DIRECT if s["kind"] == "direct" else Relationship(s["relationship"])
                references[record].append(Reference(relationship, profile, s["donor_id"], s["child_donor_id"] or None))
    return remains, {record: Family(tuple(refs)) for record, refs in references.items()}


def search(
    remains: dict[RecordKey, Profile], families: dict[RecordKey, Family], top: int, rescore: int
) -> Iterator[list[object]]:
    """`registry dna search`'s rows: each remains' candidates, the best `rescore` by their exact LR."""
    keys = list(families)
    index = FamilyIndex.build([families[k] for k in keys])
    prior = prior_probability(len(keys))
    for record, profile in remains.items():
        ranked = index.top(profile, k=top)
        exact = [(kinship_lr(profile, families[keys[j]]), j) for j, _ in ranked[:rescore]]
        scored = [(r.log10_lr, j, r) for r, j in exact] + [(lr, j, None) for j, lr in ranked[rescore:]]
        scored.sort(key=lambda item: -item[0])
        for rank, (log10_lr, j, result) in enumerate(scored, start=1):
            if log10_lr < 0:
                break
            family = families[keys[j]]
            loci = len(result.loci) if result else ""
            yield [
                *record, *keys[j], f"{log10_lr:.4f}", f"{posterior_probability(log10_lr, prior):.6g}", rank,
                references_label(family.references_used()), loci,
            ]  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reports", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--top", type=int, default=10)
    parser.add_argument("--rescore", type=int, default=3)
    args = parser.parse_args()
    print(machine())
    with tempfile.TemporaryDirectory() as tmp:
        out = args.out or Path(tmp)
        config = SeedConfig(reports=args.reports, seed=args.seed)
        start = time.perf_counter()
        files = write_dna(config, out)
        print(
            f"seed --dna: {files.sample_rows} samples, {files.genotype_rows} genotypes for {args.reports} reports "
            f"in {time.perf_counter() - start:.1f} s"
        )
        start = time.perf_counter()
        write_dna_truth(config, out)
        write_truth(config, out)
        print(f"truth written in {time.perf_counter() - start:.1f} s")
        start = time.perf_counter()
        remains, families = read_samples(out)
        with (out / "dna_search.csv").open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(SEARCH_COLUMNS)
            writer.writerows(search(remains, families, args.top, args.rescore))
        print(
            f"search: {len(remains)} remains samples × {len(families)} missing persons with references "
            f"in {time.perf_counter() - start:.1f} s (index built, top {args.top}, best {args.rescore} rescored)"
        )
        scores = score_dna(read_dna_search(out / "dna_search.csv"), read_dna_truth(out), read_truth(out).links)
        print(f"{'references':<24} {'remains':>8} {'identified':>11} {'rate':>7} {'sibling ranked first':>21}")
        for row in scores.by_configuration:
            print(
                f"{row.configuration.value:<24} {row.remains:>8} {row.identified:>11} {row.rate:>7.4f} "
                f"{row.sibling_first:>21}"
            )
        print(
            f"false proposals at LR ≥ {scores.threshold:.3g} ({scores.candidates} candidates): "
            f"{scores.false_proposals} in {scores.comparisons} comparisons ({scores.false_per_million:.3f} per 10⁶, "
            f"bound {scores.expected_per_million:.3g}), {scores.false_sibling_proposals} of them a missing sibling; "
            f"false candidates with LR ≥ 10⁴: {scores.false_at_identification}"
        )
        if not math.isfinite(scores.threshold):
            raise SystemExit("no candidates")


if __name__ == "__main__":
    main()
