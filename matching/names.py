"""Normalised Mexican names: given names as token sets, surnames with their particles.

"Ma. de Jesús" and "MARIA JESUS" give the same canonical tokens; "Chuy" adds JESUS; "J." is an
initial. A surname such as "de la Cruz" stays one surname whose core is "CRUZ".
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from matching.data.vocabulary import GIVEN_NAME_ABBREVIATIONS, NAME_PARTICLES, SURNAME_PARTICLES
from matching.nicknames import canonical_names
from matching.phonetic import word_key
from matching.text import fold


@dataclass(frozen=True, slots=True)
class GivenNames:
    """A person's given names, folded, expanded and reduced to what a comparison needs."""

    display: str  # folded, as written
    written: tuple[str, ...]  # folded words without particles, as written
    canonical: tuple[str, ...]  # abbreviations expanded, nicknames replaced by their usual name
    forms: frozenset[str]  # every name each word may stand for
    sounds: frozenset[str]  # phonetic keys of the canonical names
    initials: frozenset[str]  # first letters of the names and the bare initials written

    @property
    def initials_only(self) -> bool:
        """Only initials were written (\"J.\")."""
        return not self.canonical


@dataclass(frozen=True, slots=True)
class Surnames:
    """A person's two surnames as cores (particles removed) with their phonetic keys."""

    display: str
    first: str  # "" when missing
    second: str
    first_sound: str
    second_sound: str


@lru_cache(maxsize=200_000)
def given_names(text: str | None) -> GivenNames | None:
    """The given names of a record in comparable form, or None when none were written."""
    words = [w for w in fold(text).split(" ") if w and w not in NAME_PARTICLES]
    if not words:
        return None
    canonical: list[str] = []
    forms: set[str] = set()
    initials: set[str] = set()
    for word in words:
        if len(word) == 1:
            initials.add(word)
            continue
        expanded = GIVEN_NAME_ABBREVIATIONS.get(word, word)
        names = canonical_names(expanded)
        for name in names:
            forms.update(name.split(" "))
        for part in names[0].split(" "):
            if part not in canonical:
                canonical.append(part)
    initials.update(name[0] for name in canonical)
    return GivenNames(
        display=fold(text),
        written=tuple(words),
        canonical=tuple(canonical),
        forms=frozenset(forms),
        sounds=frozenset(word_key(n) for n in canonical),
        initials=frozenset(initials),
    )


def surname_core(text: str | None) -> str:
    """A folded surname without its particles: "de la Cruz" becomes "CRUZ"."""
    words = [w for w in fold(text).split(" ") if w]
    kept = [w for w in words if w not in SURNAME_PARTICLES]
    return " ".join(kept or words)


def _sound(core: str) -> str:
    return " ".join(word_key(w) for w in core.split(" ")) if core else ""


@lru_cache(maxsize=200_000)
def surnames(first: str | None, second: str | None) -> Surnames | None:
    """The two surnames in comparable form, or None when neither was written.

    Both surnames typed into the first field ("HERNANDEZ LOPEZ") are split in two when the
    second field is empty and no particle suggests a compound surname.
    """
    first_core, second_core = surname_core(first), surname_core(second)
    if not first_core and second_core:
        first_core, second_core = second_core, ""
    if not first_core:
        return None
    raw_first = fold(first).split(" ")
    if not second_core and len(raw_first) == 2 and not set(raw_first) & SURNAME_PARTICLES:
        first_core, second_core = raw_first
    display = " ".join(p for p in (fold(first), fold(second)) if p)
    return Surnames(display, first_core, second_core, _sound(first_core), _sound(second_core))
