"""Prepared records laid out column-wise (numpy arrays of interned ids) for vectorised scoring.

Every string a comparison tests for equality is interned to an int id, so that comparing
millions of pairs is array arithmetic. Rows are slots: a removed record leaves a dead slot.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

import numpy as np
import numpy.typing as npt

from matching.condition import condition_code
from matching.names import Surnames
from matching.records import PreparedRecord
from matching.states import NEIGHBOURS, STATES

GIVEN_FORMS = 6
GIVEN_SOUNDS = 3
GIVEN_INITIALS = 4
MARK_FEATURES = 12
ALIASES = 3
STATE_INDEX: dict[str, int] = {s.code: i for i, s in enumerate(STATES)}


def _neighbour_matrix() -> npt.NDArray[np.bool_]:
    matrix = np.zeros((len(STATES), len(STATES)), dtype=bool)
    for code, others in NEIGHBOURS.items():
        for other in others:
            matrix[STATE_INDEX[code], STATE_INDEX[other]] = True
    return matrix


NEIGHBOUR_MATRIX = _neighbour_matrix()

IntArray = npt.NDArray[np.int32]


@dataclass
class Vocabulary:
    """Strings interned to dense int ids; id 0 is the empty string."""

    ids: dict[str, int] = field(default_factory=lambda: {"": 0})
    strings: list[str] = field(default_factory=lambda: [""])

    def id(self, text: str) -> int:
        """The id of a string, interning it on first sight."""
        found = self.ids.get(text)
        if found is None:
            found = len(self.strings)
            self.ids[text] = found
            self.strings.append(text)
        return found


_SPEC: dict[str, tuple[Any, int, int]] = {
    # name: (dtype, width (0 = 1-D), fill value)
    "alive": (np.bool_, 0, 0),
    "kind": (np.int8, 0, 0),
    "sex": (np.int8, 0, 0),
    "condition": (np.int8, 0, 0),
    "g_present": (np.bool_, 0, 0),
    "g_written": (np.int32, 0, -1),
    "g_canon": (np.int32, 0, -1),
    "g_forms": (np.int32, GIVEN_FORMS, -1),
    "g_sounds": (np.int32, GIVEN_SOUNDS, -1),
    "g_initials": (np.int32, GIVEN_INITIALS, -1),
    "g_initials_only": (np.bool_, 0, 0),
    "s_present": (np.bool_, 0, 0),
    "s_first": (np.int32, 0, 0),
    "s_second": (np.int32, 0, 0),
    "s_first_sound": (np.int32, 0, 0),
    "s_second_sound": (np.int32, 0, 0),
    "dob_present": (np.bool_, 0, 0),
    "dob": (np.int32, 0, 0),
    "dob_digits": (np.uint8, 8, 0),
    "by_present": (np.bool_, 0, 0),
    "by_lo": (np.int32, 0, 0),
    "by_hi": (np.int32, 0, 0),
    "curp_present": (np.bool_, 0, 0),
    "curp": (np.uint8, 18, 0),
    "event_present": (np.bool_, 0, 0),
    "event": (np.int32, 0, 0),
    "state": (np.int16, 0, -1),
    "municipality": (np.int32, 0, 0),
    "h_present": (np.bool_, 0, 0),
    "h_lo": (np.int32, 0, 0),
    "h_hi": (np.int32, 0, 0),
    "marks": (np.int32, MARK_FEATURES, -1),
    "mark_strength": (np.int8, MARK_FEATURES, 0),
    "aliases": (np.int32, ALIASES, -1),
}
_TEXTS = ("g_text", "s_text", "s_text_swapped")


_SEX_CODES = {"female": 1, "male": 2}
_STRENGTH = itemgetter(1)
_GIVEN_COLUMNS = ("slot", "g_written", "g_canon", "g_forms", "g_sounds", "g_initials", "g_initials_only")
_SURNAME_COLUMNS = ("slot", "s_first", "s_second", "s_first_sound", "s_second_sound")
_FACT_COLUMNS = ("dob", "dob_digits", "by", "curp", "event", "place", "height", "marks", "aliases")


def _pad(values: list[int], width: int) -> list[int]:
    return (values + [-1] * width)[:width]


class RecordColumns:
    """Growable column arrays holding prepared records by slot."""

    def __init__(self, vocabulary: Vocabulary, capacity: int = 1024) -> None:
        self.vocabulary = vocabulary
        self.size = 0
        self.capacity = 0
        self.arrays: dict[str, npt.NDArray[Any]] = {}
        self.texts: dict[str, npt.NDArray[np.object_]] = {}
        # Interned values per distinct given-names display and surnames (names repeat a lot).
        self._given_cache: dict[str, tuple[Any, ...]] = {}
        self._surname_cache: dict[Surnames, tuple[Any, ...]] = {}
        self._grow(max(capacity, 16))

    def _grow(self, capacity: int) -> None:
        for name, (dtype, width, fill) in _SPEC.items():
            shape: tuple[int, ...] = (capacity, width) if width else (capacity,)
            new = np.full(shape, fill, dtype=dtype)
            if name in self.arrays:
                new[: self.capacity] = self.arrays[name][: self.capacity]
            self.arrays[name] = new
        for name in _TEXTS:
            texts = np.full(capacity, "", dtype=object)
            if name in self.texts:
                texts[: self.capacity] = self.texts[name][: self.capacity]
            self.texts[name] = texts
        self.capacity = capacity

    def __getitem__(self, name: str) -> npt.NDArray[Any]:
        return self.arrays[name]

    def append(self, record: PreparedRecord) -> int:
        """Store a record in a new slot and return the slot."""
        if self.size == self.capacity:
            self._grow(self.capacity * 2)
        slot = self.size
        self.size += 1
        self.write(slot, record)
        return slot

    def kill(self, slot: int) -> None:
        """Mark a slot as no longer holding a live record."""
        self.arrays["alive"][slot] = False

    def write(self, slot: int, p: PreparedRecord) -> None:
        """Lay one prepared record's comparable values into a slot."""
        self._write_rows(slot, [p])

    def append_many(self, records: list[PreparedRecord]) -> int:
        """Store records in consecutive new slots and return the first slot."""
        first = self.size
        if first + len(records) > self.capacity:
            self._grow(max(self.capacity * 2, first + len(records)))
        self.size += len(records)
        self._write_rows(first, records)
        return first

    def _write_rows(self, first: int, records: list[PreparedRecord]) -> None:
        """Lay prepared records' comparable values into consecutive slots, column by column."""
        v = self.vocabulary.id
        end = first + len(records)
        a, t = self.arrays, self.texts
        # Slots past `size` hold each column's blank value (see `_grow`): only known values are set.
        a["alive"][first:end] = True
        a["kind"][first:end] = [1 if p.record.kind == "remains" else 0 for p in records]
        normalised = [p.normalised for p in records]
        a["sex"][first:end] = [_SEX_CODES.get(n.sex, 0) for n in normalised]
        a["condition"][first:end] = [condition_code(p.record.condition) for p in records]
        # Rows of values per column group, transposed into columns once at the end.
        given_rows: list[tuple[Any, ...]] = []
        surname_rows: list[tuple[Any, ...]] = []
        facts: dict[str, list[Any]] = {name: [] for name in _FACT_COLUMNS}
        dob_rows, by_rows, curp_rows, event_rows = facts["dob"], facts["by"], facts["curp"], facts["event"]
        place_rows, height_rows, mark_rows, alias_rows = (
            facts["place"],
            facts["height"],
            facts["marks"],
            facts["aliases"],
        )
        g_text: list[str] = []
        s_text: list[str] = []
        s_swapped: list[str] = []
        given_cache, surname_cache = self._given_cache, self._surname_cache
        for slot, p, n in zip(range(first, end), records, normalised, strict=True):
            g = n.given
            if g is not None:
                values = given_cache.get(g.display)
                if values is None:
                    values = given_cache[g.display] = (
                        v(" ".join(sorted(set(g.written)))),
                        v(" ".join(sorted(set(g.canonical)))),
                        _pad([v(f) for f in sorted(g.forms)], GIVEN_FORMS),
                        _pad([v(x) for x in sorted(g.sounds)], GIVEN_SOUNDS),
                        _pad([ord(c) for c in sorted(g.initials)], GIVEN_INITIALS),
                        g.initials_only,
                        " ".join(g.canonical),
                    )
                given_rows.append((slot, *values[:-1]))
                g_text.append(values[-1])
            else:
                g_text.append("")
            sn = n.surnames
            if sn is not None:
                found = surname_cache.get(sn)
                if found is None:
                    found = surname_cache[sn] = (
                        v(sn.first),
                        v(sn.second),
                        v(sn.first_sound),
                        v(sn.second_sound),
                        f"{sn.first} {sn.second}" if sn.second else sn.first,
                        f"{sn.second} {sn.first}" if sn.second else sn.first,
                    )
                surname_rows.append((slot, *found[:4]))
                s_text.append(found[4])
                s_swapped.append(found[5])
            else:
                s_text.append("")
                s_swapped.append("")
            r = p.record
            if r.date_of_birth is not None:
                dob_rows.append((slot, r.date_of_birth))
            if n.birth_years is not None:
                by_rows.append((slot, *n.birth_years))
            if n.curp is not None:
                curp_rows.append((slot, n.curp))
            if r.event_date is not None:
                event_rows.append((slot, r.event_date.toordinal()))
            if n.place is not None:
                place_rows.append((slot, STATE_INDEX.get(n.place[0], -1), v(n.place[1])))
            if n.height is not None:
                height_rows.append((slot, *n.height))
            if n.marks:
                # Strongest first, then by feature (a stable sort keeps the features' order).
                ranked = sorted(sorted(n.marks.items()), key=_STRENGTH, reverse=True)[:MARK_FEATURES]
                strengths = [x for _, x in ranked] + [0] * (MARK_FEATURES - len(ranked))
                mark_rows.append((slot, _pad([v(f) for f, _ in ranked], MARK_FEATURES), strengths))
            if n.aliases:
                alias_rows.append((slot, _pad([v(x) for x in sorted(n.aliases)], ALIASES)))
        t["g_text"][first:end] = g_text
        t["s_text"][first:end] = s_text
        t["s_text_swapped"][first:end] = s_swapped
        for rows, present, names in ((given_rows, "g_present", _GIVEN_COLUMNS), (surname_rows, "s_present",
                                                                                   _SURNAME_COLUMNS)):  # fmt: skip
            if rows:
                columns = list(zip(*rows, strict=True))
                slots = np.asarray(columns[0])
                a[present][slots] = True
                for name, column in zip(names[1:], columns[1:], strict=True):
                    a[name][slots] = np.asarray(column, dtype=a[name].dtype)
        self._write_dates_and_curps(facts)
        self._write_facts(facts)

    def _write_dates_and_curps(self, facts: dict[str, list[Any]]) -> None:
        """Turn the collected dates of birth into ordinals and digits, and CURPs into byte rows."""
        dates = facts.pop("dob")
        facts["dob"] = [(slot, d.toordinal()) for slot, d in dates]
        if dates:
            ymd = np.asarray([(d.year, d.month, d.day) for _, d in dates], dtype=np.int64)
            number = ymd[:, 0] * 10_000 + ymd[:, 1] * 100 + ymd[:, 2]  # YYYYMMDD
            digits = (number[:, None] // 10 ** np.arange(7, -1, -1)) % 10
            facts["dob_digits"] = list(zip((slot for slot, _ in dates), digits.tolist(), strict=True))
        curps = facts.pop("curp")
        if curps:
            raw = b"".join(c.encode("utf-8", "replace")[:18].ljust(18, b"?") for _, c in curps)
            rows = np.frombuffer(raw, dtype=np.uint8).reshape(-1, 18)
            facts["curp"] = list(zip((slot for slot, _ in curps), rows, strict=True))
        else:
            facts["curp"] = []

    def _write_facts(self, facts: dict[str, list[Any]]) -> None:
        a = self.arrays

        def put(kind: str, present: str | None, *names: str) -> None:
            rows = facts[kind]
            if not rows:
                return
            slots = np.asarray([row[0] for row in rows])
            if present is not None:
                a[present][slots] = True
            for i, name in enumerate(names, start=1):
                a[name][slots] = np.asarray([row[i] for row in rows], dtype=a[name].dtype)

        put("dob", "dob_present", "dob")
        put("dob_digits", None, "dob_digits")
        put("by", "by_present", "by_lo", "by_hi")
        put("curp", "curp_present", "curp")
        put("event", "event_present", "event")
        put("place", None, "state", "municipality")
        put("height", "h_present", "h_lo", "h_hi")
        put("marks", None, "marks", "mark_strength")
        put("aliases", None, "aliases")


def value_counts(columns: RecordColumns, slots: npt.NDArray[np.intp]) -> dict[str, tuple[npt.NDArray[np.int64], int]]:
    """Per term-frequency table, how many of these records hold each interned value, and how many were counted.

    Given-name sets count records with a full given name, given names each of their forms,
    surnames each distinct surname, marks each feature (as `estimation.term_frequencies` does).
    """
    size = len(columns.vocabulary.strings)
    a = columns.arrays

    def count(values: npt.NDArray[np.int32]) -> npt.NDArray[np.int64]:
        flat = values[values > 0]
        return np.bincount(flat, minlength=size).astype(np.int64)

    named = slots[a["g_present"][slots] & (a["g_canon"][slots] > 0)]
    surnamed = slots[a["s_present"][slots]]
    first, second = a["s_first"][surnamed], a["s_second"][surnamed]
    marked = slots[a["marks"][slots, 0] >= 0]
    return {
        "given_set": (count(a["g_canon"][named]), len(named)),
        "given_name": (count(a["g_forms"][named]), len(named)),
        "surname": (count(first) + count(np.where(second != first, second, 0)), len(surnamed)),
        "mark": (count(a["marks"][marked]), len(marked)),
    }
