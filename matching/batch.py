"""The comparisons of `compare_names` and `compare_facts`, vectorised over many pairs at once.

Each function takes the two column stores and two equal-length arrays of slots and returns the
level per pair, -1 standing for "no evidence". They must agree with the one-pair functions;
tests/matching check that they do on many pairs.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
from rapidfuzz.distance import Indel, JaroWinkler
from rapidfuzz.process import cpdist

from matching.columns import NEIGHBOUR_MATRIX, RecordColumns
from matching.compare_facts import (
    AGE_CENTRE_YEARS,
    AGE_NEAR_YEARS,
    FOUND_BEFORE_TOLERANCE_DAYS,
    HEIGHT_CENTRE_CM,
    MONTH_DAYS,
    QUARTER_DAYS,
    WEEK_DAYS,
    YEAR_DAYS,
)
from matching.compare_names import GIVEN_SIMILAR, SURNAME_SIMILAR, given_texts_alike, surname_words_alike
from matching.levels import COMPARISON_NAMES, EventDateLevel

Levels = npt.NDArray[np.int8]
Slots = npt.NDArray[np.intp]
Floats = npt.NDArray[np.float64]
Bools = npt.NDArray[np.bool_]
NO_EVIDENCE = -1
# Comparisons whose agreement is weighed by how common the agreeing value is.
TF_COMPARISONS = ("given_names", "surnames", "marks")


class LogFrequencies:
    """log2 term frequencies of interned values, per table ("given_set", "given_name", "surname", "mark")."""

    def __init__(self, tables: dict[str, dict[str, float]], floors: dict[str, float]) -> None:
        self.tables = tables
        self.floors = floors
        self.arrays: dict[str, Floats] = {name: np.zeros(0) for name in tables}

    def array(self, table: str, strings: list[str]) -> Floats:
        """log2 frequency for every interned string id, extended to the vocabulary's size."""
        current = self.arrays[table]
        if len(current) < len(strings):
            freq, floor = self.tables[table], self.floors[table]
            if not freq:
                # No table (built-in parameters): no term-frequency adjustment at all.
                extra = np.full(len(strings) - len(current), np.nan)
            else:
                extra = np.log2([freq.get(s, floor) for s in strings[len(current) :]])
            current = np.concatenate([current, extra])
            self.arrays[table] = current
        return current


def _similar_text(texts_a: list[str], texts_b: list[str], threshold: float, surnames: bool = False) -> Bools:
    if not texts_a:
        return np.zeros(0, dtype=bool)
    workers = -1 if len(texts_a) > 20_000 else 1
    scorer = Indel.normalized_similarity if surnames else JaroWinkler.normalized_similarity
    scores = cpdist(texts_a, texts_b, scorer=scorer, workers=workers)
    return np.asarray(scores >= threshold)


def _any_shared(x: npt.NDArray[Any], y: npt.NDArray[Any]) -> npt.NDArray[np.bool_]:
    """Per row, which entries of x (padded with -1) also appear in y: shape (n, width_x)."""
    match = (x[:, :, None] == y[:, None, :]) & (x[:, :, None] >= 0)
    return np.asarray(match.any(axis=2))


