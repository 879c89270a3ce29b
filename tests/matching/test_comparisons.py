from __future__ import annotations

from datetime import date, timedelta

import pytest

from matching.compare_facts import (
    compare_ages,
    compare_curps,
    compare_dates_of_birth,
    compare_event_dates,
    compare_heights,
    compare_marks,
    compare_places,
    compare_sex,
)
from matching.compare_names import compare_aliases, compare_given_names, compare_surnames
from matching.levels import (
    AgeLevel,
    CurpLevel,
    DateOfBirthLevel,
    EventDateLevel,
    GivenNameLevel,
    HeightLevel,
    MarksLevel,
    PlaceLevel,
    SexLevel,
    SurnameLevel,
)
from matching.marks import mark_features
from matching.names import given_names, surnames


@pytest.mark.parametrize(
    ("a", "b", "level"),
    [
        ("María Guadalupe", "MARIA GUADALUPE", GivenNameLevel.EXACT),
        ("Guadalupe María", "María Guadalupe", GivenNameLevel.EXACT),
        ("Ma. Guadalupe", "María Guadalupe", GivenNameLevel.EQUIVALENT),
        ("Chuy", "Jesús", GivenNameLevel.EQUIVALENT),
        ("Lupe", "Guadalupe", GivenNameLevel.EQUIVALENT),
        ("Guadalupe", "María Guadalupe", GivenNameLevel.SHARED),
        ("José Luis", "Luis", GivenNameLevel.SHARED),
        ("Beto", "Alberto", GivenNameLevel.SHARED),
        ("Xóchitl", "Sochitl", GivenNameLevel.SIMILAR),
        ("Roberto", "Roberot", GivenNameLevel.SIMILAR),
        ("J.", "José", GivenNameLevel.INITIAL),
        ("J.", "Pedro", GivenNameLevel.DISAGREE),
        ("Pedro", "Juan", GivenNameLevel.DISAGREE),
        (None, "Juan", None),
    ],
)
def test_given_names(a: str | None, b: str | None, level: GivenNameLevel | None) -> None:
    assert compare_given_names(given_names(a), given_names(b)) == level
    assert compare_given_names(given_names(b), given_names(a)) == level


@pytest.mark.parametrize(
    ("a", "b", "level"),
    [
        (("Hernández", "López"), ("HERNANDEZ", "LOPEZ"), SurnameLevel.EXACT),
        (("Hernández", "López"), ("López", "Hernández"), SurnameLevel.SWAPPED),
        (("Hernández", "López"), ("Hernández", None), SurnameLevel.ONE_MISSING),
        (("Hernández", "López"), (None, "López"), SurnameLevel.ONE_MISSING),
        (("Velázquez", "Cisneros"), ("Belasquez", "Sisneros"), SurnameLevel.SIMILAR),
        (("Gutiérrez", "Ramírez"), ("Gutierez", "Ramirez"), SurnameLevel.SIMILAR),
        (("Hernández", "López"), ("Hernández", "Ortiz"), SurnameLevel.ONE_SHARED),
        (("Hernández", "López"), ("Ortiz", "Mejía"), SurnameLevel.DISAGREE),
        (("de la Cruz", None), ("Cruz", None), SurnameLevel.EXACT),
        ((None, None), ("Cruz", None), None),
    ],
)
def test_surnames(
    a: tuple[str | None, str | None], b: tuple[str | None, str | None], level: SurnameLevel | None
) -> None:
    assert compare_surnames(surnames(*a), surnames(*b)) == level
    assert compare_surnames(surnames(*b), surnames(*a)) == level


