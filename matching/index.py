"""`MatchIndex`: prepared records in memory, blocked and scored on demand.

Records are added, replaced or removed by key. `candidates_for` ranks the records worth a
clerk's look for one record; `dedupe` yields every likely duplicate pair of reports once;
`link` yields, for each set of remains, its ranked report candidates. `estimate_parameters`
learns the model from the indexed records themselves.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt

from matching.batch import LogFrequencies, compare_pairs
from matching.blocking import COARSE_CAP, MARKS_CAP, REFINED_CAP, identity_keys, mark_keys
from matching.columns import NEIGHBOUR_MATRIX, STATE_INDEX, RecordColumns, Vocabulary
from matching.compare_facts import FOUND_BEFORE_TOLERANCE_DAYS
from matching.estimation import (
    expectation_maximisation,
    kin_together_log_u,
    level_frequencies,
    match_probability,
    term_frequencies,
)
from matching.levels import COMPARISON_NAMES
from matching.parameters import MatchParameters, ModelParameters, default_parameters
from matching.records import Kind, MatchRecord, PreparedRecord, prepare
from matching.scoring import Explanation, WeightTable, explain

Slots = npt.NDArray[np.intp]
CHUNK = 200_000
# Below these counts the built-in parameters are kept: EM needs enough pairs to separate.
MIN_RECORDS_TO_ESTIMATE = 200
MIN_REMAINS_TO_ESTIMATE = 100
MIN_NAMED_REMAINS_TO_ESTIMATE = 30
_SEX, _EVENT = COMPARISON_NAMES.index("sex"), COMPARISON_NAMES.index("event_date")
# How many years outside its estimated birth years a record may still be linked.
LINK_AGE_SLACK = 4
_PLACE_AND_TIME = ("event_date", "place")
_NAMES = ("given_names", "surnames", "aliases")
# Comparisons the link model does not learn: names (from dedupe), sex (it excludes), and what
# remains never carry (date of birth, CURP).
_LINK_FIXED = (*_NAMES, "sex", "date_of_birth", "curp")


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


def _prefix(kind: str) -> str:
    return "X:" if kind == "remains" else "R:"


class MatchIndex:
    """An in-memory index of prepared records that blocks, scores and explains candidate pairs."""

    def __init__(self, parameters: MatchParameters | None = None) -> None:
        self.vocabulary = Vocabulary()
        self.columns = RecordColumns(self.vocabulary)
        self._slot_of: dict[str, int] = {}
        self._prepared: list[PreparedRecord | None] = []
        self._keys_of: list[list[str]] = []
        self._blocks: dict[str, list[int]] = {}
        self._refined: dict[str, set[str]] = {}
        self._identity: set[str] = set()
        self._version = 0
        self._pair_cache: tuple[int, Slots, Slots] | None = None
        self.set_parameters(parameters or default_parameters())

    # -- parameters ---------------------------------------------------------------------------

    @property
    def parameters(self) -> MatchParameters:
        """The parameters scores are computed with."""
        return self._parameters

    def set_parameters(self, parameters: MatchParameters) -> None:
        """Score with these parameters from now on."""
        self._parameters = parameters
        self._frequencies = LogFrequencies(parameters.term_frequencies, parameters.frequency_floors)
        self._tables = {False: WeightTable(parameters.dedupe), True: WeightTable(parameters.link)}

    # -- contents -----------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._slot_of)

    def __contains__(self, key: object) -> bool:
        return key in self._slot_of

    def get(self, key: str) -> PreparedRecord | None:
        """The prepared record stored under a key, if any."""
        slot = self._slot_of.get(key)
        return None if slot is None else self._prepared[slot]

    def add(self, record: MatchRecord | PreparedRecord) -> None:
        """Index a record, replacing any record with the same key."""
        p = record if isinstance(record, PreparedRecord) else prepare(record)
        if p.key in self._slot_of:
            self.remove(p.key)
        slot = self.columns.append(p)
        self._slot_of[p.key] = slot
        self._prepared.append(p)
        prefix = _prefix(p.record.kind)
        keys: list[str] = []
        for coarse, refined in identity_keys(p):
            coarse_key = prefix + coarse
            keys.append(coarse_key)
            self._identity.add(coarse_key)
            if refined is not None:
                refined_key = prefix + refined
                keys.append(refined_key)
                self._refined.setdefault(coarse_key, set()).add(refined_key)
        keys.extend(prefix + k for k in mark_keys(p))
        keys = list(dict.fromkeys(keys))
        blocks = self._blocks
        for key in keys:
            members = blocks.get(key)
            if members is None:
                blocks[key] = [slot]
            else:
                members.append(slot)
        self._keys_of.append(keys)
        self._version += 1

    def add_many(self, records: Iterable[MatchRecord | PreparedRecord]) -> None:
        """Index many records (each replacing any record with the same key)."""
        for record in records:
            self.add(record)

    def remove(self, key: str) -> bool:
        """Drop the record stored under a key; False if there was none."""
        slot = self._slot_of.pop(key, None)
        if slot is None:
            return False
        for block in self._keys_of[slot]:
            self._blocks[block].remove(slot)
        self._keys_of[slot] = []
        self._prepared[slot] = None
        self.columns.kill(slot)
        self._version += 1
        return True

    def records(self) -> Iterator[PreparedRecord]:
        """Every indexed record."""
        return (p for p in self._prepared if p is not None)

    # -- scoring ------------------------------------------------------------------------------

    def _score(self, left: RecordColumns, a: Slots, b: Slots, link: bool) -> _Scored:
        levels, log_tf = compare_pairs(left, a, self.columns, b, self._frequencies)
        weights, total, probability = self._tables[link].score(levels, log_tf)
        return _Scored(a, b, levels, weights, total, probability)

    def _explanation(self, scored: _Scored, i: int) -> Explanation:
        return explain(scored.levels[i], scored.weights[i], scored.total[i], scored.probability[i])

    def _query_columns(self, p: PreparedRecord) -> tuple[RecordColumns, int]:
        slot = self._slot_of.get(p.key)
        if slot is not None and self._prepared[slot] is p:
            return self.columns, slot
        scratch = RecordColumns(self.vocabulary, capacity=1)
        return scratch, scratch.append(p)

    def _link_scan(self, p: PreparedRecord, against: str) -> Slots:
        """Records of the other kind that could be the same person: sex, state or a neighbour, age, dates.

        A vectorised scan over the columns (no blocking keys): unknown sex, state or age on
        either side lets a record through, ages may be `LINK_AGE_SLACK` years off the estimate,
        and remains found more than a week before the person was last seen are left out.
        """
        cols, n = self.columns, self.columns.size
        keep = cols["alive"][:n] & (cols["kind"][:n] == (1 if against == "remains" else 0))
        if p.sex:
            sex = cols["sex"][:n]
            keep &= (sex == 0) | (sex == (1 if p.sex == "female" else 2))
        if p.place is not None and p.place[0] in STATE_INDEX:
            home = STATE_INDEX[p.place[0]]
            allowed = np.append(NEIGHBOUR_MATRIX[home], True)  # the last entry: state unknown (-1)
            allowed[home] = True
            keep &= allowed[cols["state"][:n]]
        if p.birth_years is not None:
            lo, hi = p.birth_years
            present = cols["by_present"][:n]
            overlap = (cols["by_lo"][:n] <= hi + LINK_AGE_SLACK) & (cols["by_hi"][:n] >= lo - LINK_AGE_SLACK)
            keep &= ~present | overlap
        if p.record.event_date is not None:
            day, events = p.record.event_date.toordinal(), cols["event"][:n]
            tolerance = FOUND_BEFORE_TOLERANCE_DAYS
            dated = cols["event_present"][:n]
            if p.is_remains:  # the person was last seen before (or a week after) the remains were found
                keep &= ~dated | (events <= day + tolerance)
            else:
                keep &= ~dated | (events >= day - tolerance)
        return np.flatnonzero(keep).astype(np.intp)

    def _identity_slots(self, p: PreparedRecord, against: str) -> Slots:
        """Records of a kind that share a usable identity block with a record."""
        prefix, blocks = _prefix(against), self._blocks
        found: list[list[int]] = []
        for coarse, refined in identity_keys(p):
            members = blocks.get(prefix + coarse)
            if not members:
                continue
            if len(members) <= COARSE_CAP:
                found.append(members)
            elif refined is not None:
                narrower = blocks.get(prefix + refined)
                if narrower and len(narrower) <= REFINED_CAP:
                    found.append(narrower)
        if not found:
            return np.zeros(0, dtype=np.intp)
        return np.unique(np.concatenate([np.asarray(m, dtype=np.intp) for m in found]))

    def _candidate_slots(self, p: PreparedRecord, against: str) -> Slots:
        prefix, blocks = _prefix(against), self._blocks
        found: list[list[int]] = []
        for coarse, refined in identity_keys(p):
            members = blocks.get(prefix + coarse)
            if not members:
                continue
            if len(members) <= COARSE_CAP:
                found.append(members)
            elif refined is not None:
                narrower = blocks.get(prefix + refined)
                if narrower and len(narrower) <= REFINED_CAP:
                    found.append(narrower)
        if against != p.record.kind:
            found.append(self._link_scan(p, against))
            for key in mark_keys(p):
                members = blocks.get(prefix + key)
                if members and len(members) <= MARKS_CAP:
                    found.append(members)
        found = [m for m in found if len(m)]
        if not found:
            return np.zeros(0, dtype=np.intp)
        slots = np.unique(np.concatenate([np.asarray(m, dtype=np.intp) for m in found]))
        own = self._slot_of.get(p.key, -1)
        return np.asarray(slots[slots != own], dtype=np.intp)

    def candidates_for(
        self,
        record: MatchRecord | PreparedRecord | str,
        *,
        top: int = 10,
        min_score: float = 0.0,
        against: Kind | None = None,
        with_explanations: bool = True,
    ) -> list[MatchCandidate]:
        """The best-scoring records for one record, best first.

        By default a report is compared with other reports (duplicates) and remains with
        reports (identification); pass `against="remains"` to look a report up among remains.
        """
        p = self._resolve(record)
        target: str = against or "report"
        slots = self._candidate_slots(p, target)
        if len(slots) == 0:
            return []
        left, own = self._query_columns(p)
        link = target != p.record.kind
        scored = self._score(left, np.full(len(slots), own, dtype=np.intp), slots, link)
        order = np.argsort(-scored.total, kind="stable")
        result: list[MatchCandidate] = []
        for i in order[: max(top, 0)]:
            if scored.probability[i] < min_score or scored.probability[i] <= 0.0:
                break
            other = self._prepared[int(slots[i])]
            assert other is not None
            result.append(
                MatchCandidate(
                    key=other.key,
                    kind=other.record.kind,
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
        return record if isinstance(record, PreparedRecord) else prepare(record)

    def explain(self, key_a: str, key_b: str) -> Explanation:
        """Why two indexed records score what they do."""
        a, b = self._slot_of[key_a], self._slot_of[key_b]
        link = self.columns["kind"][a] != self.columns["kind"][b]
        scored = self._score(self.columns, np.array([a]), np.array([b]), bool(link))
        return self._explanation(scored, 0)

    # -- bulk ---------------------------------------------------------------------------------

    def candidate_pairs(self) -> tuple[Slots, Slots]:
        """Every unordered pair of live reports that share a usable identity block (slot arrays)."""
        if self._pair_cache is not None and self._pair_cache[0] == self._version:
            return self._pair_cache[1], self._pair_cache[2]
        a, b = self._pairs_in_blocks(("R:",))
        self._pair_cache = (self._version, a, b)
        return a, b

    def _pairs_in_blocks(self, prefixes: tuple[str, ...]) -> tuple[Slots, Slots]:
        """Unordered pairs of live reports sharing a usable identity block whose key starts with a prefix."""
        twos: list[int] = []
        bigger: list[npt.NDArray[np.int64]] = []
        blocks, refined_of = self._blocks, self._refined
        for key in self._identity:
            if not key.startswith(prefixes):
                continue
            members = blocks.get(key)
            if not members or len(members) < 2:
                continue
            groups = [members]
            if len(members) > COARSE_CAP:
                groups = [g for r in refined_of.get(key, ()) if 2 <= len(g := blocks.get(r, [])) <= REFINED_CAP]
            for group in groups:
                if len(group) == 2:
                    twos.extend(group)
                else:
                    arr = np.asarray(group, dtype=np.int64)
                    i, j = np.triu_indices(len(arr), k=1)
                    bigger.append(np.minimum(arr[i], arr[j]) << 32 | np.maximum(arr[i], arr[j]))
        pairs2 = np.asarray(twos, dtype=np.int64).reshape(-1, 2)
        codes = [np.minimum(pairs2[:, 0], pairs2[:, 1]) << 32 | np.maximum(pairs2[:, 0], pairs2[:, 1]), *bigger]
        unique = np.unique(np.concatenate(codes)) if codes else np.zeros(0, dtype=np.int64)
        a, b = (unique >> 32).astype(np.intp), (unique & 0xFFFFFFFF).astype(np.intp)
        alive, kind = self.columns["alive"], self.columns["kind"]
        keep = alive[a] & alive[b] & (kind[a] == 0) & (kind[b] == 0)
        return a[keep], b[keep]

    def blocked_pairs(self) -> Iterator[tuple[str, str]]:
        """Each unordered pair of reports the blocking proposes for dedupe, once (keys)."""
        a, b = self.candidate_pairs()
        prepared = self._prepared
        for x, y in zip(a.tolist(), b.tolist(), strict=True):
            pa, pb = prepared[x], prepared[y]
            assert pa is not None
            assert pb is not None
            yield pa.key, pb.key

    def _pair(self, scored: _Scored, i: int, with_explanations: bool) -> ScoredPair:
        pa, pb = self._prepared[int(scored.a[i])], self._prepared[int(scored.b[i])]
        assert pa is not None
        assert pb is not None
        return ScoredPair(
            key_a=pa.key,
            key_b=pb.key,
            probability=float(scored.probability[i]),
            match_weight=float(scored.total[i]),
            explanation=self._explanation(scored, i) if with_explanations else None,
        )

    def dedupe(self, min_score: float | None = None, *, with_explanations: bool = False) -> Iterator[ScoredPair]:
        """Each unordered pair of reports scoring at least `min_score` (default: the parameters' threshold), once."""
        threshold = self._parameters.threshold if min_score is None else min_score
        a, b = self.candidate_pairs()
        for start in range(0, len(a), CHUNK):
            scored = self._score(self.columns, a[start : start + CHUNK], b[start : start + CHUNK], link=False)
            for i in np.flatnonzero(scored.probability >= threshold):
                yield self._pair(scored, int(i), with_explanations)

    def link(
        self, top_k: int = 10, min_score: float = 0.0, *, with_explanations: bool = False
    ) -> Iterator[tuple[str, list[MatchCandidate]]]:
        """For each set of remains, its best `top_k` report candidates scoring at least `min_score`."""
        for p in list(self.records()):
            if p.is_remains:
                found = self.candidates_for(p, top=top_k, min_score=min_score, with_explanations=with_explanations)
                yield p.key, found

    # -- estimation ---------------------------------------------------------------------------

    def _slots_of_kind(self, kind: int) -> Slots:
        cols = self.columns
        n = cols.size
        return np.flatnonzero(cols["alive"][:n] & (cols["kind"][:n] == kind)).astype(np.intp)

    def _levels(self, a: Slots, b: Slots) -> npt.NDArray[np.int8]:
        parts = [
            compare_pairs(self.columns, a[s : s + CHUNK], self.columns, b[s : s + CHUNK], self._frequencies)[0]
            for s in range(0, len(a), CHUNK)
        ]
        return np.concatenate(parts) if parts else np.zeros((0, 11), dtype=np.int8)

    def _sample(self, a: Slots, b: Slots, rng: np.random.Generator, limit: int) -> tuple[Slots, Slots]:
        if len(a) <= limit:
            return a, b
        pick = np.sort(rng.choice(len(a), limit, replace=False))
        return a[pick], b[pick]

    def _estimate_dedupe(
        self, start: ModelParameters, reports: Slots, rng: np.random.Generator, random_pairs: int, limit: int
    ) -> ModelParameters:
        """u from random pairs; m by EM in two sessions, each blind to what its pairs were blocked on."""
        a, b = rng.choice(reports, random_pairs), rng.choice(reports, random_pairs)
        random_levels = self._levels(a[a != b], b[a != b])
        u = level_frequencies(random_levels)
        m = dict(start.m)
        # Session 1: pairs last seen the same day in the same state teach everything but time and place.
        # Surnames are left out at first: siblings who vanished together share them, and would
        # otherwise be learned as matches; then surnames are learned with the rest held fixed.
        together_a, together_b = self._pairs_in_blocks(("R:E|",))
        a, b = self._sample(together_a, together_b, rng, limit)
        levels = self._levels(a, b)
        blind = _masked(levels, (*_PLACE_AND_TIME, "surnames"))
        learned = expectation_maximisation(blind, start, u)
        non_match = 1.0 - match_probability(blind, learned)
        n = float(len(reports))
        kin = kin_together_log_u(levels, non_match, len(together_a) / max(len(a), 1), n * (n - 1) / 2)
        m.update({name: learned.m[name] for name in COMPARISON_NAMES if name not in _PLACE_AND_TIME})
        others = tuple(name for name in COMPARISON_NAMES if name != "surnames")
        learned = expectation_maximisation(_masked(levels, _PLACE_AND_TIME), replace(start, m=m), u, fixed=others)
        m["surnames"] = learned.m["surnames"]
        # Session 2: pairs that share a name sound (and birth year) teach time and place.
        a, b = self._sample(*self._pairs_in_blocks(("R:G|", "R:Y|")), rng, limit)
        others = tuple(name for name in COMPARISON_NAMES if name not in _PLACE_AND_TIME)
        learned = expectation_maximisation(_masked(self._levels(a, b), _NAMES), replace(start, m=m), u, fixed=others)
        m.update({name: learned.m[name] for name in _PLACE_AND_TIME})
        # The prior: the share of matches among all candidate pairs, with m and u now fixed.
        # The prior is the share of matches among *all* pairs, as u comes from random pairs: the
        # matches expected among the candidate pairs (by EM with m and u fixed) over every pair.
        all_a, all_b = self.candidate_pairs()
        a, b = self._sample(all_a, all_b, rng, limit)
        final = expectation_maximisation(self._levels(a, b), replace(start, m=m), u, fixed=COMPARISON_NAMES)
        matches = final.prior * len(all_a)
        prior = round(float(np.clip(matches / (n * (n - 1) / 2), 1e-12, 0.5)), 12)
        return replace(final, prior=prior, kin_together=kin)

    def _estimate_link(
        self,
        start: ModelParameters,
        names_m: dict[str, tuple[float, ...]],
        remains: Slots,
        reports: Slots,
        rng: np.random.Generator,
        random_pairs: int,
        limit: int,
    ) -> ModelParameters:
        """u from random remains–report pairs; m by EM over named remains and the reports sharing a name key.

        Most remains carry no name, and among the broad candidates of one set of remains a match
        is one in thousands: too rare for EM. Remains found with documents are paired with the
        reports that share a name key, where matches are common and names tell them apart; what
        is learned there about age, height, dates, place and marks holds for the nameless too.
        """
        a, b = rng.choice(remains, random_pairs), rng.choice(reports, random_pairs)
        u = level_frequencies(self._levels(a, b))
        named = remains[self.columns["g_present"][remains] & self.columns["s_present"][remains]]
        named = rng.choice(named, min(len(named), 5000), replace=False) if len(named) else named
        la, lb = [], []
        for slot in named:
            p = self._prepared[int(slot)]
            assert p is not None
            found = self._identity_slots(p, "report")
            la.append(np.full(len(found), slot, dtype=np.intp))
            lb.append(found)
        if len(named) < MIN_NAMED_REMAINS_TO_ESTIMATE:
            return replace(start, u=u)
        a, b = self._sample(np.concatenate(la), np.concatenate(lb), rng, limit)
        # Names are what tells matches apart here: weighed as the dedupe model weighs them, term
        # frequencies included (a common name shared is weak evidence), and held fixed.
        levels, log_tf = compare_pairs(self.columns, a, self.columns, b, self._frequencies)
        model = replace(start, m={**start.m, **{name: names_m[name] for name in _NAMES}}, u=u)
        columns = [COMPARISON_NAMES.index(name) for name in _NAMES]
        offset = WeightTable(model).weights(levels, log_tf)[:, columns].sum(axis=1)
        # One comparison at a time, the others held at their current m (built-in at first): all
        # at once, EM would settle on "same name" (namesakes included) as the class of matches.
        # The name weights are relative to random pairs, so the prior is the share of matches
        # among all pairs: at first one report per set of remains, then what EM finds.
        keep = (levels[:, _SEX] != 0) & (levels[:, _EVENT] != 0)  # excluded pairs teach nothing
        masked, offset = _masked(levels, _NAMES)[keep], offset[keep]
        learned = replace(model, prior=0.5 / len(reports))
        for _ in range(4):
            # Each round starts from (and is smoothed toward) the built-in m, with the new prior.
            learned = expectation_maximisation(
                masked, replace(model, prior=learned.prior), u, fixed=_LINK_FIXED, offset=offset, learn_prior=False
            )
            matches = float(match_probability(masked, learned, offset).sum())
            learned = replace(learned, prior=round(float(np.clip(matches / len(named) / len(reports), 1e-12, 0.5)), 12))
        return replace(learned, m={**learned.m, **{name: names_m[name] for name in _NAMES}})

    def estimate_parameters(
        self, *, seed: int = 0, random_pairs: int = 200_000, max_training_pairs: int = 1_000_000
    ) -> MatchParameters:
        """Learn term frequencies, u (random pairs) and m (EM over candidate pairs); use and return them."""
        rng = np.random.default_rng(seed)
        records = list(self.records())
        tables, floors = term_frequencies(records)
        params = replace(
            self._parameters, term_frequencies=tables, frequency_floors=floors, estimated_from=len(records)
        )
        self.set_parameters(params)
        reports, remains = self._slots_of_kind(0), self._slots_of_kind(1)
        dedupe, link = params.dedupe, params.link
        if len(reports) >= MIN_RECORDS_TO_ESTIMATE:
            dedupe = self._estimate_dedupe(params.dedupe, reports, rng, random_pairs, max_training_pairs)
        if len(remains) >= MIN_REMAINS_TO_ESTIMATE and len(reports) >= MIN_RECORDS_TO_ESTIMATE:
            link = self._estimate_link(params.link, dedupe.m, remains, reports, rng, random_pairs, max_training_pairs)
        params = replace(params, dedupe=dedupe, link=link)
        self.set_parameters(params)
        return params


def kin_together_ignoring_names(levels: npt.NDArray[np.int8]) -> npt.NDArray[np.bool_]:
    """Per pair: last seen the same week in the same state (the surnames left aside)."""
    event, place = COMPARISON_NAMES.index("event_date"), COMPARISON_NAMES.index("place")
    return np.asarray((levels[:, event] == 4) & (levels[:, place] >= 2))


def _masked(levels: npt.NDArray[np.int8], names: tuple[str, ...]) -> npt.NDArray[np.int8]:
    """The levels with some comparisons turned into "no evidence"."""
    masked = levels.copy()
    for name in names:
        masked[:, COMPARISON_NAMES.index(name)] = -1
    return masked


def estimate_parameters(
    records: Iterable[MatchRecord | PreparedRecord], *, seed: int = 0, base: MatchParameters | None = None
) -> MatchParameters:
    """Parameters estimated from these records (built-in defaults where data are too few)."""
    index = MatchIndex(base)
    index.add_many(records)
    return index.estimate_parameters(seed=seed)