def given_levels(
    left: RecordColumns, a: Slots, right: RecordColumns, b: Slots, token_tf: Floats, set_tf: Floats
) -> tuple[Levels, Floats]:
    """Vectorised `compare_given_names`, with the log2 frequency of what agrees."""
    n = len(a)
    level = np.full(n, NO_EVIDENCE, dtype=np.int8)
    log_tf = np.full(n, np.nan)
    present = left["g_present"][a] & right["g_present"][b]
    initials_only = left["g_initials_only"][a] | right["g_initials_only"][b]
    init_shared = _any_shared(left["g_initials"][a], right["g_initials"][b]).any(axis=1)
    fa = left["g_forms"][a]
    form_hit = _any_shared(fa, right["g_forms"][b])
    shared = form_hit.any(axis=1)
    sounds = _any_shared(left["g_sounds"][a], right["g_sounds"][b]).any(axis=1)
    exact = left["g_written"][a] == right["g_written"][b]
    equivalent = left["g_canon"][a] == right["g_canon"][b]
    full = present & ~initials_only
    level[present] = 0
    level[present & initials_only & init_shared] = 1
    undecided = np.flatnonzero(full & ~exact & ~equivalent & ~shared & ~sounds)
    similar = np.zeros(n, dtype=bool)
    if len(undecided):
        texts_a = left.texts["g_text"][a[undecided]].tolist()
        texts_b = right.texts["g_text"][b[undecided]].tolist()
        similar[undecided] = _similar_text(texts_a, texts_b, GIVEN_SIMILAR)
        rest = ~similar[undecided]
        if rest.any():
            # One name of each a slip apart (`compare_names.given_texts_alike`, cached per pair of texts).
            similar[undecided[rest]] = np.fromiter(
                (given_texts_alike(x, y) for x, y, r in zip(texts_a, texts_b, rest.tolist(), strict=True) if r),
                dtype=bool,
                count=int(rest.sum()),
            )
    level[full & (sounds | similar)] = 2
    level[full & shared] = 3
    level[full & equivalent] = 4
    level[full & exact] = 5
    whole = full & (exact | equivalent)
    log_tf[whole] = set_tf[left["g_canon"][a[whole]]]
    partial = full & shared & ~exact & ~equivalent
    if partial.any():
        tf = np.where(form_hit[partial], token_tf[np.maximum(fa[partial], 0)], np.inf)
        log_tf[partial] = tf.min(axis=1)
    return level, log_tf


def _alike(strings: list[str], x: Slots, y: Slots, x_sound: Slots, y_sound: Slots) -> Bools:
    """`surname_words_alike` per row of interned surname ids, each distinct pair judged once."""
    out = np.zeros(len(x), dtype=bool)
    rows = np.flatnonzero((x != 0) & (y != 0))
    if not len(rows):
        return out
    keys = (x[rows].astype(np.int64) << 32) | y[rows].astype(np.int64)
    unique, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
    at = rows[first]
    verdict = np.fromiter(
        (
            surname_words_alike(strings[i], strings[j], strings[si], strings[sj])
            for i, j, si, sj in zip(
                x[at].tolist(), y[at].tolist(), x_sound[at].tolist(), y_sound[at].tolist(), strict=True
            )
        ),
        dtype=bool,
        count=len(unique),
    )
    out[rows] = verdict[inverse.reshape(-1)]
    return out


def _words_alike(strings: list[str], f1: Slots, s1: Slots, f2: Slots, s2: Slots, sounds: tuple[Slots, ...]) -> Bools:
    """Vectorised `compare_names._words_alike`: both surnames alike in order or crossed, or a lone one either."""
    fs1, ss1, fs2, ss2 = sounds
    has1, has2 = s1 != 0, s2 != 0
    ff = _alike(strings, f1, f2, fs1, fs2)
    ss = _alike(strings, s1, s2, ss1, ss2)
    cross_12 = _alike(strings, f1, s2, fs1, ss2)  # first of the left, second of the right
    cross_21 = _alike(strings, s1, f2, ss1, fs2)
    both = has1 & has2 & ((ff & ss) | (cross_12 & cross_21))
    neither = ~has1 & ~has2 & ff
    lone = (has1 != has2) & (ff | np.where(has1, cross_21, cross_12))
    return np.asarray(both | neither | lone)


