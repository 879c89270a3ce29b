"""A person's body and clothing: height, weight, complexion, skin, hair, eyes, what they wore."""

from __future__ import annotations

import random
from dataclasses import dataclass

from seed.data.demographics import ADULT_BMI, ADULT_HEIGHT, CHILD_BMI, CHILD_HEIGHT
from seed.data.descriptions import (
    BOTTOMS,
    COLOURS,
    COMPLEXIONS_BY_BMI,
    EYE_COLOURS,
    FOOTWEAR,
    HAIR_COLOURS,
    HAIR_LENGTHS_FEMALE,
    HAIR_LENGTHS_MALE,
    HAIR_TEXTURES,
    SKIN_TONES,
    TOPS,
)
from seed.rng import Weighted, chance, choice

_SKIN = Weighted.of(SKIN_TONES)
_EYES = Weighted.of(EYE_COLOURS)
_HAIR_COLOURS = Weighted.of(HAIR_COLOURS)
_HAIR_TEXTURES = Weighted.of(HAIR_TEXTURES)
_HAIR_LENGTHS = {"male": Weighted.of(HAIR_LENGTHS_MALE), "female": Weighted.of(HAIR_LENGTHS_FEMALE)}
SKIN_ORDER = tuple(tone for tone, _ in SKIN_TONES)


@dataclass(frozen=True, slots=True)
class Description:
    """How a person looked when last seen."""

    height_cm: int
    weight_kg: int
    complexion: str
    skin_tone: str
    hair: str
    eye_colour: str
    clothing: str


def _height(rng: random.Random, sex: str, age: int) -> int:
    if age < len(CHILD_HEIGHT[sex]):
        height = CHILD_HEIGHT[sex][age] * rng.gauss(1.0, 0.04)
    else:
        mean, sd = ADULT_HEIGHT[sex]
        height = rng.gauss(mean, sd) - (3 if age >= 65 else 0)
    return max(45, min(205, round(height)))


def _complexion(rng: random.Random, bmi: float) -> str:
    for bound, words in COMPLEXIONS_BY_BMI:
        if bmi < bound:
            return choice(rng, words)
    return COMPLEXIONS_BY_BMI[-1][1][0]


def _hair(rng: random.Random, sex: str, age: int) -> str:
    length = _HAIR_LENGTHS[sex].draw(rng)
    if length == "calvo":
        return "calvo"
    colour = "canoso" if age >= 55 and chance(rng, 0.6) else _HAIR_COLOURS.draw(rng)
    return f"{colour}, {_HAIR_TEXTURES.draw(rng)}, {length}"


def _fitting(options: tuple[tuple[str, int, str], ...]) -> dict[str, tuple[tuple[str, int], ...]]:
    return {
        sex: tuple((noun, form) for noun, form, who in options if who in ("any", sex)) for sex in ("female", "male")
    }


_TOPS, _BOTTOMS, _FOOTWEAR = _fitting(TOPS), _fitting(BOTTOMS), _fitting(FOOTWEAR)
# Only children wear a school uniform.
_ADULT_TOPS = {sex: tuple(t for t in tops if not t[0].startswith("uniforme")) for sex, tops in _TOPS.items()}


def _garment(rng: random.Random, fitting: tuple[tuple[str, int], ...]) -> str:
    noun, form = choice(rng, fitting)
    return f"{noun} {choice(rng, COLOURS)[form]}"


def _clothing(rng: random.Random, sex: str, age: int) -> str:
    top = _garment(rng, _TOPS[sex] if 5 <= age < 18 else _ADULT_TOPS[sex])
    items = [top]
    if not top.startswith(("vestido", "uniforme")):
        items.append(_garment(rng, _BOTTOMS[sex]))
    items.append(_garment(rng, _FOOTWEAR[sex]))
    if chance(rng, 0.15):
        items.append(choice(rng, ("gorra", "cachucha", "mochila", "cadena")) + " " + choice(rng, COLOURS)[1])
    return ", ".join(items)


def draw_description(rng: random.Random, sex: str, age: int) -> Description:
    """Body and clothing of a person of this sex and age."""
    height = _height(rng, sex, age)
    mean_bmi, sd_bmi = ADULT_BMI if age >= 18 else CHILD_BMI
    bmi = max(14.0, min(45.0, rng.gauss(mean_bmi, sd_bmi)))
    weight = max(3, round(bmi * (height / 100) ** 2))
    return Description(
        height_cm=height,
        weight_kg=weight,
        complexion=_complexion(rng, bmi),
        skin_tone=_SKIN.draw(rng),
        hair=_hair(rng, sex, age),
        eye_colour=_EYES.draw(rng),
        clothing=_clothing(rng, sex, age),
    )
