from __future__ import annotations

import pytest

from matching.names import given_names, surname_core, surnames
from matching.nicknames import canonical_names, nickname_table
from matching.phonetic import key


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("Ma. de Jesús", ("MARIA", "JESUS")),
        ("MA GPE", ("MARIA", "GUADALUPE")),
        ("Fco. Javier", ("FRANCISCO", "JAVIER")),
        ("María de los Ángeles", ("MARIA", "ANGELES")),
        ("Chuy", ("JESUS",)),
        ("Lupita", ("GUADALUPE",)),
        ("Pepe", ("JOSE",)),
        ("Toño", ("ANTONIO",)),
    ],
)
def test_given_names_expand_abbreviations_and_nicknames(written: str, canonical: tuple[str, ...]) -> None:
    g = given_names(written)
    assert g is not None
    assert g.canonical == canonical


def test_initials_are_kept_apart_from_names() -> None:
    g = given_names("J. Luis")
    assert g is not None
    assert g.canonical == ("LUIS",)
    assert "J" in g.initials
    only = given_names("J.")
    assert only is not None
    assert only.initials_only


def test_display_keeps_the_written_name_folded() -> None:
    g = given_names("María  Guadalupe")
    assert g is not None
    assert g.display == "MARIA GUADALUPE"


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        ("de la Cruz", "Hernández", ("CRUZ", "HERNANDEZ")),
        ("del Ángel", None, ("ANGEL", "")),
        ("HERNANDEZ LOPEZ", None, ("HERNANDEZ", "LOPEZ")),
        ("Ponce de León", None, ("PONCE LEON", "")),
        (None, "Xolalpa", ("XOLALPA", "")),
    ],
)
def test_surnames_keep_particles_inside_compounds(
    first: str | None, second: str | None, expected: tuple[str, str]
) -> None:
    s = surnames(first, second)
    assert s is not None
    assert (s.first, s.second) == expected


def test_surname_core_drops_particles() -> None:
    assert surname_core("De La Cruz") == "CRUZ"


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Velázquez", "Belasquez"),
        ("Hernández", "Ernandes"),
        ("Quiroz", "Kiroz"),
        ("Cisneros", "Sisneros"),
        ("Gerardo", "Jerardo"),
        ("Ximena", "Jimena"),
        ("Xavier", "Javier"),
        ("Mexía", "Mejía"),
        ("Yolanda", "Llolanda"),
        ("Xóchitl", "Sochitl"),
        ("Zavala", "Sabala"),
        ("Guillermo", "Guiyermo"),
        ("Peña", "Pena"),
        ("Hugo", "Ugo"),
        ("Barrera", "Barera"),
    ],
)
def test_phonetic_key_equates_mexican_homophones(a: str, b: str) -> None:
    assert key(a) == key(b)


@pytest.mark.parametrize(("a", "b"), [("Xochitl", "Jochitl"), ("Gomez", "Lopez"), ("Casa", "Gasa"), ("Cruz", "Ruiz")])
def test_phonetic_key_keeps_different_sounds_apart(a: str, b: str) -> None:
    assert key(a) != key(b)


def test_nickname_table_has_at_least_100_entries() -> None:
    table = nickname_table()
    assert len(table) >= 100
    for nickname in (
        "LUPE",
        "CHUY",
        "CHUCHO",
        "PEPE",
        "PACO",
        "PANCHO",
        "MEMO",
        "LALO",
        "NACHO",
        "TOÑO",
        "BETO",
        "CHAVA",
        "CHELA",
        "LOLA",
        "MECHE",
        "CHAYO",
        "CONCHITA",
        "LENCHO",
        "QUIQUE",
        "RIGO",
        "GOYO",
        "NANDO",
        "FITO",
        "TAVO",
        "CHENTE",
        "KIKE",
        "PONCHO",
        "MOY",
        "RAFA",
        "PILI",
        "MARI",
        "TERE",
        "LETY",
        "PATY",
        "VICKY",
        "GABY",
        "MALE",
        "NATY",
        "SUSY",
        "CHIO",
    ):
        assert nickname in table, nickname


def test_ambiguous_nicknames_keep_every_reading() -> None:
    assert {"ROBERTO", "ALBERTO", "HUMBERTO"} <= set(canonical_names("BETO"))
    assert canonical_names("ROSA") == ("ROSA",)
