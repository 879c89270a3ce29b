"""Text folding shared by every comparison: case, accents, punctuation and spacing."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_NON_LETTER = re.compile(r"[^A-ZÑ ]+")
_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=500_000)
def fold(text: str | None) -> str:
    """The text in upper case with accents, punctuation and repeated spaces removed; Ñ is kept.

    "María  de la Peña-Ruíz" becomes "MARIA DE LA PEÑA RUIZ".
    """
    if not text:
        return ""
    upper = text.upper().replace("Ñ", "\0")
    decomposed = unicodedata.normalize("NFKD", upper)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c)).replace("\0", "Ñ")
    letters = _NON_LETTER.sub(" ", stripped.replace(".", ". "))
    return _SPACES.sub(" ", letters).strip()


def tokens(text: str | None) -> list[str]:
    """The folded words of a text, in order."""
    folded = fold(text)
    return folded.split(" ") if folded else []