@pytest.mark.parametrize(
    ("a", "b", "level"),
    [
        (date(1990, 3, 7), date(1990, 3, 7), DateOfBirthLevel.EXACT),
        (date(1990, 3, 7), date(1990, 7, 3), DateOfBirthLevel.SWAPPED),
        (date(1990, 3, 7), date(1990, 3, 8), DateOfBirthLevel.ONE_DIGIT),
        (date(1990, 3, 7), date(1980, 3, 7), DateOfBirthLevel.ONE_DIGIT),
        (date(1990, 3, 7), date(1990, 11, 25), DateOfBirthLevel.YEAR),
        (date(1990, 3, 7), date(1991, 12, 25), DateOfBirthLevel.YEAR_NEAR),
        (date(1990, 3, 7), date(1975, 12, 25), DateOfBirthLevel.DISAGREE),
        (None, date(1975, 12, 25), None),
    ],
)
def test_dates_of_birth(a: date | None, b: date | None, level: DateOfBirthLevel | None) -> None:
    assert compare_dates_of_birth(a, b) == level


@pytest.mark.parametrize(
    ("a", "b", "both_dated", "level"),
    [
        ((1989, 1990), (1989, 1990), False, AgeLevel.SAME),
        ((1990, 1990), (1985, 1990), False, AgeLevel.CONSISTENT),
        ((1994, 1994), (1980, 1995), False, AgeLevel.CONSISTENT),  # inside, but far from the middle
        ((1990, 1990), (1984, 1996), False, AgeLevel.SAME),  # near the middle of an estimated range
        ((1990, 1990), (1980, 1995), False, AgeLevel.SAME),  # a wide range: its central half is "near the middle"
        ((1990, 1990), (1986, 1988), False, AgeLevel.NEAR),
        ((1990, 1990), (1995, 1999), False, AgeLevel.DISAGREE),  # 5 years off a narrow range
        ((1990, 1990), (1995, 2011), False, AgeLevel.NEAR),  # 5 years off a range 16 years wide
        ((1990, 1990), (1960, 1970), False, AgeLevel.DISAGREE),
        ((1990, 1990), (1990, 1990), True, None),
        (None, (1990, 1990), False, None),
    ],
)
def test_ages(a: tuple[int, int] | None, b: tuple[int, int] | None, both_dated: bool, level: AgeLevel | None) -> None:
    assert compare_ages(a, b, both_dated=both_dated) == level


@pytest.mark.parametrize(
    ("a", "b", "level"),
    [("female", "female", SexLevel.SAME), ("female", "male", SexLevel.DISAGREE), ("unknown", "male", None)],
)
def test_sex(a: str, b: str, level: SexLevel | None) -> None:
    assert compare_sex(a, b) == level


@pytest.mark.parametrize(
    ("a", "b", "level"),
    [
        ("HELJ850312HDFRRN09", "HELJ850312HDFRRN09", CurpLevel.EXACT),
        ("HELJ850312HDFRRN09", "HELJ850312HDFRRM09", CurpLevel.ONE_TYPO),
        ("HELJ850312HDFRRN09", "HELJ853012HDFRRN09", CurpLevel.ONE_TYPO),  # adjacent transposition
        ("HELJ850312HDFRRN09", "GOMA900101MDFRRN09", CurpLevel.DISAGREE),
        ("HELJ850312HDFRRN09", None, None),
    ],
)
def test_curps(a: str, b: str | None, level: CurpLevel | None) -> None:
    assert compare_curps(a, b) == level


@pytest.mark.parametrize(
    ("seen", "found", "level"),
    [
        (date(2020, 1, 10), date(2020, 1, 12), EventDateLevel.WITHIN_WEEK),
        (date(2020, 1, 10), date(2020, 1, 5), EventDateLevel.WITHIN_WEEK),  # a few days' tolerance
        (date(2020, 1, 10), date(2020, 2, 1), EventDateLevel.WITHIN_MONTH),
        (date(2020, 1, 10), date(2020, 9, 1), EventDateLevel.WITHIN_YEAR),
        (date(2020, 1, 10), date(2023, 9, 1), EventDateLevel.FAR),
        (date(2020, 1, 10), date(2019, 12, 1), EventDateLevel.EXCLUDED),
    ],
)
def test_remains_found_before_last_seen_are_excluded(seen: date, found: date, level: EventDateLevel) -> None:
    assert compare_event_dates(seen, found, b_is_remains=True) == level
    assert compare_event_dates(found, seen, a_is_remains=True) == level


