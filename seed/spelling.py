"""How clerks misspell Spanish names: dropped accents, phonetic respellings, typos, shortenings.

Pure string functions that take the random stream they need; `seed.clerk` decides when to call
them, following the rates in `seed.noise`.
"""

from __future__ import annotations

import random
import re

from seed.rng import below, choice, randint

_PARTICLES = frozenset({"de", "del", "la", "las", "los", "y"})

# Sound-alike spellings, each a (pattern, replacement) over upper-case text. Mexican Spanish
# does not tell B from V, S from Z and soft C, Y from LL, and H is silent.
_RESPELLINGS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (r"V", "B"),
        (r"B", "V"),
        (r"LL", "Y"),
        (r"Y(?=[AEIOUÁÉÍÓÚ])", "LL"),
        (r"Z", "S"),
        (r"S(?=[AEIOUÁÉÍÓÚ]|$)", "Z"),
        (r"C(?=[EIÉÍ])", "S"),
        (r"S(?=[EIÉÍ])", "C"),
        (r"G(?=[EIÉÍ])", "J"),
        (r"J(?=[EIÉÍ])", "G"),
        (r"X", "J"),
        (r"^H(?=[AEIOUÁÉÍÓÚ])", ""),
        (r"^(?=[AEIOUÁÉÍÓÚ])", "H"),
        (r"(?<=[AEIOU])Y$", "I"),
        (r"(?<=[AEIOU])I$", "Y"),
        (r"QU(?=[EI])", "K"),
    )
)
# Neighbouring keys on a Spanish keyboard, for substitution typos.
_KEYBOARD_ROWS = ("qwertyuiop", "asdfghjklñ", "zxcvbnm")


def _neighbours_on_keyboard(char: str) -> str:
    lower = char.lower()
    for row_index, row in enumerate(_KEYBOARD_ROWS):
        column = row.find(lower)
        if column < 0:
            continue
        near = row[max(0, column - 1) : column] + row[column + 1 : column + 2]
        for other in (row_index - 1, row_index + 1):
            if 0 <= other < len(_KEYBOARD_ROWS):
                near += _KEYBOARD_ROWS[other][column : column + 1]
        return near
    return "aeiou"


_ACCENTED = "áéíóúüàèìòùÁÉÍÓÚÜÀÈÌÒÙ"
_PLAIN = "aeiouuaeiouAEIOUUAEIOU"
_WITHOUT_ACCENTS = str.maketrans(_ACCENTED, _PLAIN)
_WITHOUT_ACCENTS_OR_ENYE = str.maketrans(_ACCENTED + "ñÑ", _PLAIN + "nN")


def drop_accents(text: str, *, keep_enye: bool = True) -> str:
    """The text without accents or diaeresis; Ñ is kept unless `keep_enye` is False.

    A translation table rather than Unicode decomposition: the generator only writes these
    letters, and this runs for most reports.
    """
    return text.translate(_WITHOUT_ACCENTS if keep_enye else _WITHOUT_ACCENTS_OR_ENYE)


def has_accents(text: str) -> bool:
    """The text has a letter that loses something when accents are dropped (Ñ aside)."""
    return drop_accents(text) != text


def _match_case(original: str, replacement: str) -> str:
    if not original or original.isupper():
        return replacement.upper()
    return replacement.lower() if original.islower() else replacement.capitalize()


def respell(word: str, rng: random.Random) -> str | None:
    """The word respelled as it sounds (one sound changed), or None if no rule fits it."""
    upper = word.upper()
    options = [(p, r) for p, r in _RESPELLINGS if p.search(upper)]
    if not options:
        return None
    pattern, replacement = choice(rng, options)
    matches = list(pattern.finditer(upper))
    match = choice(rng, matches)
    start, end = match.span()
    respelled = upper[:start] + replacement + upper[end:]
    if not respelled or respelled == upper:
        return None
    if word.isupper():
        return respelled
    if word.islower():
        return respelled.lower()
    return respelled.capitalize()


def typo(word: str, rng: random.Random) -> str | None:
    """The word with one slip of the keyboard, or None if it is too short to slip on."""
    if len(word) < 3:
        return None
    position = randint(rng, 1, len(word) - 1) if rng.random() < 0.8 else 0
    kind = below(rng, 4)
    char = word[position]
    if kind == 0:  # a letter left out
        result = word[:position] + word[position + 1 :]
    elif kind == 1:  # a letter typed twice
        result = word[:position] + char + word[position:]
    elif kind == 2 and position + 1 < len(word):  # two letters swapped
        result = word[:position] + word[position + 1] + char + word[position + 2 :]
    else:  # a neighbouring key
        near = choice(rng, _neighbours_on_keyboard(char))
        result = word[:position] + _match_case(char, near) + word[position + 1 :]
    return result if result != word else None


def given_name_units(given_names: str) -> list[str]:
    """The names within the given names, particles kept with the name they introduce.

    "María de los Ángeles" is ["María", "de los Ángeles"]; "Juan Carlos" is ["Juan", "Carlos"].
    """
    units: list[str] = []
    pending: list[str] = []
    for word in given_names.split():
        pending.append(word)
        if word.lower() not in _PARTICLES:
            units.append(" ".join(pending))
            pending = []
    if pending:
        if units:
            units[-1] += " " + " ".join(pending)
        else:
            units.append(" ".join(pending))
    return units


def without_leading_particles(name: str) -> str:
    """The name without the particles it opens with ("de Jesús" is "Jesús")."""
    words = name.split()
    while len(words) > 1 and words[0].lower() in _PARTICLES:
        words.pop(0)
    return " ".join(words)


def abbreviate_first(given_names: str, rng: random.Random) -> str | None:
    """A compound given name with its common first name shortened: "Ma. Guadalupe", "J. Luis"."""
    words = given_names.split()
    if len(words) < 2:
        return None
    first = drop_accents(words[0]).upper()
    if first == "MARIA":
        short = choice(rng, ("Ma.", "Ma.", "Ma", "Ma."))
    elif first in ("JOSE", "JUAN"):
        short = "J."
    else:
        return None
    return " ".join([short, *words[1:]])


def particle_variant(surname: str, rng: random.Random) -> str | None:
    """A surname with particles written another way: "Delacruz", "Cruz", "De La Cruz"."""
    words = surname.split()
    if len(words) < 2 or words[0].lower() not in _PARTICLES:
        return None
    variant = below(rng, 3)
    if variant == 0:
        joined = "".join(words)
        return joined[0].upper() + joined[1:].lower()
    if variant == 1:
        return without_leading_particles(surname)
    return " ".join(w.capitalize() for w in words)


def in_case_of(text: str, typed: str) -> str:
    """The text in the case the clerk typed something else in: capitals, lower case, or as is."""
    if typed.isupper():
        return text.upper()
    return text.lower() if typed.islower() else text