def surname_levels(left: RecordColumns, a: Slots, right: RecordColumns, b: Slots, tf: Floats) -> tuple[Levels, Floats]:
    """Vectorised `compare_surnames`, with the log2 frequency of what agrees."""
    n = len(a)
    level = np.full(n, NO_EVIDENCE, dtype=np.int8)
    log_tf = np.full(n, np.nan)
    present = left["s_present"][a] & right["s_present"][b]
    f1, s1, f2, s2 = left["s_first"][a], left["s_second"][a], right["s_first"][b], right["s_second"][b]
    fs1, ss1 = left["s_first_sound"][a], left["s_second_sound"][a]
    fs2, ss2 = right["s_first_sound"][b], right["s_second_sound"][b]
    has1, has2 = s1 != 0, s2 != 0
    exact = (f1 == f2) & (s1 == s2)
    swapped = has1 & has2 & (f1 == s2) & (s1 == f2)
    one_missing_rows = has1 != has2
    lone_f = np.where(has1, f2, f1)
    other_f, other_s = np.where(has1, f1, f2), np.where(has1, s1, s2)
    one_missing = one_missing_rows & ((lone_f == other_f) | (lone_f == other_s))
    lone_fs = np.where(has1, fs2, fs1)
    other_fs, other_ss = np.where(has1, fs1, fs2), np.where(has1, ss1, ss2)
    sound_both = has1 & has2 & (((fs1 == fs2) & (fs1 != 0) & (ss1 == ss2)) | ((fs1 == ss2) & (fs1 != 0) & (ss1 == fs2)))
    sound_none = ~has1 & ~has2 & (fs1 == fs2) & (fs1 != 0)
    sound_one = one_missing_rows & ((lone_fs == other_fs) | (lone_fs == other_ss))
    sounds = sound_both | sound_none | sound_one
    shared_first = f1 == f2
    shared_other = (has2 & (f1 == s2)) | (has1 & (s1 == f2)) | (has1 & has2 & (s1 == s2))
    decided = exact | swapped | one_missing | sounds
    undecided = np.flatnonzero(present & ~decided)
    similar = np.zeros(n, dtype=bool)
    if len(undecided):
        u = undecided
        similar[u] = _words_alike(left.vocabulary.strings, f1[u], s1[u], f2[u], s2[u], (fs1[u], ss1[u], fs2[u], ss2[u]))
        undecided = undecided[~similar[undecided]]
    if len(undecided):
        ta = left.texts["s_text"][a[undecided]].tolist()
        similar[undecided] = _similar_text(
            ta, right.texts["s_text"][b[undecided]].tolist(), SURNAME_SIMILAR, surnames=True
        )
        rest = undecided[~similar[undecided]]
        if len(rest):
            ta = left.texts["s_text"][a[rest]].tolist()
            tb = right.texts["s_text_swapped"][b[rest]].tolist()
            similar[rest] = _similar_text(ta, tb, SURNAME_SIMILAR, surnames=True)
    level[present] = 0
    level[present & (shared_first | shared_other)] = 1
    level[present & (sounds | similar)] = 2
    level[present & one_missing] = 3
    level[present & swapped] = 4
    level[present & exact] = 5
    both = present & (exact | swapped)
    log_tf[both] = tf[f1[both]] + np.where(has1[both], tf[s1[both]], 0.0)
    lone = present & one_missing & ~exact
    log_tf[lone] = tf[lone_f[lone]]
    # Surnames alike but not equal are weighed by the more common of the two spellings (the
    # mistyped one is rare; the person's is not): HERNANDEZ GARCIA mistyped is still common.
    alike = np.flatnonzero(present & (level == 2))
    if len(alike):
        x1, y1, x2, y2 = f1[alike], s1[alike], f2[alike], s2[alike]
        h1, h2 = has1[alike], has2[alike]
        both_a = np.where(h1, tf[x1] + tf[y1], tf[x1])
        both_b = np.where(h2, tf[x2] + tf[y2], tf[x2])
        lone_rows = h1 != h2
        singles = np.stack([tf[x1], np.where(h1, tf[y1], -np.inf), tf[x2], np.where(h2, tf[y2], -np.inf)], axis=1).max(
            axis=1
        )
        log_tf[alike] = np.where(lone_rows, singles, np.maximum(both_a, both_b))
    partial = present & (level == 1)
    if partial.any():
        candidates = np.stack(
            [
                np.where(shared_first, tf[f1], np.inf),
                np.where(has2 & (f1 == s2), tf[f1], np.inf),
                np.where(has1 & ((s1 == f2) | (has2 & (s1 == s2))), tf[s1], np.inf),
            ],
            axis=1,
        )[partial]
        log_tf[partial] = candidates.min(axis=1)
    return level, log_tf


