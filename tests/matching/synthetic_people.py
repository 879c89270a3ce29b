"""A small, seeded generator of realistic Mexican reports, their noisy duplicates and remains.

Used by the matching tests and benchmarks; it does not depend on seed/.
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, timedelta

from matching.curp import CurpFacts, build
from matching.records import MatchRecord
from matching.states import NEIGHBOURS, STATES

SURNAMES = [
    "HERNANDEZ",
    "GARCIA",
    "MARTINEZ",
    "LOPEZ",
    "GONZALEZ",
    "RODRIGUEZ",
    "PEREZ",
    "SANCHEZ",
    "RAMIREZ",
    "CRUZ",
    "FLORES",
    "GOMEZ",
    "MORALES",
    "VAZQUEZ",
    "REYES",
    "JIMENEZ",
    "TORRES",
    "DIAZ",
    "GUTIERREZ",
    "RUIZ",
    "MENDOZA",
    "AGUILAR",
    "ORTIZ",
    "MORENO",
    "CASTILLO",
    "ROMERO",
    "ALVAREZ",
    "MENDEZ",
    "CHAVEZ",
    "RIVERA",
    "JUAREZ",
    "RAMOS",
    "DOMINGUEZ",
    "HERRERA",
    "MEDINA",
    "CASTRO",
    "VARGAS",
    "GUZMAN",
    "VELAZQUEZ",
    "MUÑOZ",
    "ROJAS",
    "DE_LA_CRUZ",
    "CONTRERAS",
    "SALAZAR",
    "LUNA",
    "ORTEGA",
    "SANTIAGO",
    "GUERRERO",
    "BAUTISTA",
    "ESTRADA",
    "CORTES",
    "ESPINOZA",
    "CERVANTES",
    "LARA",
    "AVILA",
    "VEGA",
    "CAMPOS",
    "SILVA",
    "RIOS",
    "SOTO",
    "DELGADO",
    "CARRILLO",
    "CABRERA",
    "ACOSTA",
    "SOLIS",
    "MEJIA",
    "VILLANUEVA",
    "ZAVALA",
    "NAVARRO",
    "IBARRA",
    "XOLALPA",
    "XICOTENCATL",
    "CUAUHTLE",
    "TZOMPANTZI",
    "QUETZAL",
    "HUITRON",
    "ZEPEDA",
    "BECERRA",
    "VILLEGAS",
    "QUIROZ",
    "YAÑEZ",
    "LLAMAS",
    "GALLEGOS",
    "VALDEZ",
    "BELTRAN",
    "OCHOA",
]
MALE = [
    "JOSE",
    "JUAN",
    "LUIS",
    "CARLOS",
    "JESUS",
    "MIGUEL",
    "FRANCISCO",
    "ANTONIO",
    "ALEJANDRO",
    "PEDRO",
    "MANUEL",
    "RICARDO",
    "ROBERTO",
    "FERNANDO",
    "JORGE",
    "EDUARDO",
    "SALVADOR",
    "GUILLERMO",
    "IGNACIO",
    "ENRIQUE",
    "RAFAEL",
    "GERARDO",
    "ARTURO",
    "SERGIO",
    "DANIEL",
    "HECTOR",
    "JAVIER",
    "RAUL",
    "ALBERTO",
    "VICENTE",
    "GUSTAVO",
    "ALFONSO",
    "GREGORIO",
    "LORENZO",
    "MOISES",
    "ADOLFO",
]
FEMALE = [
    "MARIA",
    "GUADALUPE",
    "JUANA",
    "ROSA",
    "ANA",
    "PATRICIA",
    "LETICIA",
    "TERESA",
    "ELIZABETH",
    "GABRIELA",
    "SUSANA",
    "VERONICA",
    "DOLORES",
    "MERCEDES",
    "ROSARIO",
    "CONCEPCION",
    "GRACIELA",
    "ISABEL",
    "SOLEDAD",
    "YOLANDA",
    "MARTHA",
    "ALEJANDRA",
    "LAURA",
    "NATALIA",
    "VICTORIA",
    "PILAR",
    "ROCIO",
    "XOCHITL",
    "XIMENA",
    "ITZEL",
    "CARMEN",
]
NICKNAMES = {
    "JOSE": "PEPE",
    "JESUS": "CHUY",
    "FRANCISCO": "PACO",
    "GUILLERMO": "MEMO",
    "EDUARDO": "LALO",
    "IGNACIO": "NACHO",
    "ANTONIO": "TOÑO",
    "ROBERTO": "BETO",
    "SALVADOR": "CHAVA",
    "GUADALUPE": "LUPE",
    "DOLORES": "LOLA",
    "MERCEDES": "MECHE",
    "ROSARIO": "CHAYO",
    "CONCEPCION": "CONCHITA",
    "ENRIQUE": "QUIQUE",
    "TERESA": "TERE",
    "LETICIA": "LETY",
    "PATRICIA": "PATY",
    "GABRIELA": "GABY",
}
MOTIFS = ("ROSA", "CALAVERA", "VIRGEN", "CORAZON", "ESTRELLA", "DRAGON", "AGUILA", "MARIPOSA", "CRUZ", "LOBO")
PARTS = ("ANTEBRAZO", "BRAZO", "ESPALDA", "PECHO", "MANO", "PIERNA", "CUELLO", "HOMBRO", "PANTORRILLA")
SPELLINGS = (("V", "B"), ("B", "V"), ("Z", "S"), ("S", "Z"), ("LL", "Y"), ("Y", "LL"), ("J", "G"), ("CE", "SE"))


def _surname(rng: random.Random) -> str:
    if rng.random() < 0.15:
        syll = ["XO", "LAL", "PA", "TZI", "HUE", "CA", "MI", "TLA", "QUI", "NO", "RRE", "ZA", "BE"]
        return "".join(rng.choice(syll) for _ in range(rng.randint(2, 4)))
    weights = [1 / (i + 1) ** 0.9 for i in range(len(SURNAMES))]
    return rng.choices(SURNAMES, weights)[0].replace("_", " ")


def _given(rng: random.Random, sex: str) -> str:
    names = MALE if sex == "male" else FEMALE
    weights = [1 / (i + 1) ** 0.7 for i in range(len(names))]
    first = rng.choices(names, weights)[0]
    if rng.random() < 0.35:
        second = rng.choices(names, weights)[0]
        if second != first:
            return f"{first} {second}"
    return first


def _marks(rng: random.Random) -> str | None:
    if rng.random() < 0.45:
        return None
    items = []
    for _ in range(rng.randint(1, 2)):
        side = rng.choice(("derecho", "izquierdo"))
        if rng.random() < 0.7:
            items.append(f"tatuaje de {rng.choice(MOTIFS).lower()} en {rng.choice(PARTS).lower()} {side}")
        else:
            items.append(f"cicatriz en {rng.choice(PARTS).lower()} {side}")
    return "; ".join(items)


def person(rng: random.Random, key: str) -> MatchRecord:
    """A clean report of a fictitious person."""
    sex = rng.choice(("female", "male"))
    dob = date(1955, 1, 1) + timedelta(days=rng.randint(0, 365 * 50))
    seen = date(2008, 1, 1) + timedelta(days=rng.randint(0, 365 * 16))
    first, second, given = _surname(rng), _surname(rng), _given(rng, sex)
    state = rng.choice(STATES).code
    curp = None
    if rng.random() < 0.5:
        facts = CurpFacts(given, first, second, dob, sex, "DF")
        curp = build(facts)
    return MatchRecord(
        key=key,
        kind="report",
        source=state,
        given_names=given,
        first_surname=first,
        second_surname=second,
        sex=sex,  # type: ignore[arg-type]
        date_of_birth=dob,
        curp=curp,
        event_date=seen,
        state=state,
        municipality=f"MUNICIPIO {rng.randint(1, 40)}",
        height_cm=int(rng.gauss(168 if sex == "male" else 157, 7)) if rng.random() < 0.8 else None,
        marks=_marks(rng),
    )


def _typo(rng: random.Random, word: str) -> str:
    if len(word) < 4:
        return word
    i = rng.randint(1, len(word) - 2)
    choice = rng.random()
    if choice < 0.4:
        return word[:i] + word[i + 1 :]
    if choice < 0.7:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    return word[:i] + rng.choice("AEIOURNSLT") + word[i + 1 :]


def _respell(rng: random.Random, word: str) -> str:
    for old, new in rng.sample(SPELLINGS, len(SPELLINGS)):
        if old in word:
            return word.replace(old, new, 1)
    return "H" + word if word[0] in "AEIOU" else word


def _age(dob: date, on: date) -> int:
    return on.year - dob.year - ((on.month, on.day) < (dob.month, dob.day))


def duplicate(rng: random.Random, r: MatchRecord, key: str) -> MatchRecord:
    """Another registry's report of the same person, with typical noise."""
    given, first, second = r.given_names or "", r.first_surname or "", r.second_surname
    words = given.split()
    roll = rng.random
    if len(words) > 1 and roll() < 0.3:
        words = [rng.choice(words)]
    if roll() < 0.15 and words[0] in NICKNAMES:
        words[0] = NICKNAMES[words[0]]
    if roll() < 0.1 and words[0] == "MARIA":
        words[0] = "MA."
    given = " ".join(words)
    if roll() < 0.12:
        first = _typo(rng, first)
    if roll() < 0.15:
        first = _respell(rng, first)
    if roll() < 0.15:
        given = _respell(rng, given)
    if roll() < 0.15 and second:
        first, second = second, first
    if roll() < 0.15:
        second = None
    if roll() < 0.5:
        given, first = given.title(), first.title()
    dob: date | None = r.date_of_birth
    age = None
    assert dob is not None
    if roll() < 0.2:
        age, dob = (_age(dob, r.event_date) if r.event_date else None), None
    elif roll() < 0.1 and dob.day <= 12:
        dob = date(dob.year, dob.day, dob.month)
    elif roll() < 0.1:
        dob = date(dob.year + rng.choice((-1, 1)), dob.month, min(dob.day, 28))
    curp = r.curp if roll() < 0.6 else None
    if curp and roll() < 0.2:
        i = rng.randint(0, 16)
        curp = curp[:i] + ("X" if curp[i] != "X" else "Y") + curp[i + 1 :]
    state = r.state
    if roll() < 0.25 and state:
        state = rng.choice(sorted(NEIGHBOURS[state]) or [state])
    seen = r.event_date + timedelta(days=rng.randint(-3, 3)) if r.event_date else None
    height = r.height_cm + rng.randint(-3, 3) if r.height_cm and roll() < 0.8 else None
    marks = r.marks.upper().replace("DERECHO", "DER.").replace("IZQUIERDO", "IZQ.") if r.marks else None
    return replace(
        r,
        key=key,
        given_names=given,
        first_surname=first,
        second_surname=second,
        date_of_birth=dob,
        age_years=age,
        curp=curp,
        state=state,
        event_date=seen,
        height_cm=height,
        marks=marks if roll() < 0.8 else None,
        source=state or "",
    )


