"""Prepared records laid out column-wise (numpy arrays of interned ids) for vectorised scoring.

Every string a comparison tests for equality is interned to an int id, so that comparing
millions of pairs is array arithmetic. Rows are slots: a removed record leaves a dead slot.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

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
        v, a, t = self.vocabulary.id, self.arrays, self.texts
        # Slots are written once, right after `_grow` filled them with each column's blank value.
        a["alive"][slot] = True
        a["kind"][slot] = 1 if p.is_remains else 0
        a["sex"][slot] = {"female": 1, "male": 2}.get(p.sex, 0)
        g = p.given
        t["g_text"][slot] = ""
        if g is not None:
            a["g_present"][slot] = True
            a["g_written"][slot] = v(" ".join(sorted(set(g.written))))
            a["g_canon"][slot] = v(" ".join(sorted(set(g.canonical))))
            a["g_forms"][slot] = _pad([v(f) for f in sorted(g.forms)], GIVEN_FORMS)
            a["g_sounds"][slot] = _pad([v(s) for s in sorted(g.sounds)], GIVEN_SOUNDS)
            a["g_initials"][slot] = _pad([ord(c) for c in sorted(g.initials)], GIVEN_INITIALS)
            a["g_initials_only"][slot] = g.initials_only
            t["g_text"][slot] = " ".join(g.canonical)
        s = p.surnames
        t["s_text"][slot] = t["s_text_swapped"][slot] = ""
        if s is not None:
            a["s_present"][slot] = True
            a["s_first"][slot] = v(s.first)
            a["s_second"][slot] = v(s.second)
            a["s_first_sound"][slot] = v(s.first_sound)
            a["s_second_sound"][slot] = v(s.second_sound)
            t["s_text"][slot] = " ".join(x for x in (s.first, s.second) if x)
            t["s_text_swapped"][slot] = " ".join(x for x in (s.second, s.first) if x)
        dob = p.record.date_of_birth
        if dob is not None:
            a["dob_present"][slot] = True
            a["dob"][slot] = dob.toordinal()
            a["dob_digits"][slot] = [int(c) for c in f"{dob.year:04d}{dob.month:02d}{dob.day:02d}"]
        if p.birth_years is not None:
            a["by_present"][slot] = True
            a["by_lo"][slot], a["by_hi"][slot] = p.birth_years
        if p.curp is not None:
            a["curp_present"][slot] = True
            a["curp"][slot] = list(p.curp.encode("utf-8", "replace")[:18].ljust(18, b"?"))
        if p.record.event_date is not None:
            a["event_present"][slot] = True
            a["event"][slot] = p.record.event_date.toordinal()
        if p.place is not None:
            a["state"][slot] = STATE_INDEX.get(p.place[0], -1)
            a["municipality"][slot] = v(p.place[1])
        if p.height is not None:
            a["h_present"][slot] = True
            a["h_lo"][slot], a["h_hi"][slot] = p.height
        if p.marks:
            ranked = sorted(p.marks.items(), key=lambda kv: (-kv[1], kv[0]))[:MARK_FEATURES]
            a["marks"][slot] = _pad([v(f) for f, _ in ranked], MARK_FEATURES)
            a["mark_strength"][slot] = [s for _, s in ranked] + [0] * (MARK_FEATURES - len(ranked))
        if p.aliases:
            a["aliases"][slot] = _pad([v(x) for x in sorted(p.aliases)], ALIASES)
