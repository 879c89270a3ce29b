"""Distinguishing marks: what a person truly bears, and how a relative or an examiner words it.

A `Mark` holds the facts (kind, body part, side, what it shows). A report or a forensic record
does not copy it: it words it, sometimes vaguely ("brazo" for "antebrazo"), sometimes with the
wrong side, in the register of whoever wrote it.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from typing import NamedTuple

from seed.data.given_names import FEMALE_GIVEN_NAMES, MALE_GIVEN_NAMES
from seed.data.marks import (
    AMPUTATIONS,
    BODY_PARTS,
    EXTRA_PARTS,
    FORENSIC_BODY_PART,
    IMPLANTS,
    MARK_COUNTS_FEMALE,
    MARK_COUNTS_MALE,
    MARK_KINDS,
    MOLE_PARTS,
    OTHER_MARKS,
    SCAR_CAUSES,
    SCAR_PARTS,
    TATTOO_FIGURES,
    TATTOO_PHRASES,
    TATTOO_TEXT_KINDS,
)
from seed.rng import Weighted, chance, choice, pick, randint

SIDES = ("left", "right")
_PART_FORMS: dict[str, tuple[bool, bool]] = {
    name: (feminine, sided) for name, feminine, sided, _ in BODY_PARTS
} | EXTRA_PARTS
_TATTOO_PARTS = Weighted([p[0] for p in BODY_PARTS], [p[3] for p in BODY_PARTS])
_KINDS = Weighted.of(MARK_KINDS)
_COUNTS = {
    "male": Weighted(range(len(MARK_COUNTS_MALE)), MARK_COUNTS_MALE),
    "female": Weighted(range(len(MARK_COUNTS_FEMALE)), MARK_COUNTS_FEMALE),
}
_TEXT_KINDS = Weighted.of(TATTOO_TEXT_KINDS)
_SCAR_CAUSES = Weighted([c[:2] for c in SCAR_CAUSES[:-1]], [c[2] for c in SCAR_CAUSES[:-1]])
_CAESAREAN = SCAR_CAUSES[-1][:2]
_AMPUTATIONS = Weighted([a[:3] for a in AMPUTATIONS], [a[3] for a in AMPUTATIONS])
_OTHER = Weighted([o[:3] for o in OTHER_MARKS], [o[3] for o in OTHER_MARKS])
_TATTOO_NAMES = tuple(name.split()[0] for name, _ in FEMALE_GIVEN_NAMES[:60] + MALE_GIVEN_NAMES[:40])


class Mark(NamedTuple):
    """One distinguishing mark as it truly is.

    `plain` is what it is in a relative's words ("tatuaje de rosa"); `forensic_noun` and
    `forensic_detail` are an examiner's ("TATUAJE", "CON FIGURA DE ROSA"). `visible_in_bones`
    says whether it survives skeletonisation (implants, amputations).
    """

    kind: str  # tattoo | scar | mole | amputation | implant | other
    body_part: str
    side: str  # left | right | centre | ""
    plain: str
    forensic_noun: str
    forensic_detail: str
    visible_in_bones: bool = False


def _side_for(part: str, rng: random.Random) -> str:
    sided = _PART_FORMS.get(part, (False, False))[1]
    return choice(rng, SIDES) if sided else "centre"


def _side_word(part: str, side: str, *, upper: bool = False) -> str:
    """The Spanish adjective for a side, agreeing with the body part ("mano derecha")."""
    if side not in SIDES:
        return ""
    feminine = _PART_FORMS.get(part, (False, False))[0] or part.endswith("a")
    word = {"left": "izquierd", "right": "derech"}[side] + ("a" if feminine else "o")
    return word.upper() if upper else word


def _tattoo(rng: random.Random, sex: str) -> Mark:
    part = _TATTOO_PARTS.draw(rng)
    side = _side_for(part, rng)
    if chance(rng, 0.3):
        text_kind = _TEXT_KINDS.draw(rng)
        if text_kind == "nombre":
            text = choice(rng, _TATTOO_NAMES)
            plain, detail = f"tatuaje con el nombre {text}", f"CON LA LEYENDA {text.upper()}"
        elif text_kind == "letras":
            text = choice(rng, "AJMLGRSCEDVK") + choice(rng, "AJMLGRSCEDVK")
            plain, detail = f"tatuaje de letras {text}", f"CON LAS LETRAS {text}"
        elif text_kind == "fecha":
            text = f"{randint(rng, 1, 28):02d}-{randint(rng, 1, 12):02d}-{randint(rng, 1985, 2022)}"
            plain, detail = f"tatuaje con la fecha {text}", f"CON LA LEYENDA {text}"
        else:
            text = choice(rng, TATTOO_PHRASES)
            plain, detail = f"tatuaje que dice {text.lower()}", f"CON LA LEYENDA {text}"
    else:
        figures = [f for f in TATTOO_FIGURES if f[3] in ("any", sex)]
        figure = pick(rng, figures, [f[2] for f in figures])
        plain, detail = f"tatuaje de {figure[0]}", f"CON FIGURA DE {figure[1]}"
    if chance(rng, 0.15):
        plain += " a color"
        detail += " POLICROMO"
    return Mark("tattoo", part, side, plain, "TATUAJE", detail)


def _scar(rng: random.Random, sex: str) -> Mark:
    if sex == "female" and chance(rng, 0.15):
        plain_cause, forensic_cause = _CAESAREAN
        part = "abdomen"
    else:
        plain_cause, forensic_cause = _SCAR_CAUSES.draw(rng)
        part = choice(rng, SCAR_PARTS)
    length = randint(rng, 2, 20)
    return Mark(
        "scar",
        part,
        _side_for(part, rng),
        f"cicatriz {plain_cause} de {length} cm",
        "CICATRIZ",
        f"{forensic_cause} DE {length} CM",
    )


def _mole(rng: random.Random) -> Mark:
    part = choice(rng, MOLE_PARTS)
    big = chance(rng, 0.4)
    return Mark(
        "mole",
        part,
        _side_for(part, rng),
        "lunar grande" if big else "lunar",
        "NEVO",
        "DE 1 CM" if big else "",
    )


def _amputation(rng: random.Random) -> Mark:
    plain, forensic, part = _AMPUTATIONS.draw(rng)
    return Mark("amputation", part, _side_for(part, rng), plain, forensic, "", True)


def _implant(rng: random.Random, sex: str) -> Mark:
    options = [i for i in IMPLANTS if sex == "female" or i[2] != "pecho"]
    plain, forensic, part, _ = pick(rng, options, [o[3] for o in options])
    return Mark("implant", part, _side_for(part, rng), plain, forensic, "", True)


def _other(rng: random.Random) -> Mark:
    plain, forensic, part = _OTHER.draw(rng)
    return Mark("other", part, _side_for(part, rng), plain, forensic, "", part == "boca")


def draw_marks(rng: random.Random, sex: str, age: int) -> tuple[Mark, ...]:
    """The marks a person bears, by sex and age: children rarely have tattoos."""
    count = _COUNTS.get(sex, _COUNTS["male"]).draw(rng)
    if age < 15:
        count = min(count, 1)
    marks: list[Mark] = []
    for _ in range(count):
        kind = _KINDS.draw(rng)
        if kind == "tattoo" and age < 15:
            kind = "scar"
        if kind == "tattoo":
            marks.append(_tattoo(rng, sex))
        elif kind == "scar":
            marks.append(_scar(rng, sex))
        elif kind == "mole":
            marks.append(_mole(rng))
        elif kind == "amputation":
            marks.append(_amputation(rng))
        elif kind == "implant":
            marks.append(_implant(rng, sex))
        else:
            marks.append(_other(rng))
    return tuple(marks)


class WrittenMark(NamedTuple):
    """A mark as one record words it: its body part and side as written, and the sentence."""

    kind: str
    body_part: str
    side: str
    description: str


def _article(part: str) -> str:
    feminine = _PART_FORMS.get(part, (False, False))[0]
    if part.startswith("dedos"):
        return "los"
    return "la" if feminine else "el"


def plain_wording(kind: str, plain: str, part: str, side: str, style: int) -> str:
    """A relative's or clerk's sentence for a mark, in one of a few house styles."""
    side_word = _side_word(part, side)
    where = f"{part} {side_word}".strip()
    if style == 0:
        return f"{plain[0].upper()}{plain[1:]} en {where}"
    if style == 1:
        return f"{where}: {plain}"
    if style == 2:
        return f"{plain} en {_article(part)} {where}"
    return f"{plain} en {where}".upper()


def forensic_wording(mark: Mark, side: str) -> str:
    """An examiner's sentence: "TATUAJE EN ANTEBRAZO DERECHO CON FIGURA DE ROSA"."""
    part = FORENSIC_BODY_PART.get(mark.body_part, mark.body_part.upper())
    side_word = _side_word(mark.body_part, side, upper=True)
    where = f"{part} {side_word}".strip()
    sentence = f"{mark.forensic_noun} EN {where}"
    return f"{sentence} {mark.forensic_detail}" if mark.forensic_detail else sentence


def to_json(marks: list[WrittenMark]) -> str:
    """The structured marks of a record as a JSON list ("" when there are none).

    Written by hand, byte-for-byte what `json.dumps(..., ensure_ascii=False)` gives, because
    it runs for every record and `json.dumps` costs more than the rest of a mark's wording.
    """
    if not marks:
        return ""
    items = [
        f'{{"kind": {_quote(m.kind)}, "body_part": {_quote(m.body_part)}, "side": {_quote(m.side)}, '
        f'"description": {_quote(m.description)}}}'
        for m in marks
    ]
    return "[" + ", ".join(items) + "]"


_quote: Callable[[str], str] = json.encoder.encode_basestring
