"""Comparisons of names: given names, surnames, phonetic keys and aliases.

Each returns an ordered level, or None when one side has no value (no evidence either way).
"""

from __future__ import annotations

from functools import lru_cache

from rapidfuzz.distance import OSA, Indel, JaroWinkler

from matching.levels import AliasLevel, GivenNameLevel, SurnameLevel
from matching.names import GivenNames, Surnames

# Jaro-Winkler similarity above which two spellings are taken for a typo of one another.
GIVEN_SIMILAR = 0.92
SURNAME_SIMILAR = 0.88  # Indel similarity: no prefix bonus, so one shared surname is not enough
# Slips of the keyboard a name may carry and still be read as itself (optimal string alignment:
# a letter left out, doubled, replaced or two swapped each count one): one in a surname of up to
# six letters, two in a longer one; none in a name of one or two letters (EK, O).
NAME_SHORT = 6
NAME_MIN_LETTERS = 3


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
    if given_texts_alike(given_text(a), given_text(b)):
        return GivenNameLevel.SIMILAR
    return GivenNameLevel.DISAGREE


@lru_cache(maxsize=500_000)
def given_texts_alike(a: str, b: str) -> bool:
    """Two canonical given names read alike: close as a whole, or one name of each a slip apart.

    "AUL" is RAUL and "AFELY" ARELY (a slip in the first letter, which Jaro-Winkler's prefix
    weighting misses). One slip only, however long the name: brothers named ALBERTO and ROBERTO
    are two slips apart.
    """
    if JaroWinkler.normalized_similarity(a, b) >= GIVEN_SIMILAR:
        return True
    return any(
        slips_allowed(x, y) and OSA.distance(x, y, score_cutoff=1) <= 1 for x in a.split(" ") for y in b.split(" ")
    )


def slips_allowed(a: str, b: str) -> int:
    """How many slips two spellings of one name may differ by: 0, 1 or 2, by the longer's length."""
    if min(len(a), len(b)) < NAME_MIN_LETTERS:
        return 0
    return 1 if max(len(a), len(b)) <= NAME_SHORT else 2


@lru_cache(maxsize=500_000)
def surname_words_alike(a: str, b: str, a_sound: str, b_sound: str) -> bool:
    """Two surname cores are one surname written with a slip or two, in letters or in sound.

    "MARTNIEZ" is MARTINEZ, "VILELGAS" is VILLEGAS and "GARSIA" is GARCIA (a slip in what is
    heard); ROJAS and ROSAS are alike too, and their agreement is then weighed as the level's.
    """
    if not a or not b:
        return False
    if a == b or (a_sound and a_sound == b_sound):
        return True
    allowed = slips_allowed(a, b)
    if not allowed:
        return False
    return (
        OSA.distance(a, b, score_cutoff=allowed) <= allowed
        or OSA.distance(a_sound, b_sound, score_cutoff=allowed) <= allowed
    )


def _words_alike(a: Surnames, b: Surnames) -> bool:
    """Both surnames alike in order or crossed; a lone surname alike either of the other two."""
    ff = surname_words_alike(a.first, b.first, a.first_sound, b.first_sound)
    if a.second and b.second:
        if ff and surname_words_alike(a.second, b.second, a.second_sound, b.second_sound):
            return True
        return surname_words_alike(a.first, b.second, a.first_sound, b.second_sound) and surname_words_alike(
            a.second, b.first, a.second_sound, b.first_sound
        )
    if not a.second and not b.second:
        return ff
    lone, other = (a, b) if not a.second else (b, a)
    return ff or surname_words_alike(lone.first, other.second, lone.first_sound, other.second_sound)


def _surnames_similar(a: Surnames, b: Surnames) -> bool:
    if _words_alike(a, b):
        return True
    # Both surnames typed into one field, or a compound surname split differently.
    text = surname_text(a)
    return (
        Indel.normalized_similarity(text, surname_text(b)) >= SURNAME_SIMILAR
        or Indel.normalized_similarity(text, surname_text(b, swapped=True)) >= SURNAME_SIMILAR
    )


def compare_surnames(a: Surnames | None, b: Surnames | None) -> SurnameLevel | None:
    """The surnames agree in order, swapped, with one missing, by sound or slips, in one only, or not.

    SIMILAR reads both surnames mistyped, a lone surname mistyped, and surnames swapped and
    mistyped: each surname alike its counterpart in letters or in sound (`surname_words_alike`).
    """
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
