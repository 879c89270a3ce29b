"""`MatchIndex`: records in memory, blocked and scored on demand.

Records are added, replaced or removed by key. `candidates_for` ranks the records worth a
clerk's look for one record; `dedupe` yields every likely duplicate pair of reports once;
`link` yields, for each set of remains, its ranked report candidates. `estimate_parameters`
learns the model from the indexed records themselves.

The index holds each `MatchRecord`, its comparable values as numpy columns (`columns`) and its
blocking keys as sorted hashed rows (`blocks`); a `PreparedRecord` is rebuilt on demand.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt

from matching.batch import LogFrequencies, compare_pairs
from matching.blocking import COARSE_CAP, MARKS_CAP, REFINED_CAP, identity_key_parts, mark_key_parts
from matching.blocks import FAMILIES, MARKS, OTHER, BlockTable
from matching.columns import NEIGHBOUR_MATRIX, STATE_INDEX, RecordColumns, Vocabulary, value_counts
from matching.compare_facts import FOUND_BEFORE_TOLERANCE_DAYS
from matching.estimation import term_frequencies_from_counts
from matching.levels import COMPARISON_NAMES, PlaceLevel
from matching.municipalities import log_shares, shares_of
from matching.parameters import MatchParameters, default_parameters
from matching.records import Kind, MatchRecord, PreparedRecord
from matching.scoring import Explanation, WeightTable, explain
from matching.training import estimate_dedupe, estimate_link

Slots = npt.NDArray[np.intp]
Levels = npt.NDArray[np.int8]
Floats = npt.NDArray[np.float64]
_PLACE = COMPARISON_NAMES.index("place")
CHUNK = 200_000
BATCH = 20_000
# Above this many candidate slots, their union is taken with a mask over all slots, not a sort.
UNION_BY_MASK = 4_096
# Below these counts the built-in parameters are kept: EM needs enough pairs to separate.
MIN_RECORDS_TO_ESTIMATE = 200
MIN_REMAINS_TO_ESTIMATE = 100
# How many years outside its estimated birth years a record may still be linked.
LINK_AGE_SLACK = 4


@dataclass(frozen=True, slots=True)
class BlockingCounts:
    """Report pairs compared for dedupe, and pairs the block caps set aside (never compared)."""

    compared: int
    set_aside: int
    exact: bool  # False: `set_aside` is the number of pairs in the blocks over the caps (an upper bound)

    def summary(self) -> str:
        """The counts in words, e.g. "118,204 pairs compared; 0 set aside by block caps"."""
        bound = "" if self.exact else "at most "
        return f"{self.compared:,} pairs compared; {bound}{self.set_aside:,} set aside by block caps"


@dataclass(frozen=True, slots=True)
class MatchCandidate:
    """A record worth comparing with the one asked about, with its score and why."""

    key: str
    kind: Kind
    probability: float
    match_weight: float
    explanation: Explanation | None = None


@dataclass(frozen=True, slots=True)
class ScoredPair:
    """Two records, the probability that they describe the same person, and why."""

    key_a: str
    key_b: str
    probability: float
    match_weight: float
    explanation: Explanation | None = None


@dataclass(frozen=True, slots=True)
class _Scored:
    a: Slots
    b: Slots
    levels: npt.NDArray[np.int8]
    weights: npt.NDArray[np.float64]
    total: npt.NDArray[np.float64]
    probability: npt.NDArray[np.float64]
    conditions: npt.NDArray[np.int8] | None = None  # condition code of the remains, for links


class MatchIndex:
    """An in-memory index of records that blocks, scores and explains candidate pairs."""

    def __init__(self, parameters: MatchParameters | None = None) -> None:
        self.vocabulary = Vocabulary()
        self.columns = RecordColumns(self.vocabulary)
        self._slot_of: dict[str, int] = {}
        self._records: list[MatchRecord | None] = []
        self._blocks: dict[str, BlockTable] = {"report": BlockTable(), "remains": BlockTable()}
        self._version = 0
        self._pair_cache: tuple[int, Slots, Slots, npt.NDArray[np.uint8]] | None = None
        self._level_cache: tuple[int, LogFrequencies, Levels, npt.NDArray[np.float32]] | None = None
        self._state_cache: tuple[int, dict[str, dict[int, Slots]]] | None = None
        self.set_parameters(parameters or default_parameters())

    # -- parameters ---------------------------------------------------------------------------

    @property
    def parameters(self) -> MatchParameters:
        """The parameters scores are computed with."""
        return self._parameters

    @property
    def frequencies(self) -> LogFrequencies:
        """The term frequencies scores currently use."""
        return self._frequencies

    def set_parameters(self, parameters: MatchParameters) -> None:
        """Score with these parameters from now on."""
        current = getattr(self, "_frequencies", None)
        same = current is not None and (current.tables, current.floors) == (
            parameters.term_frequencies,
            parameters.frequency_floors,
        )
        self._parameters = parameters
        if not same:  # new term frequencies: cached log frequencies (and pair levels) are stale
            self._frequencies = LogFrequencies(parameters.term_frequencies, parameters.frequency_floors)
        self._tables = {False: WeightTable(parameters.dedupe), True: WeightTable(parameters.link)}
        self._municipality_cache: dict[int, float] = {}  # (state, municipality) code -> log2 share

    # -- contents -----------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._slot_of)

    def __contains__(self, key: object) -> bool:
        return key in self._slot_of

    def get(self, key: str) -> PreparedRecord | None:
        """The prepared record stored under a key, if any."""
        slot = self._slot_of.get(key)
        if slot is None:
            return None
        record = self._records[slot]
        return None if record is None else PreparedRecord(record)

    def add(self, record: MatchRecord | PreparedRecord) -> None:
        """Index a record, replacing any record with the same key."""
        self.add_many([record])

    def add_many(self, records: Iterable[MatchRecord | PreparedRecord]) -> None:
        """Index many records (each replacing any record with the same key)."""
        batch: list[PreparedRecord] = []
        keys: set[str] = set()
        with _collector_paused():
            for record in records:
                p = record if isinstance(record, PreparedRecord) else PreparedRecord(record)
                if p.key in keys or len(batch) >= BATCH:
                    self._append(batch)
                    batch, keys = [], set()
                if p.key in self._slot_of:
                    self.remove(p.key)
                batch.append(p)
                keys.add(p.key)
            self._append(batch)

    def _append(self, batch: list[PreparedRecord]) -> None:
        if not batch:
            return
        first = self.columns.append_many(batch)
        rows: dict[str, list[int]] = {"report": [], "remains": []}
        for slot, p in enumerate(batch, start=first):
            self._slot_of[p.key] = slot
            self._records.append(p.record)
            _block_rows(p, slot, rows[p.record.kind])
        for kind, table in self._blocks.items():
            table.add_flat(rows[kind])
        self._version += 1

    def remove(self, key: str) -> bool:
        """Drop the record stored under a key; False if there was none."""
        slot = self._slot_of.pop(key, None)
        if slot is None:
            return False
        self._records[slot] = None
        self.columns.kill(slot)
        self._version += 1
        return True

    def records(self) -> Iterator[PreparedRecord]:
        """Every indexed record."""
        return (PreparedRecord(r) for r in self._records if r is not None)

    # -- scoring ------------------------------------------------------------------------------

    def pair_levels(self, a: Slots, b: Slots) -> tuple[Levels, Floats]:
        """Levels and log2 term frequencies of pairs of indexed slots, computed in chunks."""
        if len(a) == 0:
            return np.zeros((0, len(COMPARISON_NAMES)), dtype=np.int8), np.zeros((0, 3))
        parts = [
            compare_pairs(self.columns, a[s : s + CHUNK], self.columns, b[s : s + CHUNK], self._frequencies)
            for s in range(0, len(a), CHUNK)
        ]
        return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])

    def _score(self, left: RecordColumns, a: Slots, b: Slots, link: bool) -> _Scored:
        levels, log_tf = compare_pairs(left, a, self.columns, b, self._frequencies)
        if not link:
            return self._weigh(a, b, levels, log_tf, link)
        # One side of a link is a report, whose condition code is 0: the larger is the remains'.
        conditions = np.maximum(left["condition"][a], self.columns["condition"][b])
        same_municipality = levels[:, _PLACE] == PlaceLevel.SAME_MUNICIPALITY
        shares = self._parameters.link.municipality_shares
        log_share = log_shares(self.columns, b, same_municipality, shares, self._municipality_cache)
        return self._weigh(a, b, levels, log_tf, link, conditions, log_share)

    def _weigh(
        self, a: Slots, b: Slots, levels: Levels, log_tf: Floats, link: bool,
        conditions: Levels | None = None, place_log_share: Floats | None = None,
    ) -> _Scored:  # fmt: skip
        weights, total, probability = self._tables[link].score(levels, log_tf, conditions, place_log_share)
        return _Scored(a, b, levels, weights, total, probability, conditions)

    def _explanation(self, scored: _Scored, i: int) -> Explanation:
        condition = 0 if scored.conditions is None else int(scored.conditions[i])
        return explain(scored.levels[i], scored.weights[i], scored.total[i], scored.probability[i], condition)

    def _query_columns(self, p: PreparedRecord) -> tuple[RecordColumns, int]:
        slot = self._slot_of.get(p.key)
        if slot is not None and self._records[slot] is p.record:
            return self.columns, slot
        scratch = RecordColumns(self.vocabulary, capacity=1)
        return scratch, scratch.append(p)

    def _by_state(self, against: str) -> dict[int, Slots]:
        """Live slots of a kind per state index (-1: unknown), rebuilt when the index changes."""
        if self._state_cache is None or self._state_cache[0] != self._version:
            cols, n = self.columns, self.columns.size
            groups: dict[str, dict[int, Slots]] = {}
            for kind, code in (("report", 0), ("remains", 1)):
                slots = np.flatnonzero(cols["alive"][:n] & (cols["kind"][:n] == code))
                states = cols["state"][slots]
                order = np.argsort(states, kind="stable")
                slots, states = slots[order], states[order]
                bounds = np.flatnonzero(np.diff(states)) + 1
                groups[kind] = {
                    int(part_states[0]): part
                    for part, part_states in zip(np.split(slots, bounds), np.split(states, bounds), strict=True)
                    if len(part)
                }
            self._state_cache = (self._version, groups)
        return self._state_cache[1][against]

    def _link_scan(self, p: PreparedRecord, against: str) -> Slots:
        """Records of the other kind that could be the same person: sex, state or a neighbour, age, dates.

        A vectorised scan over the records of the state and its neighbours (no blocking keys):
        unknown sex, state or age on either side lets a record through, ages may be
        `LINK_AGE_SLACK` years off the estimate (half its width if more), and remains found more than a week before the
        person was last seen are left out.
        """
        cols, by_state = self.columns, self._by_state(against)
        if p.place is not None and p.place[0] in STATE_INDEX:
            home = STATE_INDEX[p.place[0]]
            states = [home, *np.flatnonzero(NEIGHBOUR_MATRIX[home]).tolist(), -1]
            parts = [by_state[s] for s in states if s in by_state]
            slots = np.concatenate(parts) if parts else np.zeros(0, dtype=np.intp)
        else:
            slots = np.concatenate(list(by_state.values())) if by_state else np.zeros(0, dtype=np.intp)
        keep = np.ones(len(slots), dtype=bool)
        if p.sex:
            sex = cols["sex"][slots]
            keep &= (sex == 0) | (sex == (1 if p.sex == "female" else 2))
        if p.birth_years is not None:
            lo, hi = p.birth_years
            present = cols["by_present"][slots]
            # A wide estimate misses by more: the slack grows to half the estimate's width.
            slack = max(LINK_AGE_SLACK, (hi - lo) // 2)
            overlap = (cols["by_lo"][slots] <= hi + slack) & (cols["by_hi"][slots] >= lo - slack)
            keep &= ~present | overlap
        if p.record.event_date is not None:
            day, events = p.record.event_date.toordinal(), cols["event"][slots]
            tolerance = FOUND_BEFORE_TOLERANCE_DAYS
            dated = cols["event_present"][slots]
            if p.is_remains:  # the person was last seen before (or a week after) the remains were found
                keep &= ~dated | (events <= day + tolerance)
            else:
                keep &= ~dated | (events >= day - tolerance)
        return np.asarray(slots[keep], dtype=np.intp)

    def _identity_found(self, p: PreparedRecord, against: str) -> list[Slots]:
        table = self._blocks[against]
        found: list[Slots] = []
        for coarse, refined in identity_key_parts(p):
            members = table.members(hash(coarse))
            if len(members) <= COARSE_CAP:
                found.append(members)
            elif refined is not None:
                narrower = table.members(hash(refined))
                if len(narrower) <= REFINED_CAP:
                    found.append(narrower)
        return found

    def identity_slots(self, slot: int, against: str) -> Slots:
        """Live records of a kind that share a name, birth date or CURP block with the record in a slot."""
        record = self._records[slot]
        if record is None:
            return np.zeros(0, dtype=np.intp)
        return self._live(self._identity_found(PreparedRecord(record), against), slot)

    def _live(self, found: list[Slots], own: int) -> Slots:
        found = [m for m in found if len(m)]
        if not found:
            return np.zeros(0, dtype=np.intp)
        if len(found) == 1:
            slots = found[0]
        elif sum(len(m) for m in found) > UNION_BY_MASK:
            # A large union (a remains query scans whole states): marking slots costs less than sorting.
            mask = np.zeros(self.columns.size, dtype=bool)
            for members in found:
                mask[members] = True
            slots = np.flatnonzero(mask)
        else:
            slots = np.unique(np.concatenate(found))
        return np.asarray(slots[self.columns["alive"][slots] & (slots != own)], dtype=np.intp)

    def _candidate_slots(self, p: PreparedRecord, against: str) -> Slots:
        found = self._identity_found(p, against)
        if against != p.record.kind:
            found.append(self._link_scan(p, against))
            table = self._blocks[against]
            for key in mark_key_parts(p):
                members = table.members(hash(key))
                if len(members) <= MARKS_CAP:
                    found.append(members)
        return self._live(found, self._slot_of.get(p.key, -1))

    def candidates_for(
        self,
        record: MatchRecord | PreparedRecord | str,
        *,
        top: int = 10,
        min_score: float = 0.0,
        against: Kind | None = None,
        with_explanations: bool = True,
        where: Callable[[MatchRecord], bool] | None = None,
    ) -> list[MatchCandidate]:
        """The best-scoring records for one record, best first.

        By default a report is compared with other reports (duplicates) and remains with
        reports (identification); pass `against="remains"` to look a report up among remains.
        `where` keeps only the candidates it accepts (a state, a status), before the best are taken.
        """
        p = self._resolve(record)
        target: str = against or "report"
        slots = self._candidate_slots(p, target)
        if where is not None and len(slots):
            records = self._records
            slots = slots[np.fromiter((where(records[s]) for s in slots), dtype=bool, count=len(slots))]
        if len(slots) == 0:
            return []
        left, own = self._query_columns(p)
        link = target != p.record.kind
        scored = self._score(left, np.full(len(slots), own, dtype=np.intp), slots, link)
        count = min(max(top, 0), len(slots))
        if count == 0:
            return []
        best = _top(scored.total, slots, count)
        order = best[np.lexsort((slots[best], -scored.total[best]))]
        result: list[MatchCandidate] = []
        for i in order:
            if scored.probability[i] < min_score or scored.probability[i] <= 0.0:
                break
            other = self._records[int(slots[i])]
            assert other is not None
            result.append(
                MatchCandidate(
                    key=other.key,
                    kind=other.kind,
                    probability=float(scored.probability[i]),
                    match_weight=float(scored.total[i]),
                    explanation=self._explanation(scored, int(i)) if with_explanations else None,
                )
            )
        return result

    def _resolve(self, record: MatchRecord | PreparedRecord | str) -> PreparedRecord:
        if isinstance(record, str):
            found = self.get(record)
            if found is None:
                raise KeyError(record)
            return found
        return record if isinstance(record, PreparedRecord) else PreparedRecord(record)

    def explain(self, key_a: str, key_b: str) -> Explanation:
        """Why two indexed records score what they do."""
        a, b = self._slot_of[key_a], self._slot_of[key_b]
        link = self.columns["kind"][a] != self.columns["kind"][b]
        scored = self._score(self.columns, np.array([a]), np.array([b]), bool(link))
        return self._explanation(scored, 0)

    # -- bulk ---------------------------------------------------------------------------------

    def _candidates(self) -> tuple[Slots, Slots, npt.NDArray[np.uint8]]:
        if self._pair_cache is None or self._pair_cache[0] != self._version:
            alive = self.columns["alive"][: self.columns.size]
            a, b, families = self._blocks["report"].pairs(COARSE_CAP, REFINED_CAP, alive)
            self._pair_cache = (self._version, a, b, families)
        return self._pair_cache[1], self._pair_cache[2], self._pair_cache[3]

    def candidate_pairs(self) -> tuple[Slots, Slots]:
        """Every unordered pair of live reports that share a usable identity block (slot arrays)."""
        a, b, _ = self._candidates()
        return a, b

    def candidate_levels(self) -> tuple[Slots, Slots, npt.NDArray[np.uint8], Levels, Floats]:
        """Every dedupe candidate pair with its key families, levels and log2 term frequencies (cached)."""
        a, b, families = self._candidates()
        cache = self._level_cache
        if cache is None or cache[0] != self._version or cache[1] is not self._frequencies:
            levels, log_tf = self.pair_levels(a, b)
            cache = (self._version, self._frequencies, levels, log_tf.astype(np.float32))
            self._level_cache = cache
        return a, b, families, cache[2], cache[3].astype(np.float64)

    def blocking_counts(self) -> BlockingCounts:
        """How many report pairs the blocking compares, and how many pairs the block caps set aside.

        A pair is set aside when it shares a block that was too big to pair and no block that was
        paired; it is counted exactly unless the big blocks hold more than 20 million pairs.
        """
        a, _ = self.candidate_pairs()
        alive = self.columns["alive"][: self.columns.size]
        set_aside, exact = self._blocks["report"].set_aside(COARSE_CAP, REFINED_CAP, alive)
        return BlockingCounts(compared=len(a), set_aside=set_aside, exact=exact)

    def blocked_pairs(self) -> Iterator[tuple[str, str]]:
        """Each unordered pair of reports the blocking proposes for dedupe, once (keys)."""
        a, b = self.candidate_pairs()
        records = self._records
        for x, y in zip(a.tolist(), b.tolist(), strict=True):
            ra, rb = records[x], records[y]
            assert ra is not None
            assert rb is not None
            yield ra.key, rb.key

    def _pair(self, scored: _Scored, i: int, with_explanations: bool) -> ScoredPair:
        ra, rb = self._records[int(scored.a[i])], self._records[int(scored.b[i])]
        assert ra is not None
        assert rb is not None
        return ScoredPair(
            key_a=ra.key,
            key_b=rb.key,
            probability=float(scored.probability[i]),
            match_weight=float(scored.total[i]),
            explanation=self._explanation(scored, i) if with_explanations else None,
        )

    def dedupe(self, min_score: float | None = None, *, with_explanations: bool = False) -> Iterator[ScoredPair]:
        """Each unordered pair of reports scoring at least `min_score` (default: the parameters' threshold), once."""
        threshold = self._parameters.threshold if min_score is None else min_score
        a, b, _, levels, log_tf = self.candidate_levels()
        for start in range(0, len(a), CHUNK):
            part = slice(start, start + CHUNK)
            scored = self._weigh(a[part], b[part], levels[part], log_tf[part], link=False)
            for i in np.flatnonzero(scored.probability >= threshold):
                yield self._pair(scored, int(i), with_explanations)

    def link(
        self, top_k: int = 10, min_score: float = 0.0, *, with_explanations: bool = False
    ) -> Iterator[tuple[str, list[MatchCandidate]]]:
        """For each set of remains, its best `top_k` report candidates scoring at least `min_score`."""
        for record in list(self._records):
            if record is not None and record.kind == "remains":
                found = self.candidates_for(
                    PreparedRecord(record), top=top_k, min_score=min_score, with_explanations=with_explanations
                )
                yield record.key, found

    # -- estimation ---------------------------------------------------------------------------

    def condition_codes(self, slots: Slots) -> Levels:
        """The condition code of the records in these slots (0: none recorded)."""
        return np.asarray(self.columns["condition"][slots], dtype=np.int8)

    def _slots_of_kind(self, kind: int) -> Slots:
        cols = self.columns
        n = cols.size
        return np.flatnonzero(cols["alive"][:n] & (cols["kind"][:n] == kind)).astype(np.intp)

    def estimate_parameters(
        self, *, seed: int = 0, random_pairs: int = 200_000, max_training_pairs: int = 1_000_000
    ) -> MatchParameters:
        """Learn term frequencies, u (random pairs) and m (EM over candidate pairs); use and return them."""
        rng = np.random.default_rng(seed)
        cols = self.columns
        live = np.flatnonzero(cols["alive"][: cols.size]).astype(np.intp)
        tables, floors = term_frequencies_from_counts(value_counts(cols, live), self.vocabulary.strings)
        params = replace(self._parameters, term_frequencies=tables, frequency_floors=floors, estimated_from=len(live))
        self.set_parameters(params)
        reports, remains = self._slots_of_kind(0), self._slots_of_kind(1)
        dedupe, link = params.dedupe, params.link
        if len(reports) >= MIN_RECORDS_TO_ESTIMATE:
            dedupe = estimate_dedupe(self, params.dedupe, reports, rng, random_pairs, max_training_pairs)
        if len(remains) >= MIN_REMAINS_TO_ESTIMATE and len(reports) >= MIN_RECORDS_TO_ESTIMATE:
            named = remains[cols["g_present"][remains] & cols["s_present"][remains]]
            link = estimate_link(
                self, params.link, dedupe.m, remains, named, reports, rng, random_pairs, max_training_pairs
            )
            link = replace(link, municipality_shares=shares_of(self.columns, reports))
        params = replace(params, dedupe=dedupe, link=link)
        self.set_parameters(params)
        return params


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cycle collector off while records are indexed.

    Building allocates millions of small acyclic objects; each full collection walks every object
    alive, so at 350,000 records the collector took a third of the build (33 s → 22 s CPU without
    it). Nothing the build allocates forms a cycle: reference counting frees all of it.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _top(total: Floats, slots: Slots, count: int) -> Slots:
    """Positions of the `count` highest totals; ties at the cut go to the lowest slots, so that the
    same index answers the same whatever order its candidates were gathered in."""
    if count >= len(total):
        return np.arange(len(total))
    cut = total[np.argpartition(-total, count - 1)[:count]].min()
    above = np.flatnonzero(total > cut)
    tied = np.flatnonzero(total == cut)
    tied = tied[np.argsort(slots[tied], kind="stable")][: count - len(above)]
    return np.concatenate([above, tied])


def _block_rows(p: PreparedRecord, slot: int, rows: list[int]) -> None:
    """Append one record's blocking rows (flat: key, parent, family, slot) to `rows`.

    Each coarse key is filed with parent 0, each refined key under its coarse key; a key the
    record repeats is filed twice and made unique when the table merges.
    """
    for coarse, refined in identity_key_parts(p):
        parent = hash(coarse)
        bit = FAMILIES.get(coarse[0], OTHER)
        rows += (parent, 0, bit, slot)
        if refined is not None:
            rows += (hash(refined), parent, bit, slot)
    for key in mark_key_parts(p):
        rows += (hash(key), 0, MARKS, slot)


def estimate_parameters(
    records: Iterable[MatchRecord | PreparedRecord], *, seed: int = 0, base: MatchParameters | None = None
) -> MatchParameters:
    """Parameters estimated from these records (built-in defaults where data are too few)."""
    index = MatchIndex(base)
    index.add_many(records)
    return index.estimate_parameters(seed=seed)
