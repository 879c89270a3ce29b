"""The CURP (Clave Única de Registro de Población): structure, check digit and consistency.

A CURP encodes its holder's surnames, given name, date of birth, sex and birth state in its
first 16 characters; the 17th tells apart holders who would otherwise share a key (a digit
for births before 2000, a letter from 2000), and the 18th is a check digit over the first 17.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from matching.states import CURP_STATE_CODES
from matching.text import tokens

_ALPHABET = "0123456789ABCDEFGHIJKLMNÑOPQRSTUVWXYZ"
_VALUE = {c: i for i, c in enumerate(_ALPHABET)}
_STRUCTURE = re.compile(
    r"^[A-Z][AEIOUX][A-Z]{2}\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])[HMX]"
    r"[A-Z]{2}[B-DF-HJ-NP-TV-Z]{3}[0-9A-Z]\d$"
)
_VOWELS = frozenset("AEIOU")
# Words that are skipped when they open a surname or a compound given name.
_PARTICLES = frozenset(
    [
        "DA",
        "DAS",
        "DE",
        "DEL",
        "DER",
        "DI",
        "DIE",
        "DD",
        "EL",
        "LA",
        "LOS",
        "LAS",
        "LE",
        "LES",
        "MAC",
        "MC",
        "VAN",
        "VON",
        "Y",
    ]
)
# Given names that give way to the next one when they open a compound given name.
_COMMON_FIRST_GIVEN = frozenset(["MARIA", "MA", "MA.", "M", "JOSE", "J", "J."])
# Four-letter words that RENAPO never issues: the second letter is replaced by X.
_INCONVENIENT = frozenset(
    [
        "BACA",
        "BAKA",
        "BUEI",
        "BUEY",
        "CACA",
        "CACO",
        "CAGA",
        "CAGO",
        "CAKA",
        "CAKO",
        "COGE",
        "COGI",
        "COJA",
        "COJE",
        "COJI",
        "COJO",
        "COLA",
        "CULO",
        "FALO",
        "FETO",
        "GETA",
        "GUEI",
        "GUEY",
        "JETA",
        "JOTO",
        "KACA",
        "KACO",
        "KAGA",
        "KAGO",
        "KAKA",
        "KAKO",
        "KOGE",
        "KOGI",
        "KOJA",
        "KOJE",
        "KOJI",
        "KOJO",
        "KOLA",
        "KULO",
        "LILO",
        "LOCA",
        "LOCO",
        "LOKA",
        "LOKO",
        "MAME",
        "MAMO",
        "MEAR",
        "MEAS",
        "MEON",
        "MIAR",
        "MION",
        "MOCO",
        "MOKO",
        "MULA",
        "MULO",
        "NACA",
        "NACO",
        "PEDA",
        "PEDO",
        "PENE",
        "PIPI",
        "PITO",
        "POPO",
        "PUTA",
        "PUTO",
        "QULO",
        "RATA",
        "ROBA",
        "ROBE",
        "ROBO",
        "RUIN",
        "SENO",
        "TETA",
        "VACA",
        "VAGA",
        "VAGO",
        "VAKA",
        "VUEI",
        "VUEY",
        "WUEI",
        "WUEY",
    ]
)


def check_digit(first17: str) -> str:
    """The check digit that the 17 leading characters of a CURP call for."""
    if len(first17) != 17:
        raise ValueError("a CURP check digit is computed over exactly 17 characters")
    total = sum(_VALUE.get(c, 0) * (18 - i) for i, c in enumerate(first17.upper()))
    return str((10 - total % 10) % 10)


def has_valid_structure(curp: str) -> bool:
    """The CURP has the 18-character shape, a real calendar date and a known birth-state code."""
    curp = curp.upper()
    if not _STRUCTURE.match(curp) or curp[11:13] not in CURP_STATE_CODES:
        return False
    return birth_date(curp) is not None


def is_valid(curp: str | None) -> bool:
    """The CURP is well formed and its check digit is right."""
    if not curp:
        return False
    curp = curp.strip().upper()
    return has_valid_structure(curp) and curp[17] == check_digit(curp[:17])


def birth_date(curp: str) -> date | None:
    """The date of birth a CURP encodes, with the century read from its 17th character."""
    try:
        yy, mm, dd = int(curp[4:6]), int(curp[6:8]), int(curp[8:10])
    except ValueError:
        return None
    century = 2000 if len(curp) > 16 and curp[16].isalpha() else 1900
    try:
        return date(century + yy, mm, dd)
    except ValueError:
        return None


@dataclass(frozen=True, slots=True)
class CurpFacts:
    """What a record says about its holder, in the terms a CURP encodes."""

    given_names: str | None
    first_surname: str | None
    second_surname: str | None
    date_of_birth: date | None
    sex: str | None  # "female", "male" or "unknown"
    birth_state_curp_code: str | None = None


def _significant(words: list[str]) -> list[str]:
    kept = [w for w in words if w not in _PARTICLES]
    return kept or words


def _used_given_name(given_names: str | None) -> str:
    words = _significant(tokens(given_names))
    if len(words) > 1 and words[0] in _COMMON_FIRST_GIVEN:
        return words[1]
    return words[0] if words else ""


def _surname(surname: str | None) -> str:
    words = _significant(tokens(surname))
    return words[0] if words else ""


def _curp_letters(word: str) -> str:
    return word.replace("Ñ", "X")


def _first_internal(word: str, wanted_vowel: bool) -> str:
    for c in word[1:]:
        if (c in _VOWELS) == wanted_vowel and c.isalpha():
            return c
    return "X"


def stem(facts: CurpFacts) -> str | None:
    """The first 16 characters of the CURP that a record's names, birth date, sex and state call for.

    Positions the record cannot supply (an unknown sex or birth state) are "?" so that a
    comparison can skip them. Without a first surname, given name and birth date there is no stem.
    """
    first = _curp_letters(_surname(facts.first_surname))
    second = _curp_letters(_surname(facts.second_surname))
    given = _curp_letters(_used_given_name(facts.given_names))
    if not first or not given or facts.date_of_birth is None:
        return None
    head = first[0] + _first_internal(first, True) + (second[0] if second else "X") + given[0]
    if head in _INCONVENIENT:
        head = head[0] + "X" + head[2:]
    born = facts.date_of_birth.strftime("%y%m%d")
    sex = {"female": "M", "male": "H"}.get(facts.sex or "", "?")
    state = facts.birth_state_curp_code or "??"
    consonants = (
        _first_internal(first, False)
        + (_first_internal(second, False) if second else "X")
        + _first_internal(given, False)
    )
    return head + born + sex + state + consonants


def consistency_problems(curp: str, facts: CurpFacts) -> list[str]:
    """The parts of a CURP that disagree with what the record says (empty when they agree).

    Each entry names the part in words a clerk understands: "surnames", "given name",
    "date of birth", "sex", "birth state".
    """
    expected = stem(facts)
    curp = curp.strip().upper()
    problems: list[str] = []
    if expected is None or len(curp) < 16:
        if facts.date_of_birth is not None and birth_date(curp) not in (None, facts.date_of_birth):
            problems.append("date of birth")
        return problems
    parts = {
        "surnames": ((0, 3), (13, 15)),
        "given name": ((3, 4), (15, 16)),
        "date of birth": ((4, 10),),
        "sex": ((10, 11),),
        "birth state": ((11, 13),),
    }
    for label, spans in parts.items():
        for start, end in spans:
            want, got = expected[start:end], curp[start:end]
            if "?" in want:
                continue
            if want != got:
                problems.append(label)
                break
    if "date of birth" not in problems and facts.date_of_birth is not None:
        decoded = birth_date(curp)
        if decoded is not None and decoded != facts.date_of_birth:
            problems.append("date of birth")
    return problems


def build(facts: CurpFacts, differentiator: str | None = None) -> str | None:
    """A complete, valid CURP for a person, with the differentiator RENAPO would assign by century."""
    prefix = stem(facts)
    if prefix is None or "?" in prefix:
        return None
    assert facts.date_of_birth is not None
    if differentiator is None:
        differentiator = "A" if facts.date_of_birth.year >= 2000 else "0"
    first17 = prefix + differentiator
    return first17 + check_digit(first17)


def distance(a: str, b: str) -> int:
    """How many of the 18 positions differ between two CURPs (a typo is one)."""
    a, b = a.strip().upper(), b.strip().upper()
    if len(a) != len(b):
        return max(len(a), len(b))
    return sum(1 for x, y in zip(a, b, strict=True) if x != y)
