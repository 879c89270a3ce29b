"""Distinguishing marks: tattoo motifs, scars, moles, amputations, implants, and body parts.

Body parts carry their grammatical gender so a side reads "mano derecha", "brazo derecho".
`VAGUE_BODY_PART` is what a relative or clerk says instead of the precise part a forensic
examiner would name; `FORENSIC_BODY_PART` is how an examiner writes a part.
"""

from __future__ import annotations

# (body part, feminine?, has a side?, weight for tattoos)
BODY_PARTS: tuple[tuple[str, bool, bool, float], ...] = (
    ("antebrazo", False, True, 20),
    ("brazo", False, True, 16),
    ("mano", True, True, 8),
    ("muñeca", True, True, 5),
    ("hombro", False, True, 6),
    ("pecho", False, False, 10),
    ("espalda", True, False, 10),
    ("abdomen", False, False, 3),
    ("cuello", False, False, 6),
    ("nuca", True, False, 2),
    ("pierna", True, True, 5),
    ("pantorrilla", True, True, 6),
    ("muslo", False, True, 2),
    ("tobillo", False, True, 2),
    ("pie", False, True, 1),
    ("cara", True, False, 1),
    ("costado", False, True, 2),
    ("dedos de la mano", False, True, 2),
)
VAGUE_BODY_PART: dict[str, str] = {
    "antebrazo": "brazo",
    "muñeca": "mano",
    "pantorrilla": "pierna",
    "muslo": "pierna",
    "tobillo": "pie",
    "nuca": "cuello",
    "hombro": "brazo",
    "dedos de la mano": "mano",
    "costado": "abdomen",
}
FORENSIC_BODY_PART: dict[str, str] = {
    "pecho": "REGIÓN PECTORAL",
    "espalda": "REGIÓN DORSAL",
    "nuca": "REGIÓN NUCAL",
    "abdomen": "REGIÓN ABDOMINAL",
    "costado": "REGIÓN COSTAL",
    "pantorrilla": "PIERNA, CARA POSTERIOR",
    "dedos de la mano": "DEDOS DE MANO",
}

# Tattoo motifs: (how a relative says it, how an examiner writes it, weight, worn by).
TATTOO_FIGURES: tuple[tuple[str, str, float, str], ...] = (
    ("rosa", "ROSA", 10, "any"),
    ("virgen de Guadalupe", "IMAGEN DE LA VIRGEN DE GUADALUPE", 9, "any"),
    ("calavera", "CRÁNEO", 7, "any"),
    ("corazón", "CORAZÓN", 6, "any"),
    ("cruz", "CRUZ", 6, "any"),
    ("estrella", "ESTRELLA", 5, "any"),
    ("dragón", "DRAGÓN", 3, "any"),
    ("Santa Muerte", "FIGURA DE LA SANTA MUERTE", 6, "any"),
    ("San Judas Tadeo", "IMAGEN DE SAN JUDAS TADEO", 5, "any"),
    ("rosario", "ROSARIO", 3, "any"),
    ("alas", "ALAS", 2, "any"),
    ("mariposa", "MARIPOSA", 5, "female"),
    ("tribal", "DISEÑO TRIBAL", 4, "any"),
    ("escorpión", "ALACRÁN", 3, "any"),
    ("águila", "ÁGUILA", 3, "male"),
    ("serpiente", "SERPIENTE", 2, "any"),
    ("lobo", "LOBO", 2, "any"),
    ("reloj", "RELOJ", 2, "any"),
    ("ancla", "ANCLA", 1, "any"),
    ("payaso", "PAYASO", 2, "male"),
    ("pez koi", "PEZ", 1, "any"),
    ("flor de loto", "FLOR", 2, "female"),
    ("infinito", "SÍMBOLO DE INFINITO", 3, "any"),
    ("telaraña", "TELARAÑA", 1, "male"),
    ("manos orando", "MANOS EN POSICIÓN DE ORACIÓN", 2, "any"),
    ("pantera", "FELINO", 1, "any"),
    ("huella de bebé", "HUELLAS DE PIE", 1, "any"),
)
# Text tattoos: (kind of text, weight). The text itself is a name, initials, a date or a phrase.
TATTOO_TEXT_KINDS: tuple[tuple[str, float], ...] = (
    ("nombre", 14),
    ("letras", 6),
    ("fecha", 4),
    ("leyenda", 5),
)
TATTOO_PHRASES: tuple[str, ...] = (
    "MAMÁ",
    "AMOR DE MADRE",
    "SOLO DIOS PUEDE JUZGARME",
    "FAMILIA",
    "MI VIDA LOCA",
    "13",
    "LOVE",
    "FE",
    "PAPÁ",
    "HIJOS",
    "MIS HIJOS",
    "CARPE DIEM",
    "EL MEJOR",
    "GDL",
    "CHIHUAHUA",
)

