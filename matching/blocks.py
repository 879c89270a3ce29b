"""`BlockTable`: blocking keys held as sorted numpy rows, looked up by key and turned into pairs in bulk.

A record's blocking keys (`blocking.identity_keys`, `blocking.mark_keys`) are hashed (Python's
string hash: stable within a process, which is all an in-memory index needs) and stored as rows
(key hash, parent hash, family, slot) sorted by key hash. A refined key's row carries its coarse
key's hash as parent; a coarse key's parent is 0. Rows added one at a time wait in a small
overlay and are merged in bulk. Rows of removed records stay until the next merge; callers
filter slots by liveness.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable

import numpy as np
import numpy.typing as npt

Hashes = npt.NDArray[np.int64]
Slots = npt.NDArray[np.intp]
Row = tuple[int, int, int, int]  # (key hash, parent hash or 0, family bit, slot)

# Families of keys, as bits, so that a pair remembers which kinds of keys proposed it.
TIME = 1  # E: the same day last seen
NAMES = 2  # P: given-name and surname sounds with a state, birth year or CURP fragment
OTHER = 4  # D, C1–C3: date of birth, CURP
LOOKUP = 8  # G: name sounds by birth band, M: a distinctive mark (looked up, never paired)
MARKS = LOOKUP
NEAR = 16  # N: last seen within a few days, with a name sound
PAIRED = TIME | NAMES | OTHER | NEAR
MERGE_AFTER = 50_000
# Above this many pairs in blocks over the caps, `set_aside` gives their number, not the exact count.
SET_ASIDE_LIMIT = 20_000_000
SMALL_ADD = 1_000
_SLOT_BITS = 29  # slots below 2**29 (over 500 million records)
_FLAG_BITS = 5


# The family of a key by its first part ("E", "N", "P", "G", "M"; any other is OTHER: "D", "C1"…).
FAMILIES: dict[str | int, int] = {
    "E": TIME,
    "EG": NEAR,
    "N": NEAR,
    "P": NAMES,
    "PS": NAMES,
    "PI": NAMES,
    "PG": NAMES,
    "PF": NAMES,
    "PM": NAMES,
    "PY": NAMES,
    "G": LOOKUP,
    "M": LOOKUP,
}


def family(kind: str | int) -> int:
    """The family bit of a blocking key, from its first part ("E", "N", "P", "G", "M", "D", "C1"…)."""
    return FAMILIES.get(kind, OTHER)


class BlockTable:
    """Blocking rows of one kind of record: bulk-sorted arrays plus an overlay of recent rows."""

    def __init__(self) -> None:
        self.keys: Hashes = np.zeros(0, dtype=np.int64)
        self.parents: Hashes = np.zeros(0, dtype=np.int64)
        self.families: npt.NDArray[np.uint8] = np.zeros(0, dtype=np.uint8)
        self.slots: npt.NDArray[np.int32] = np.zeros(0, dtype=np.int32)
        self._pending = array("q")  # flat rows: key, parent, family, slot
        self._pending_members: dict[int, list[int]] = {}
        self._bulk = False  # rows wait that `_pending_members` does not list: merge before lookups

    def __len__(self) -> int:
        return len(self.keys) + len(self._pending) // 4

    def add(self, rows: Iterable[Row]) -> None:
        """Add rows: a few wait in an overlay, many are merged before the next lookup."""
        rows = list(rows)
        for row in rows:
            self._pending.extend(row)
        if len(rows) > SMALL_ADD:
            self._bulk = True
        else:
            members = self._pending_members
            for row in rows:
                found = members.get(row[0])
                if found is None:
                    members[row[0]] = [row[3]]
                else:
                    found.append(row[3])
        if len(self._pending) // 4 >= MERGE_AFTER and not self._bulk:
            self.merge()

    def add_flat(self, rows: list[int]) -> None:
        """Add many rows given flat (key, parent, family, slot, key, …); merged before the next lookup."""
        if not rows:
            return
        if len(rows) // 4 <= SMALL_ADD:
            self.add(tuple(rows[i : i + 4]) for i in range(0, len(rows), 4))  # type: ignore[misc]
            return
        self._pending.extend(rows)
        self._bulk = True

    def _ready(self) -> None:
        if self._bulk:
            self.merge()

    def merge(self, alive: npt.NDArray[np.bool_] | None = None) -> None:
        """Sort waiting rows into the arrays, dropping rows whose slot is no longer alive."""
        if not self._pending and alive is None:
            return
        if self._pending:
            fresh = np.frombuffer(self._pending, dtype=np.int64).reshape(-1, 4)
            keys = np.concatenate([self.keys, fresh[:, 0]])
            parents = np.concatenate([self.parents, fresh[:, 1]])
            families = np.concatenate([self.families, fresh[:, 2].astype(np.uint8)])
            slots = np.concatenate([self.slots, fresh[:, 3].astype(np.int32)])
        else:
            keys, parents, families, slots = self.keys, self.parents, self.families, self.slots
        if alive is not None:
            keep = alive[slots]
            keys, parents, families, slots = keys[keep], parents[keep], families[keep], slots[keep]
        order = np.lexsort((slots, keys))
        keys, parents, families, slots = keys[order], parents[order], families[order], slots[order]
        # A record filing the same key twice (a coarse key over two refined ones) counts once.
        first = np.concatenate([[True], (keys[1:] != keys[:-1]) | (slots[1:] != slots[:-1])])
        self.keys, self.parents = keys[first], parents[first]
        self.families, self.slots = families[first], slots[first]
        self._pending = array("q")
        self._pending_members = {}
        self._bulk = False

    def members(self, key: int) -> Slots:
        """The slots filed under one key hash (dead slots included)."""
        self._ready()
        lo, hi = np.searchsorted(self.keys, (key, key + 1)) if len(self.keys) else (0, 0)
        found = self.slots[lo:hi].astype(np.intp)
        extra = self._pending_members.get(key)
        return np.concatenate([found, np.asarray(extra, dtype=np.intp)]) if extra else found

    def size(self, key: int) -> int:
        """How many rows a key hash has."""
        return len(self.members(key))

    def pairs(
        self, coarse_cap: int, refined_cap: int, alive: npt.NDArray[np.bool_], families: int = PAIRED
    ) -> tuple[Slots, Slots, npt.NDArray[np.uint8]]:
        """Every unordered pair of live slots sharing a usable block, once, with the families that proposed it.

        A coarse block is used when it has at most `coarse_cap` rows; a bigger one is replaced
        by its refined blocks of at most `refined_cap` rows. Only blocks of the `families` asked
        for are paired (name-sound blocks serve lookups: as pairs they add many and find few).
        """
        if self._pending:  # rows of removed records stay (their pairs are dropped below)
            self.merge()
        if len(self.keys) == 0:
            empty = np.zeros(0, dtype=np.intp)
            return empty, empty, np.zeros(0, dtype=np.uint8)
        starts, sizes, usable, _ = self._groups(coarse_cap, refined_cap, families)
        codes = self._pair_codes(starts, sizes, usable)
        if not codes:
            empty = np.zeros(0, dtype=np.intp)
            return empty, empty, np.zeros(0, dtype=np.uint8)
        every = np.sort(np.concatenate(codes))
        pair = every >> _FLAG_BITS
        first = np.flatnonzero(np.concatenate([[True], pair[1:] != pair[:-1]]))
        flags = np.bitwise_or.reduceat((every & ((1 << _FLAG_BITS) - 1)).astype(np.uint8), first)
        pair = pair[first]
        a, b = (pair >> _SLOT_BITS).astype(np.intp), (pair & ((1 << _SLOT_BITS) - 1)).astype(np.intp)
        keep = alive[a] & alive[b]
        return a[keep], b[keep], flags[keep]

    def _groups(
        self, coarse_cap: int, refined_cap: int, families: int
    ) -> tuple[Slots, Slots, npt.NDArray[np.bool_], npt.NDArray[np.bool_]]:
        """Per block: first row, size, whether it is paired, and whether it is a coarse block over the cap."""
        keys, parents, kinds = self.keys, self.parents, self.families
        starts = np.flatnonzero(np.concatenate([[True], keys[1:] != keys[:-1]]))
        sizes = np.diff(np.append(starts, len(keys)))
        group_parent, group_family = parents[starts], kinds[starts]
        coarse = group_parent == 0
        wanted = (group_family & families) > 0
        over = coarse & (sizes > coarse_cap) & wanted
        big = keys[starts[over]]
        usable = (sizes >= 2) & wanted
        usable &= np.where(coarse, sizes <= coarse_cap, (sizes <= refined_cap) & np.isin(group_parent, big))
        return starts, sizes, usable, over

    def _pair_codes(self, starts: Slots, sizes: Slots, chosen_blocks: npt.NDArray[np.bool_]) -> list[Hashes]:
        """Every pair of rows within the chosen blocks, coded (low slot, high slot, family bits)."""
        codes: list[Hashes] = []
        group_family = self.families[starts]
        for size in np.unique(sizes[chosen_blocks]):
            chosen = chosen_blocks & (sizes == size)
            members = self.slots[starts[chosen][:, None] + np.arange(size)].astype(np.int64)
            i, j = np.triu_indices(int(size), k=1)
            low, high = np.minimum(members[:, i], members[:, j]), np.maximum(members[:, i], members[:, j])
            flag = group_family[chosen].astype(np.int64)[:, None]
            codes.append((((low << _SLOT_BITS) | high) << _FLAG_BITS | flag).ravel())
        return codes

    def set_aside(
        self,
        coarse_cap: int,
        refined_cap: int,
        alive: npt.NDArray[np.bool_],
        families: int = PAIRED,
        limit: int = SET_ASIDE_LIMIT,
    ) -> tuple[int, bool]:
        """How many pairs of live slots share a block the caps kept from pairing and no usable block.

        Returns (count, exact). When the blocks over the caps hold more than `limit` pairs between
        them, they are not enumerated: the count is then their number of pairs, an upper bound.
        """
        if self._pending:
            self.merge()
        if len(self.keys) == 0:
            return 0, True
        starts, sizes, _, over = self._groups(coarse_cap, refined_cap, families)
        at_risk = int((sizes[over] * (sizes[over] - 1) // 2).sum())
        if at_risk == 0:
            return 0, True
        if at_risk > limit:
            return at_risk, False
        codes = self._pair_codes(starts, sizes, over)
        pairs = np.unique(np.concatenate(codes) >> _FLAG_BITS)
        a, b = pairs >> _SLOT_BITS, pairs & ((1 << _SLOT_BITS) - 1)
        pairs = pairs[alive[a] & alive[b]]
        found_a, found_b, _ = self.pairs(coarse_cap, refined_cap, alive, families)
        compared = (found_a.astype(np.int64) << _SLOT_BITS) | found_b.astype(np.int64)
        return int((~np.isin(pairs, compared)).sum()), True
