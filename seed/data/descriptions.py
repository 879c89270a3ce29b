"""Physical-description and clothing vocabulary as search-commission forms word it.

Categories are ordered so that neighbours are the ones two witnesses confuse ("morena" and
"morena clara"); weights are rough shares among reported persons.
"""

from __future__ import annotations

SKIN_TONES: tuple[tuple[str, float], ...] = (
    ("blanca", 10),
    ("morena clara", 32),
    ("morena", 40),
    ("morena oscura", 15),
    ("negra", 2),
)
EYE_COLOURS: tuple[tuple[str, float], ...] = (
    ("negros", 18),
    ("café oscuro", 45),
    ("café claro", 25),
    ("miel", 6),
    ("verdes", 3),
    ("azules", 2),
    ("grises", 1),
)
# Complexion by body-mass index: the first upper bound the BMI is below picks the words.
COMPLEXIONS_BY_BMI: tuple[tuple[float, tuple[str, ...]], ...] = (
    (19.0, ("delgada",)),
    (24.0, ("regular", "delgada", "atlética")),
    (28.0, ("regular", "robusta", "atlética")),
    (32.0, ("robusta", "regular")),
    (99.0, ("obesa", "robusta")),
)
HAIR_COLOURS: tuple[tuple[str, float], ...] = (
    ("negro", 60),
    ("castaño oscuro", 25),
    ("castaño claro", 8),
    ("rubio", 2),
    ("pelirrojo", 0.5),
    ("teñido de rubio", 3),
    ("teñido de rojo", 1.5),
)
HAIR_TEXTURES: tuple[tuple[str, float], ...] = (
    ("lacio", 55),
    ("ondulado", 25),
    ("rizado", 12),
    ("crespo", 8),
)
HAIR_LENGTHS_MALE: tuple[tuple[str, float], ...] = (
    ("corto", 70),
    ("rapado", 12),
    ("mediano", 12),
    ("largo", 3),
    ("calvo", 3),
)
HAIR_LENGTHS_FEMALE: tuple[tuple[str, float], ...] = (
    ("largo", 60),
    ("mediano", 30),
    ("corto", 10),
)

# Colour adjectives: masculine singular, feminine singular, masculine plural, feminine plural.
COLOURS: tuple[tuple[str, str, str, str], ...] = (
    ("negro", "negra", "negros", "negras"),
    ("blanco", "blanca", "blancos", "blancas"),
    ("azul", "azul", "azules", "azules"),
    ("azul marino", "azul marino", "azul marino", "azul marino"),
    ("gris", "gris", "grises", "grises"),
    ("rojo", "roja", "rojos", "rojas"),
    ("verde", "verde", "verdes", "verdes"),
    ("café", "café", "cafés", "cafés"),
    ("beige", "beige", "beige", "beige"),
    ("amarillo", "amarilla", "amarillos", "amarillas"),
    ("rosa", "rosa", "rosas", "rosas"),
    ("morado", "morada", "morados", "moradas"),
    ("guinda", "guinda", "guindas", "guindas"),
)
# Garments: (noun, grammatical form index into COLOURS: 0 m, 1 f, 2 m pl, 3 f pl, who wears it)
# "who" is "any", "female" or "male".
TOPS: tuple[tuple[str, int, str], ...] = (
    ("playera", 1, "any"),
    ("camisa", 1, "any"),
    ("sudadera", 1, "any"),
    ("blusa", 1, "female"),
    ("chamarra", 1, "any"),
    ("camiseta de tirantes", 1, "any"),
    ("playera de futbol", 1, "male"),
    ("camisa a cuadros", 1, "male"),
    ("suéter", 0, "any"),
    ("vestido", 0, "female"),
    ("uniforme escolar", 0, "any"),
    ("chaleco", 0, "any"),
)
BOTTOMS: tuple[tuple[str, int, str], ...] = (
    ("pantalón de mezclilla", 0, "any"),
    ("pants deportivo", 0, "any"),
    ("short", 0, "any"),
    ("bermuda", 1, "male"),
    ("falda", 1, "female"),
    ("leggins", 2, "female"),
    ("pantalón de vestir", 0, "any"),
)
FOOTWEAR: tuple[tuple[str, int, str], ...] = (
    ("tenis", 2, "any"),
    ("botas", 3, "any"),
    ("huaraches", 2, "any"),
    ("sandalias", 3, "any"),
    ("zapatos", 2, "any"),
    ("chanclas", 3, "any"),
)

OTHER_VULNERABILITY_SHARE = 0.01  # disability, indigenous language speaker, LGBTI, ...
