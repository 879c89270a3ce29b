"""Deterministic random streams and weighted choice.

Every record draws from its own `random.Random`, seeded from (dataset seed, stream, indices), so
any person can be regenerated on its own, in any order, without holding the others in memory.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import random
from collections.abc import Sequence
from enum import IntEnum
from typing import Generic, TypeVar

T = TypeVar("T")

_MASK64 = (1 << 64) - 1


class Stream(IntEnum):
    """Independent families of random streams; adding one never shifts the others."""

    UNIT = 1
    PERSON = 2
    CENSUS = 6
    UNLINKED = 3
    NAMESAKES = 4
    FOLIOS = 5
    # The restricted report fields (contacts and case files) came later: streams of their own,
    # so that adding them left every value drawn before unchanged.
    REPORTER = 7  # per report: its carpeta, circumstances, which relative filed it
    RELATIVES = 8  # per relative: name, phone, e-mail, the same in each report they file
    CARPETAS = 9  # per person and registry: the carpeta de investigación's number
    STORIES = 10  # per person (per family when they vanished together): what happened
    # DNA (`registry seed --dna`) came later still, on streams of its own, changing nothing above.
    DNA = 11  # per family unit: the pedigree's genotypes, the references given, kits and dates
    DNA_REMAINS = 12  # per remains of a reported person: sampled or not, degradation, kit
    DNA_UNLINKED = 13  # per remains of someone nobody reported: their genotypes, the same


def _mix(value: int) -> int:
    # splitmix64 finaliser: nearby keys give unrelated seeds.
    value = (value + 0x9E3779B97F4A7C15) & _MASK64
    value = ((value ^ (value >> 30)) * 0xBF58476D1CE4E5B9) & _MASK64
    value = ((value ^ (value >> 27)) * 0x94D049BB133111EB) & _MASK64
    return value ^ (value >> 31)


@functools.lru_cache(maxsize=64)
def _stream_key(seed: int, stream: Stream) -> int:
    return _mix(_mix(seed & _MASK64) ^ int(stream))


def derive(seed: int, stream: Stream, *indices: int) -> random.Random:
    """The random stream of one record, from the dataset seed, its stream and its indices."""
    key = _stream_key(seed, stream)
    for index in indices:
        key = _mix(key ^ (index & _MASK64))
    return random.Random(key)


class HashDice:
    """Coarse uniform numbers straight from a hash of (seed, stream, indices, counter).

    Building a `random.Random` costs more than the handful of numbers a census needs; hashing
    a counter gives them without one, and is as reproducible. Each 64-bit hash yields four
    numbers with a resolution of 1/65536, plenty for the shares a census draws.
    """

    __slots__ = ("_bits", "_counter", "_key", "_left")

    def __init__(self, seed: int, stream: Stream, *indices: int) -> None:
        key = _stream_key(seed, stream)
        for index in indices:
            key = _mix(key ^ (index & _MASK64))
        self._key = key
        self._counter = 0
        self._bits = 0
        self._left = 0

    def random(self) -> float:
        """The next number in [0, 1)."""
        if not self._left:
            self._counter += 1
            self._bits = _mix(self._key ^ self._counter)
            self._left = 4
        self._left -= 1
        value = self._bits & 0xFFFF
        self._bits >>= 16
        return value / 65536.0


class Weighted(Generic[T]):
    """A fixed table of items with weights, drawn in O(log n)."""

    __slots__ = ("_cumulative", "_items", "_size", "_total")

    def __init__(self, items: Sequence[T], weights: Sequence[float]) -> None:
        if len(items) != len(weights) or not items:
            raise ValueError("a weighted table needs one positive weight per item")
        self._items = tuple(items)
        self._size = len(self._items)
        self._cumulative = list(itertools.accumulate(weights))
        self._total = self._cumulative[-1]
        if self._total <= 0:
            raise ValueError("a weighted table needs a positive total weight")

    @classmethod
    def of(cls, pairs: Sequence[tuple[T, float]]) -> Weighted[T]:
        """A table from (item, weight) pairs."""
        return cls([item for item, _ in pairs], [weight for _, weight in pairs])

    def draw(self, rng: random.Random | HashDice) -> T:
        """One item, with probability proportional to its weight."""
        index = bisect.bisect_right(self._cumulative, rng.random() * self._total)
        # random() < 1, so the index is in range unless rounding lands on the total itself.
        return self._items[index] if index < self._size else self._items[-1]

    @property
    def items(self) -> tuple[T, ...]:
        return self._items

    def shares(self) -> list[float]:
        """Each item's chance of being drawn, in the order of `items`."""
        return [(high - low) / self._total for low, high in itertools.pairwise([0.0, *self._cumulative])]


def chance(rng: random.Random | HashDice, probability: float) -> bool:
    """True with the given probability."""
    return rng.random() < probability


def pick(rng: random.Random, items: Sequence[T], weights: Sequence[float]) -> T:
    """One of a short, ad-hoc list of items, with probability proportional to its weight."""
    target = rng.random() * sum(weights)
    for item, weight in zip(items, weights, strict=True):
        target -= weight
        if target < 0:
            return item
    return items[-1]


def randint(rng: random.Random | HashDice, low: int, high: int) -> int:
    """An integer from low to high, both included (one draw; faster than Random.randint)."""
    return low + int(rng.random() * (high - low + 1))


def below(rng: random.Random | HashDice, n: int) -> int:
    """An integer from 0 to n - 1."""
    return int(rng.random() * n)


def choice(rng: random.Random | HashDice, items: Sequence[T]) -> T:
    """One item of a non-empty sequence, evenly (one draw; faster than Random.choice)."""
    return items[int(rng.random() * len(items))]