def date_of_birth_levels(left: RecordColumns, a: Slots, right: RecordColumns, b: Slots) -> Levels:
    """Vectorised `compare_dates_of_birth`."""
    level = np.full(len(a), NO_EVIDENCE, dtype=np.int8)
    present = left["dob_present"][a] & right["dob_present"][b]
    da, db = left["dob_digits"][a].astype(np.int16), right["dob_digits"][b].astype(np.int16)
    year_a = da[:, 0] * 1000 + da[:, 1] * 100 + da[:, 2] * 10 + da[:, 3]
    year_b = db[:, 0] * 1000 + db[:, 1] * 100 + db[:, 2] * 10 + db[:, 3]
    month_a, day_a = da[:, 4] * 10 + da[:, 5], da[:, 6] * 10 + da[:, 7]
    month_b, day_b = db[:, 4] * 10 + db[:, 5], db[:, 6] * 10 + db[:, 7]
    differing = (da != db).sum(axis=1)
    level[present] = 0
    level[present & (np.abs(year_a - year_b) == 1)] = 1
    level[present & (year_a == year_b)] = 2
    level[present & (differing == 1)] = 3
    level[present & (year_a == year_b) & (month_a == day_b) & (day_a == month_b) & (differing > 0)] = 4
    level[present & (differing == 0)] = 5
    return level


