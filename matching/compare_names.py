"""Comparisons of names: given names, surnames, phonetic keys and aliases.

Each returns an ordered level, or None when one side has no value (no evidence either way).
"""

from __future__ import annotations

from rapidfuzz.distance import Indel, JaroWinkler

from matching.levels import AliasLevel, GivenNameLevel, SurnameLevel
from matching.names import GivenNames, Surnames

# Jaro-Winkler similarity above which two spellings are taken for a typo of one another.
GIVEN_SIMILAR = 0.92
SURNAME_SIMILAR = 0.88  # Indel similarity: no prefix bonus, so one shared surname is not enough


def given_text(g: GivenNames) -> str:
    """The canonical given names as one string, for spelling similarity."""
    return " ".join(g.canonical)


def surname_text(s: Surnames, swapped: bool = False) -> str:
    """Both surname cores as one string, optionally in swapped order."""
    parts = (s.second, s.first) if swapped else (s.first, s.second)
    return " ".join(p for p in parts if p)


def sounds_alike(a: str, b: str) -> bool:
    """The two phonetic keys are equal and not empty."""
    return bool(a) and a == b


def compare_given_names(a: GivenNames | None, b: GivenNames | None) -> GivenNameLevel | None:
    """The given names agree exactly, through nicknames or abbreviations, in one name, or not."""
    if a is None or b is None:
        return None
    if a.initials_only or b.initials_only:
        shared = a.initials & b.initials
        return GivenNameLevel.INITIAL if shared else GivenNameLevel.DISAGREE
    if set(a.written) == set(b.written):
        return GivenNameLevel.EXACT
    if set(a.canonical) == set(b.canonical):
        return GivenNameLevel.EQUIVALENT
    if a.forms & b.forms:
        return GivenNameLevel.SHARED
    if a.sounds & b.sounds:
        return GivenNameLevel.SIMILAR
    if JaroWinkler.normalized_similarity(given_text(a), given_text(b)) >= GIVEN_SIMILAR:
        return GivenNameLevel.SIMILAR
    return GivenNameLevel.DISAGREE


def _surnames_similar(a: Surnames, b: Surnames) -> bool:
    if a.second and b.second:
        same = sounds_alike(a.first_sound, b.first_sound) and a.second_sound == b.second_sound
        crossed = sounds_alike(a.first_sound, b.second_sound) and a.second_sound == b.first_sound
        if same or crossed:
            return True
    elif not a.second and not b.second:
        if sounds_alike(a.first_sound, b.first_sound):
            return True
    else:
        lone, other = (a, b) if not a.second else (b, a)
        if lone.first_sound in (other.first_sound, other.second_sound):
            return True
    text = surname_text(a)
    return (
        Indel.normalized_similarity(text, surname_text(b)) >= SURNAME_SIMILAR
        or Indel.normalized_similarity(text, surname_text(b, swapped=True)) >= SURNAME_SIMILAR
    )


def compare_surnames(a: Surnames | None, b: Surnames | None) -> SurnameLevel | None:
    """The surnames agree in order, swapped, with one missing, by sound, in one only, or not."""
    if a is None or b is None:
        return None
    if a.first == b.first and a.second == b.second:
        return SurnameLevel.EXACT
    if a.second and b.second and a.first == b.second and a.second == b.first:
        return SurnameLevel.SWAPPED
    if bool(a.second) != bool(b.second):
        lone, other = (a, b) if not a.second else (b, a)
        if lone.first in (other.first, other.second):
            return SurnameLevel.ONE_MISSING
    if _surnames_similar(a, b):
        return SurnameLevel.SIMILAR
    mine = {a.first, a.second} - {""}
    theirs = {b.first, b.second} - {""}
    if mine & theirs:
        return SurnameLevel.ONE_SHARED
    return SurnameLevel.DISAGREE


def compare_aliases(a: frozenset[str], b: frozenset[str]) -> AliasLevel | None:
    """The two records share an alias (no evidence unless both have one)."""
    if not a or not b:
        return None
    return AliasLevel.SAME if a & b else AliasLevel.DISAGREE