def remains_of(rng: random.Random, r: MatchRecord, key: str) -> MatchRecord:
    """Unidentified remains of the reported person, as an examiner would record them."""
    assert r.date_of_birth is not None
    assert r.event_date is not None
    found = r.event_date + timedelta(days=int(rng.expovariate(1 / 300)))
    age = _age(r.date_of_birth, found) + rng.randint(-4, 4)
    height = (r.height_cm or 165) + rng.randint(-4, 4)
    state = r.state
    if roll_state := rng.random() < 0.3 and state:
        state = rng.choice(sorted(NEIGHBOURS[state]) or [state])
    del roll_state
    marks = None
    if r.marks:
        items = r.marks.split("; ")
        marks = "; ".join(
            i.upper()
            .replace("TATUAJE DE ", "TATUAJE ")
            .replace(" EN ", " ")
            .replace("DERECHO", "DER.")
            .replace("IZQUIERDO", "IZQ.")
            for i in items
        )
    return MatchRecord(
        key=key,
        kind="remains",
        sex=r.sex if rng.random() < 0.9 else "unknown",
        age_min=age - 5,
        age_max=age + 5,
        event_date=found,
        state=state,
        height_min_cm=height - 6,
        height_max_cm=height + 6,
        marks=marks,
    )


def dataset(
    n_people: int, seed: int = 1, duplicate_rate: float = 0.3, remains_rate: float = 0.1
) -> tuple[list[MatchRecord], list[tuple[str, str]], list[tuple[str, str]]]:
    """Records, the true duplicate pairs (report keys) and the true remains→report pairs."""
    rng = random.Random(seed)
    records: list[MatchRecord] = []
    dupes: list[tuple[str, str]] = []
    links: list[tuple[str, str]] = []
    for i in range(n_people):
        base = person(rng, f"P{i}")
        records.append(base)
        if rng.random() < duplicate_rate:
            copy = duplicate(rng, base, f"P{i}D")
            records.append(copy)
            dupes.append((base.key, copy.key))
        if rng.random() < remains_rate:
            remains = remains_of(rng, base, f"R{i}")
            records.append(remains)
            links.append((remains.key, base.key))
    return records, dupes, links