def age_levels(left: RecordColumns, a: Slots, right: RecordColumns, b: Slots) -> Levels:
    """Vectorised `compare_ages` (no evidence when both records have a date of birth)."""
    level = np.full(len(a), NO_EVIDENCE, dtype=np.int8)
    present = left["by_present"][a] & right["by_present"][b] & ~(left["dob_present"][a] & right["dob_present"][b])
    lo_a, hi_a, lo_b, hi_b = left["by_lo"][a], left["by_hi"][a], right["by_lo"][b], right["by_hi"][b]
    gap = np.maximum(0, np.maximum(lo_b - hi_a, lo_a - hi_b))
    narrow = (hi_a - lo_a <= 1) & (hi_b - lo_b <= 1)
    width = np.maximum(hi_a - lo_a, hi_b - lo_b)
    centred = ~narrow & (np.abs((lo_a + hi_a) - (lo_b + hi_b)) <= np.maximum(2 * AGE_CENTRE_YEARS, width // 2))
    level[present] = 0
    level[present & (gap <= np.maximum(AGE_NEAR_YEARS, width // 2))] = 1
    level[present & (gap == 0)] = 2
    level[present & (gap == 0) & (narrow | centred)] = 3
    return level


def sex_levels(left: RecordColumns, a: Slots, right: RecordColumns, b: Slots) -> Levels:
    """Vectorised `compare_sex`."""
    sa, sb = left["sex"][a], right["sex"][b]
    level = np.full(len(a), NO_EVIDENCE, dtype=np.int8)
    known = (sa > 0) & (sb > 0)
    level[known] = (sa == sb)[known].astype(np.int8)
    return level


def curp_levels(left: RecordColumns, a: Slots, right: RecordColumns, b: Slots) -> Levels:
    """Vectorised `compare_curps` (one substitution or one adjacent transposition is a typo)."""
    level = np.full(len(a), NO_EVIDENCE, dtype=np.int8)
    present = np.flatnonzero(left["curp_present"][a] & right["curp_present"][b])
    if len(present) == 0:
        return level
    ca, cb = left["curp"][a[present]], right["curp"][b[present]]
    diff = ca != cb
    distance = diff.sum(axis=1)
    transposed = diff[:, :-1] & diff[:, 1:] & (ca[:, :-1] == cb[:, 1:]) & (ca[:, 1:] == cb[:, :-1])
    distance = np.where((distance == 2) & transposed.any(axis=1), 1, distance)
    level[present] = np.where(distance == 0, 2, np.where(distance == 1, 1, 0))
    return level


def event_date_levels(left: RecordColumns, a: Slots, right: RecordColumns, b: Slots) -> Levels:
    """Vectorised `compare_event_dates` (level 0 marks remains found before the person vanished)."""
    level = np.full(len(a), NO_EVIDENCE, dtype=np.int8)
    present = left["event_present"][a] & right["event_present"][b]
    days = (right["event"][b] - left["event"][a]).astype(np.int64)
    ka, kb = left["kind"][a], right["kind"][b]
    mixed = ka != kb
    found_after = np.where(kb == 1, days, -days)
    excluded = mixed & (found_after < -FOUND_BEFORE_TOLERANCE_DAYS)
    gap = np.where(mixed, np.maximum(found_after, 0), np.abs(days))
    level[present] = EventDateLevel.FAR
    level[present & (gap <= YEAR_DAYS)] = EventDateLevel.WITHIN_YEAR
    level[present & (gap <= QUARTER_DAYS)] = EventDateLevel.WITHIN_QUARTER
    level[present & (gap <= MONTH_DAYS)] = EventDateLevel.WITHIN_MONTH
    level[present & (gap <= WEEK_DAYS)] = EventDateLevel.WITHIN_WEEK
    level[present & excluded] = EventDateLevel.EXCLUDED
    return level


def place_levels(left: RecordColumns, a: Slots, right: RecordColumns, b: Slots) -> Levels:
    """Vectorised `compare_places`."""
    level = np.full(len(a), NO_EVIDENCE, dtype=np.int8)
    sa, sb = left["state"][a], right["state"][b]
    present = (sa >= 0) & (sb >= 0)
    neighbour = NEIGHBOUR_MATRIX[np.maximum(sa, 0), np.maximum(sb, 0)]
    same_state = sa == sb
    ma, mb = left["municipality"][a], right["municipality"][b]
    level[present] = 0
    level[present & neighbour] = 1
    level[present & same_state] = 2
    level[present & same_state & (ma == mb) & (ma != 0)] = 3
    return level


def height_levels(left: RecordColumns, a: Slots, right: RecordColumns, b: Slots) -> Levels:
    """Vectorised `compare_heights`."""
    level = np.full(len(a), NO_EVIDENCE, dtype=np.int8)
    present = left["h_present"][a] & right["h_present"][b]
    lo_a, hi_a, lo_b, hi_b = left["h_lo"][a], left["h_hi"][a], right["h_lo"][b], right["h_hi"][b]
    gap = np.maximum(0, np.maximum(lo_b - hi_a, lo_a - hi_b))
    narrow = (hi_a - lo_a <= 4) & (hi_b - lo_b <= 4)
    width = np.maximum(hi_a - lo_a, hi_b - lo_b)
    centred = ~narrow & (np.abs((lo_a + hi_a) - (lo_b + hi_b)) <= np.maximum(2 * HEIGHT_CENTRE_CM, width // 2))
    level[present] = 0
    level[present & (gap <= 10)] = 1
    level[present & (gap <= 5)] = 2
    level[present & (((gap <= 2) & narrow) | centred)] = 3
    return level


def marks_levels(left: RecordColumns, a: Slots, right: RecordColumns, b: Slots, tf: Floats) -> tuple[Levels, Floats]:
    """Vectorised `compare_marks`, with the log2 frequency of the rarest shared feature at that level."""
    n = len(a)
    level = np.full(n, NO_EVIDENCE, dtype=np.int8)
    log_tf = np.full(n, np.nan)
    rows = np.flatnonzero((left["marks"][a, 0] >= 0) & (right["marks"][b, 0] >= 0))
    if len(rows) == 0:
        return level, log_tf
    mb, sb = right["marks"][b[rows]], right["mark_strength"][b[rows]]
    if a[0] == a[-1] and bool((a == a[0]).all()):
        # One record against many (a query): compare its few features column by column instead
        # of every feature pair, which is what a query against a whole state costs.
        features = left["marks"][a[0]]
        own = features >= 0
        fa, sa = features[own], left["mark_strength"][a[0]][own]
        strength = np.zeros((len(rows), len(fa)), dtype=sb.dtype)
        for j, feature in enumerate(fa):
            strength[:, j] = np.where(mb == feature, np.minimum(sa[j], sb), 0).max(axis=1)
        feature_tf = np.broadcast_to(tf[fa], strength.shape)
    else:
        ma, sa = left["marks"][a[rows]], left["mark_strength"][a[rows]]
        match = (ma[:, :, None] == mb[:, None, :]) & (ma[:, :, None] >= 0)
        strength = np.where(match, np.minimum(sa[:, :, None], sb[:, None, :]), 0).max(axis=2)
        feature_tf = tf[np.maximum(ma, 0)]
    best = strength.max(axis=1)
    level[rows] = best
    at_best = (strength == best[:, None]) & (best[:, None] > 1)
    rare = np.where(at_best, feature_tf, np.inf).min(axis=1)
    log_tf[rows] = np.where(np.isfinite(rare), rare, np.nan)
    return level, log_tf


def alias_levels(left: RecordColumns, a: Slots, right: RecordColumns, b: Slots) -> Levels:
    """Vectorised `compare_aliases`."""
    level = np.full(len(a), NO_EVIDENCE, dtype=np.int8)
    xa, xb = left["aliases"][a], right["aliases"][b]
    present = (xa[:, 0] >= 0) & (xb[:, 0] >= 0)
    shared: Bools = np.asarray(_any_shared(xa, xb).any(axis=1))
    level[present] = shared[present].astype(np.int8)
    return level


def _present(left: RecordColumns, a: Slots, right: RecordColumns, b: Slots, column: str) -> Slots:
    """The rows (pair indices) where both records have a value: the others are no evidence."""
    return np.flatnonzero(left[column][a] & right[column][b])


def _scatter(n: int, rows: Slots, result: tuple[Levels, Floats]) -> tuple[Levels, Floats]:
    """Levels and frequencies computed on some rows, laid back over all n (no evidence elsewhere)."""
    if len(rows) == n:
        return result
    level = np.full(n, NO_EVIDENCE, dtype=np.int8)
    log_tf = np.full(n, np.nan)
    level[rows], log_tf[rows] = result
    return level, log_tf


def _scatter_levels(n: int, rows: Slots, level: Levels) -> Levels:
    """Levels computed on some rows, laid back over all n (no evidence elsewhere)."""
    if len(rows) == n:
        return level
    result = np.full(n, NO_EVIDENCE, dtype=np.int8)
    result[rows] = level
    return result


def compare_pairs(
    left: RecordColumns, a: Slots, right: RecordColumns, b: Slots, freqs: LogFrequencies
) -> tuple[Levels, Floats]:
    """Every comparison's level for each pair (n x comparisons) and log2 frequencies (n x TF_COMPARISONS)."""
    strings = left.vocabulary.strings
    given_rows = _present(left, a, right, b, "g_present")
    given, given_tf = _scatter(
        len(a),
        given_rows,
        given_levels(
            left,
            a[given_rows],
            right,
            b[given_rows],
            freqs.array("given_name", strings),
            freqs.array("given_set", strings),
        ),
    )
    surname_rows = _present(left, a, right, b, "s_present")
    surname, surname_tf = _scatter(
        len(a),
        surname_rows,
        surname_levels(left, a[surname_rows], right, b[surname_rows], freqs.array("surname", strings)),
    )
    dob_rows = _present(left, a, right, b, "dob_present")
    alias_rows = np.flatnonzero((left["aliases"][a, 0] >= 0) & (right["aliases"][b, 0] >= 0))
    marks, marks_tf = marks_levels(left, a, right, b, freqs.array("mark", strings))
    by_name = {
        "given_names": given,
        "surnames": surname,
        "date_of_birth": _scatter_levels(len(a), dob_rows, date_of_birth_levels(left, a[dob_rows], right, b[dob_rows])),
        "age": age_levels(left, a, right, b),
        "sex": sex_levels(left, a, right, b),
        "curp": curp_levels(left, a, right, b),
        "event_date": event_date_levels(left, a, right, b),
        "place": place_levels(left, a, right, b),
        "height": height_levels(left, a, right, b),
        "marks": marks,
        "aliases": _scatter_levels(len(a), alias_rows, alias_levels(left, a[alias_rows], right, b[alias_rows])),
    }
    levels = np.stack([by_name[name] for name in COMPARISON_NAMES], axis=1)
    return levels, np.stack([given_tf, surname_tf, marks_tf], axis=1)