def test_two_reports_dates_are_compared_either_way() -> None:
    assert compare_event_dates(date(2020, 1, 10), date(2019, 12, 1)) == EventDateLevel.WITHIN_QUARTER
    assert compare_event_dates(date(2020, 1, 10), date(2019, 6, 1)) == EventDateLevel.WITHIN_YEAR


@pytest.mark.parametrize(
    ("days", "level"),
    [
        (0, EventDateLevel.WITHIN_WEEK), (7, EventDateLevel.WITHIN_WEEK), (8, EventDateLevel.WITHIN_MONTH),
        (31, EventDateLevel.WITHIN_MONTH), (32, EventDateLevel.WITHIN_QUARTER), (92, EventDateLevel.WITHIN_QUARTER),
        (93, EventDateLevel.WITHIN_YEAR), (366, EventDateLevel.WITHIN_YEAR), (367, EventDateLevel.FAR),
    ],
)  # fmt: skip
def test_last_seen_dates_weeks_or_months_apart_have_their_own_levels(days: int, level: EventDateLevel) -> None:
    """Dates weeks or months apart are evidence with a level of their own, never a gate."""
    seen = date(2021, 3, 1)
    assert compare_event_dates(seen, seen + timedelta(days=days)) == level
    assert compare_event_dates(seen + timedelta(days=days), seen) == level


@pytest.mark.parametrize(
    ("a", "b", "level"),
    [
        (("JAL", "ZAPOPAN"), ("JAL", "ZAPOPAN"), PlaceLevel.SAME_MUNICIPALITY),
        (("JAL", "ZAPOPAN"), ("JAL", "TLAQUEPAQUE"), PlaceLevel.SAME_STATE),
        (("JAL", ""), ("NAY", ""), PlaceLevel.NEIGHBOUR_STATE),
        (("JAL", ""), ("YUC", ""), PlaceLevel.FAR),
        (None, ("YUC", ""), None),
    ],
)
def test_places(a: tuple[str, str] | None, b: tuple[str, str] | None, level: PlaceLevel | None) -> None:
    assert compare_places(a, b) == level


@pytest.mark.parametrize(
    ("a", "b", "level"),
    [
        ((170, 170), (171, 171), HeightLevel.EXACT),
        ((170, 170), (165, 175), HeightLevel.EXACT),  # near the middle of an estimated range
        ((170, 170), (158, 172), HeightLevel.CLOSE),  # inside the range, off its middle
        ((170, 170), (175, 175), HeightLevel.CLOSE),
        ((170, 170), (178, 178), HeightLevel.NEAR),
        ((150, 150), (170, 180), HeightLevel.DISAGREE),
        (None, (170, 180), None),
    ],
)
def test_heights(a: tuple[int, int] | None, b: tuple[int, int] | None, level: HeightLevel | None) -> None:
    assert compare_heights(a, b) == level


