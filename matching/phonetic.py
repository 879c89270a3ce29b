"""A phonetic key for Mexican-Spanish names: spellings that sound alike get the same key.

B=V, LL=Y, S=Z=C before E/I, C before A/O/U=K=QU, G before E/I=J, X=J between vowels (MEXIA,
XIMENA), X=S before a consonant or in Nahuatl openings (XOCHITL, TLAXCALA), silent H, Ñ=N, and
doubled letters collapsed.
"""

from __future__ import annotations

from functools import lru_cache

from matching.text import fold

_VOWELS = frozenset("AEIOU")
_FRONT = frozenset("EI")
# Nahuatl openings where X is read as S/SH, unlike XIMENA or XAVIER where it is J.
_NAHUATL_X = ("XO", "XA", "XU", "XI", "XC", "XT")
_SPANISH_X_J = ("XIMEN", "XAVIER", "XAVIE", "XIMENA", "XIMENEZ", "XIMENES")


def _x_sound(word: str, i: int) -> str:
    nxt = word[i + 1] if i + 1 < len(word) else ""
    if i == 0:
        if word.startswith(_SPANISH_X_J):
            return "J"
        return "S" if word.startswith(_NAHUATL_X) else "J"
    if nxt and nxt not in _VOWELS:
        return "S"
    if "TL" in word or "CH" in word:
        return "S"
    return "J"


@lru_cache(maxsize=200_000)
def word_key(word: str) -> str:
    """The sound of one folded word, written so that Mexican-Spanish homophones coincide."""
    w = word.replace("Ñ", "N").replace("Ü", "U")
    out: list[str] = []
    i, n = 0, len(w)
    while i < n:
        c = w[i]
        nxt = w[i + 1] if i + 1 < n else ""
        after = w[i + 2] if i + 2 < n else ""
        if c == "H":
            sound = ""
        elif c == "C":
            if nxt == "H":
                sound, i = "C", i + 1  # CH keeps its own sound; lone C never yields "C"
            elif nxt in _FRONT:
                sound = "S"
            elif nxt == "C":
                sound = "K"  # ACCION: the first C is K, the second decides by itself
            else:
                sound = "K"
        elif c == "Q":
            sound = "K"
            if nxt == "U":
                i += 1
        elif c == "K":
            sound = "K"
        elif c == "G":
            if nxt in _FRONT:
                sound = "J"
            elif nxt == "U" and after in _FRONT:
                sound, i = "G", i + 1  # GUE, GUI: the U is silent
            else:
                sound = "G"
        elif c == "J":
            sound = "J"
        elif c == "X":
            sound = _x_sound(w, i)
        elif c in "ZS":
            sound = "S"
        elif c == "V":
            sound = "B"
        elif c == "W":
            sound = "U"
        elif c == "L" and nxt == "L":
            sound, i = "Y", i + 1
        elif c == "Y":
            sound = "Y" if nxt in _VOWELS else "I"
        else:
            sound = c
        if sound and not (out and out[-1] == sound):
            out.append(sound)
        i += 1
    return "".join(out)


def key(text: str | None) -> str:
    """The phonetic key of a name: each folded word's sound, space separated."""
    return " ".join(word_key(w) for w in fold(text).split(" ") if w)
