"""Text folding shared by every comparison: case, accents, punctuation and spacing."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_NON_LETTER = re.compile(r"[^A-ZÑ ]+")
_SPACES = re.compile(r"\s+")
# Unicode's combining marks (accents left behind by NFKD decomposition).
_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


@lru_cache(maxsize=500_000)
def fold(text: str | None) -> str:
    """The text in upper case with accents, punctuation and repeated spaces removed; Ñ is kept.

    "María  de la Peña-Ruíz" becomes "MARIA DE LA PEÑA RUIZ".
    """
    if not text:
        return ""
    upper = text.upper()
    if not upper.isascii():  # most text is plain ASCII: decomposing it would change nothing
        decomposed = unicodedata.normalize("NFKD", upper.replace("Ñ", "\0"))
        upper = _COMBINING.sub("", decomposed).replace("\0", "Ñ")
    letters = _NON_LETTER.sub(" ", upper.replace(".", ". "))
    return _SPACES.sub(" ", letters).strip()


def tokens(text: str | None) -> list[str]:
    """The folded words of a text, in order."""
    folded = fold(text)
    return folded.split(" ") if folded else []
