"""Matching measured against the ground truth of seed/ on a small registry (a few seconds).

The thresholds sit a little below the full-scale targets (precision 0.98, recall 0.97, blocking
recall 0.995 at 82,000 reports; see docs/matching.md for the measured numbers), so that a
change that hurts quality fails here long before anyone runs the benchmark.
"""

from __future__ import annotations

from datetime import date
from functools import cache

from matching import MatchIndex, MatchRecord
from seed.config import SeedConfig
from seed.generator import generate_remains, generate_reports, generate_truth

REPORTS = 3_000
SEED = 3


def _text(value: str) -> str | None:
    return value or None


def _int(value: str) -> int | None:
    return int(value) if value else None


def _date(value: str) -> date | None:
    return date.fromisoformat(value) if value else None


def _record(row: dict[str, str], kind: str) -> MatchRecord:
    key = f"{row['source']}|{row['folio']}"
    names = {
        "given_names": _text(row["given_names"]),
        "first_surname": _text(row["first_surname"]),
        "second_surname": _text(row["second_surname"]),
    }
    if kind == "report":
        return MatchRecord(
            key=key,
            kind="report",
            aliases=tuple(a.strip() for a in row["aliases"].split(";") if a.strip()),
            sex=row["sex"],  # type: ignore[arg-type]
            date_of_birth=_date(row["date_of_birth"]),
            age_years=_int(row["age_years"]),
            curp=_text(row["curp"]),
            event_date=_date(row["last_seen_date"]),
            state=row["last_seen_state"],
            municipality=_text(row["last_seen_municipality"]),
            height_cm=_int(row["height_cm"]),
            marks=_text(row["distinguishing_marks"]),
            **names,
        )
    return MatchRecord(
        key=key,
        kind="remains",
        sex=row["sex"],  # type: ignore[arg-type]
        age_min=_int(row["age_min"]),
        age_max=_int(row["age_max"]),
        event_date=_date(row["found_date"]),
        state=row["found_state"],
        municipality=_text(row["found_municipality"]),
        height_min_cm=_int(row["height_min_cm"]),
        height_max_cm=_int(row["height_max_cm"]),
        marks=_text(row["distinguishing_marks"]),
        condition=_text(row["condition"]),
        **names,
    )


@cache
def _registry(seed: int) -> tuple[MatchIndex, set[frozenset[str]], dict[str, set[str]]]:
    config = SeedConfig(reports=REPORTS, seed=seed)
    index = MatchIndex()
    index.add_many(_record(row, "report") for row in generate_reports(config))
    index.add_many(_record(row, "remains") for row in generate_remains(config))
    index.estimate_parameters(seed=seed)
    truth = generate_truth(config)
    pairs = {frozenset((f"{a}|{b}", f"{c}|{d}")) for a, b, c, d in truth.duplicate_pairs}
    links: dict[str, set[str]] = {}
    for a, b, c, d in truth.remains_links:
        links.setdefault(f"{a}|{b}", set()).add(f"{c}|{d}")
    return index, pairs, links


def test_dedupe_at_the_default_threshold_finds_the_duplicates_and_little_else() -> None:
    index, truth, _ = _registry(SEED)
    found = [frozenset((p.key_a, p.key_b)) for p in index.dedupe()]
    assert len(found) == len(set(found))
    hits = len(set(found) & truth)
    assert hits / len(found) >= 0.97  # precision
    assert hits / len(truth) >= 0.95  # recall


def test_blocking_proposes_nearly_every_true_pair_once() -> None:
    index, truth, _ = _registry(SEED)
    blocked = [frozenset(p) for p in index.blocked_pairs()]
    assert len(blocked) == len(set(blocked))
    assert all(not index.get(k).is_remains for p in blocked[:500] for k in p)  # type: ignore[union-attr]
    assert len(set(blocked) & truth) / len(truth) >= 0.99
    assert len(blocked) < REPORTS * 5


def test_link_ranks_a_true_report_in_the_top_ten() -> None:
    index, _, links = _registry(SEED)
    ranked = dict(index.link(top_k=10))
    hits = sum(bool(expected & {c.key for c in ranked[key]}) for key, expected in links.items())
    assert hits / len(links) >= LINK_RECALL_AT_10


def test_a_query_for_a_new_record_finds_its_duplicate_without_indexing_it() -> None:
    index, truth, _ = _registry(SEED)
    a, b = sorted(next(iter(sorted(truth, key=sorted))))
    stored = index.get(b)
    assert stored is not None
    size = len(index)
    query = MatchRecord(**{**{f: getattr(stored.record, f) for f in MatchRecord.__dataclass_fields__}, "key": "new"})
    found = index.candidates_for(query, top=10)
    assert a in {c.key for c in found}
    assert len(index) == size
    assert "new" not in index


# Measured 0.71 at 20,000 reports and 0.60 at 82,000 (see docs/matching.md): remains
# without a name or surviving marks, found years later, are told apart from the other persons of
# their state, sex and age only by place, dates, age and height, and the 0.97 is out of
# reach on this data. This guards what is reached.
LINK_RECALL_AT_10 = 0.75