@pytest.mark.parametrize(
    ("a", "b", "level"),
    [
        ("tatuaje de rosa en antebrazo derecho", "TATUAJE ROSA ANTEBRAZO DER.", MarksLevel.SAME_MARK),
        ("tatuaje de rosa en antebrazo derecho", "tatuaje rosa brazo der", MarksLevel.SAME_MARK),
        ("tatuaje de calavera en brazo izquierdo", "TATUAJE CRANEO BRAZO IZQ", MarksLevel.SAME_MARK),
        ("tatuaje de rosa en antebrazo", "tatuaje de rosa en espalda", MarksLevel.SIMILAR),
        ("cicatriz en ceja izquierda", "herida en ceja izq.", MarksLevel.SAME_MARK),
        ("tatuaje de aguila en pecho", "tatuaje de dragon en pierna", MarksLevel.DISAGREE),
        ("tatuaje de aguila en brazo", "tatuaje de dragon en antebrazo", MarksLevel.SAME_PLACE),
        ("tatuaje de aguila en pecho", None, None),
        # A relative's words against an examiner's, as Mexican forensic services write them.
        (
            "cicatriz por herida de arma blanca en la frente",
            "CICATRIZ EN FRENTE COMPATIBLE CON LESIÓN POR OBJETO PUNZOCORTANTE DE 7 CM",
            MarksLevel.SAME_MARK,
        ),
        (
            "cicatriz por herida de bala en el abdomen",
            "CICATRIZ EN REGIÓN ABDOMINAL COMPATIBLE CON PROYECTIL DE ARMA DE FUEGO",
            MarksLevel.SAME_MARK,
        ),
        (
            "cicatriz por herida de arma blanca en la frente",
            "CICATRIZ EN FRENTE COMPATIBLE CON PROYECTIL DE ARMA DE FUEGO",
            MarksLevel.SIMILAR,
        ),  # the same kind on the same part, not the same cause
        (
            "cicatriz quirúrgica de 6 cm en la espalda",
            "CICATRIZ EN REGIÓN DORSAL DE ASPECTO QUIRÚRGICO DE 6 CM",
            MarksLevel.SAME_MARK,
        ),
        (
            "cicatriz por cesárea en el abdomen",
            "CICATRIZ EN REGIÓN ABDOMINAL TRANSVERSAL SUPRAPÚBICA",
            MarksLevel.SAME_MARK,
        ),
        ("diente de oro en la boca", "INCRUSTACIÓN DE METAL AMARILLO EN INCISIVO EN BOCA", MarksLevel.SAME_MARK),
        ("le faltan dientes de enfrente", "AUSENCIA DE INCISIVOS SUPERIORES", MarksLevel.SAME_MARK),
        ("le falta un dedo de la mano izquierda", "AUSENCIA DE DEDO MEÑIQUE EN MANO IZQUIERDA", MarksLevel.SAME_MARK),
        (
            "placa de metal en la pierna derecha",
            "MATERIAL DE OSTEOSÍNTESIS (PLACA Y TORNILLOS) EN FÉMUR DERECHO",
            MarksLevel.SAME_MARK,
        ),
        ("brackets", "APARATOLOGÍA DE ORTODONCIA", MarksLevel.SAME_MARK),
        ("lunar en el cuello", "NEVO EN CUELLO", MarksLevel.SAME_MARK),
        ("mancha de nacimiento en la espalda", "MANCHA HIPERCRÓMICA EN REGIÓN DORSAL", MarksLevel.SAME_MARK),
        ("tatuaje de escorpión en el pecho", "TATUAJE EN REGIÓN PECTORAL CON FIGURA DE ALACRÁN", MarksLevel.SAME_MARK),
        # The body part after "en" is where the mark is; a part in the motif is not.
        (
            "tatuaje de manos orando en el antebrazo derecho",
            "TATUAJE EN ANTEBRAZO DERECHO CON FIGURA DE MANOS EN POSICIÓN DE ORACIÓN",
            MarksLevel.SAME_MARK,
        ),
        ("tatuaje que dice mamá en el pecho", "TATUAJE EN REGIÓN PECTORAL CON LA LEYENDA MAMÁ", MarksLevel.SAME_MARK),
        (
            "tatuaje con la fecha 06-11-1987 en el brazo",
            "TATUAJE EN BRAZO CON LA LEYENDA 06-11-1987",
            MarksLevel.SAME_MARK,
        ),
        ("tatuaje con la fecha 06-11-1987", "TATUAJE CON LA LEYENDA 13-02-1990", MarksLevel.SIMILAR),
    ],
)
def test_marks(a: str, b: str | None, level: MarksLevel | None) -> None:
    assert compare_marks(mark_features(a), mark_features(b)) == level


def test_aliases() -> None:
    assert compare_aliases(frozenset({"EL CHINO"}), frozenset({"EL CHINO", "CHINO"})) == 1
    assert compare_aliases(frozenset({"EL CHINO"}), frozenset({"EL GUERO"})) == 0
    assert compare_aliases(frozenset(), frozenset({"EL GUERO"})) is None
