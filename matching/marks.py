"""Distinguishing marks (tattoos, scars, moles…) read from free text into comparable features.

A relative writes "tatuaje de rosa en antebrazo derecho", an examiner "TATUAJE ROSA ANTEBRAZO
DER."; both become the same kind (TATUAJE), motif (ROSA), body part (ANTEBRAZO, region BRAZO)
and side. Items are separated by ";".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from matching.data.vocabulary import (
    BODY_PARTS,
    MARK_ABSENCE,
    MARK_KIND_MOTIFS,
    MARK_KINDS,
    MARK_STOPWORDS,
    MOTIF_SYNONYMS,
    SIDES,
)
from matching.text import fold

GENERIC_KIND = "SEÑA"
_ITEM_SEPARATOR = re.compile(r"[;\n|]+")
_NUMBER = re.compile(r"\d+(?:[-/.]\d+)*")

# How strongly a shared feature ties two descriptions together (see `MarksLevel`).
SAME_MARK, SIMILAR_MARK, SAME_PLACE = 3, 2, 1


@dataclass(frozen=True, slots=True)
class Mark:
    """One described mark: what it is, what it shows, and where."""

    kind: str
    motifs: frozenset[str]
    part: str | None
    region: str | None
    side: str | None


def _motif(word: str) -> str | None:
    if word in MARK_STOPWORDS or len(word) < 3 or word.isdigit():
        return None
    if word in MOTIF_SYNONYMS:
        return MOTIF_SYNONYMS[word]
    if len(word) > 4 and word.endswith("S") and word[:-1] in MOTIF_SYNONYMS:
        return MOTIF_SYNONYMS[word[:-1]]
    return word


# Words between "en" and the body part it introduces: "en la región dorsal", "en cara posterior".
_LOCATION_FILLER = frozenset(["LA", "EL", "LOS", "LAS", "REGION", "ZONA", "CARA", "AMBOS", "AMBAS"])


def _location(words: list[str]) -> int | None:
    """The position of the word that says where the mark is: the first body part after "en",
    else the first body part ("manos orando en el antebrazo" is on the forearm)."""
    first = None
    for i, word in enumerate(words):
        if word not in BODY_PARTS:
            continue
        if first is None:
            first = i
        j = i - 1
        while j >= 0 and words[j] in _LOCATION_FILLER:
            j -= 1
        if j >= 0 and words[j] == "EN":
            return i
    return first


@lru_cache(maxsize=200_000)
def parse_mark(item: str) -> Mark | None:
    """One item of a marks text read into kind, motifs, body part and side (None if empty)."""
    words = [w for w in fold(item).split(" ") if w]
    if not words:
        return None
    where = _location(words)
    kind, absence, part, region, side = None, None, None, None, None
    if where is not None:
        part, region = BODY_PARTS[words[where]]
    motifs: set[str] = set()
    for i, word in enumerate(words):
        if word in MARK_KINDS:
            kind = kind or MARK_KINDS[word]
        elif word in MARK_KIND_MOTIFS:
            word_kind, motif = MARK_KIND_MOTIFS[word]
            kind = kind or word_kind
            motifs.add(motif)
        elif word in MARK_ABSENCE:
            absence = absence or MARK_ABSENCE[word]
            motifs.add("AUSENTE")
        elif word in BODY_PARTS:
            continue  # the location, or a part named in the motif ("manos orando"): not compared
        elif word in SIDES:
            if i > (where or 0):
                side = side or SIDES[word]
        elif read := _motif(word):
            motifs.add(read)
    kind = kind or absence
    if kind == "DENTAL" and part is None:  # teeth are in the mouth whether or not it is written
        part, region = BODY_PARTS["BOCA"]
    if kind == "TATUAJE":  # a number or a date in a tattoo is its text ("13", "06-11-1987"); elsewhere a size
        motifs.update("#" + "".join(c for c in number if c.isdigit()) for number in _NUMBER.findall(item))
    if kind is None and part is None and not motifs:
        return None
    return Mark(kind or GENERIC_KIND, frozenset(motifs), part, region, side)


@lru_cache(maxsize=100_000)
def parse_marks(text: str | None) -> tuple[Mark, ...]:
    """Every mark a free-text description lists, in order."""
    if not text:
        return ()
    parsed = (parse_mark(item) for item in _ITEM_SEPARATOR.split(text))
    return tuple(m for m in parsed if m is not None)


@lru_cache(maxsize=100_000)
def mark_features(text: str | None) -> dict[str, int]:
    """The comparable features of a marks text, each with how strongly sharing it ties two people.

    "TATUAJE|ROSA|BRAZO" (kind, motif and region) is a SAME_MARK feature, "TATUAJE|ROSA" and
    "TATUAJE@ANTEBRAZO|DER" are SIMILAR_MARK, "TATUAJE@BRAZO" is SAME_PLACE.
    """
    features: dict[str, int] = {}

    def put(feature: str, strength: int) -> None:
        features[feature] = max(strength, features.get(feature, 0))

    for mark in parse_marks(text):
        kind = mark.kind
        for motif in mark.motifs:
            put(f"{kind}|{motif}", SIMILAR_MARK)
            if mark.region:
                put(f"{kind}|{motif}|{mark.region}", SAME_MARK)
        if mark.part:
            # Without a motif, the part (and side) is all that tells two marks of a kind apart.
            at = f"{kind}@{mark.part}|{mark.side}" if mark.side else f"{kind}@{mark.part}"
            put(at, SIMILAR_MARK if mark.motifs else SAME_MARK)
            put(f"{kind}@{mark.region}", SAME_PLACE)
    return features