SCAR_CAUSES: tuple[tuple[str, str, float], ...] = (
    ("quirúrgica", "DE ASPECTO QUIRÚRGICO", 30),
    ("por quemadura", "POR QUEMADURA", 12),
    ("por herida de arma blanca", "COMPATIBLE CON LESIÓN POR OBJETO PUNZOCORTANTE", 15),
    ("por herida de bala", "COMPATIBLE CON PROYECTIL DE ARMA DE FUEGO", 8),
    ("por accidente", "ANTIGUA", 25),
    ("por cesárea", "TRANSVERSAL SUPRAPÚBICA", 10),  # women only, on the abdomen
)
SCAR_PARTS: tuple[str, ...] = (
    "cara",
    "ceja",
    "frente",
    "cuello",
    "brazo",
    "antebrazo",
    "mano",
    "abdomen",
    "espalda",
    "pierna",
    "rodilla",
    "pecho",
)
MOLE_PARTS: tuple[str, ...] = ("cara", "mejilla", "cuello", "espalda", "pecho", "brazo", "mano", "frente")
# feminine, sided
EXTRA_PARTS: dict[str, tuple[bool, bool]] = {
    "ceja": (True, True),
    "frente": (True, False),
    "rodilla": (True, True),
    "mejilla": (True, True),
    "cadera": (True, True),
    "fémur": (False, True),
    "tibia": (True, True),
    "boca": (True, False),
    "oreja": (True, True),
    "nariz": (True, False),
}
AMPUTATIONS: tuple[tuple[str, str, str, float], ...] = (
    # (relative's words, examiner's words, part, weight)
    ("le falta un dedo", "AUSENCIA DE DEDO MEÑIQUE", "mano", 40),
    ("le falta la punta del dedo índice", "AUSENCIA DE FALANGE DISTAL DE DEDO ÍNDICE", "mano", 15),
    ("amputación de pierna", "AMPUTACIÓN SUPRACONDÍLEA ANTIGUA", "pierna", 12),
    ("amputación de brazo", "AMPUTACIÓN ANTIGUA A NIVEL DEL TERCIO MEDIO", "brazo", 6),
    ("le faltan dos dedos", "AUSENCIA DE DOS ORTEJOS", "pie", 10),
    ("le falta parte de la oreja", "AUSENCIA PARCIAL DE PABELLÓN AURICULAR", "oreja", 3),
)
IMPLANTS: tuple[tuple[str, str, str, float], ...] = (
    # (relative's words, examiner's words, part, weight); parts with a side take one
    ("prótesis dental", "PRÓTESIS DENTAL REMOVIBLE", "boca", 30),
    ("corona de oro en diente", "CORONA DENTAL DE METAL AMARILLO", "boca", 15),
    ("placa de metal", "MATERIAL DE OSTEOSÍNTESIS (PLACA Y TORNILLOS)", "fémur", 15),
    ("clavos en la pierna", "CLAVO INTRAMEDULAR", "tibia", 10),
    ("prótesis de cadera", "PRÓTESIS DE CADERA", "cadera", 5),
    ("implantes mamarios", "IMPLANTES MAMARIOS", "pecho", 10),  # women only
    ("brackets", "APARATOLOGÍA DE ORTODONCIA", "boca", 10),
)
OTHER_MARKS: tuple[tuple[str, str, str, float], ...] = (
    ("perforación", "PERFORACIÓN", "ceja", 10),
    ("perforación", "PERFORACIÓN", "nariz", 8),
    ("mancha de nacimiento", "MANCHA HIPERCRÓMICA", "espalda", 10),
    ("mancha de nacimiento", "MANCHA HIPERCRÓMICA", "pierna", 6),
    ("le faltan dientes de enfrente", "AUSENCIA DE INCISIVOS SUPERIORES", "boca", 12),
    ("diente de oro", "INCRUSTACIÓN DE METAL AMARILLO EN INCISIVO", "boca", 5),
)
# Kind of mark, and its share among marks.
MARK_KINDS: tuple[tuple[str, float], ...] = (
    ("tattoo", 58),
    ("scar", 22),
    ("mole", 8),
    ("amputation", 2),
    ("implant", 4),
    ("other", 6),
)
# How many marks a person has (0, 1, 2, 3, 4) for males and females.
MARK_COUNTS_MALE: tuple[float, ...] = (38, 26, 18, 11, 7)
MARK_COUNTS_FEMALE: tuple[float, ...] = (50, 27, 14, 6, 3)
