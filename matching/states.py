"""Mexico's registries: the 32 states and the federal registry, their CURP codes and borders.

Pure data, so that place comparisons and CURP checks need no database.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class State:
    code: str  # ISO 3166-2:MX without the "MX-" prefix
    name: str
    curp_code: str  # the two letters a CURP uses for the birth state


STATES: tuple[State, ...] = (
    State("AGU", "Aguascalientes", "AS"),
    State("BCN", "Baja California", "BC"),
    State("BCS", "Baja California Sur", "BS"),
    State("CAM", "Campeche", "CC"),
    State("CHP", "Chiapas", "CS"),
    State("CHH", "Chihuahua", "CH"),
    State("CMX", "Ciudad de México", "DF"),
    State("COA", "Coahuila de Zaragoza", "CL"),
    State("COL", "Colima", "CM"),
    State("DUR", "Durango", "DG"),
    State("GUA", "Guanajuato", "GT"),
    State("GRO", "Guerrero", "GR"),
    State("HID", "Hidalgo", "HG"),
    State("JAL", "Jalisco", "JC"),
    State("MEX", "Estado de México", "MC"),
    State("MIC", "Michoacán de Ocampo", "MN"),
    State("MOR", "Morelos", "MS"),
    State("NAY", "Nayarit", "NT"),
    State("NLE", "Nuevo León", "NL"),
    State("OAX", "Oaxaca", "OC"),
    State("PUE", "Puebla", "PL"),
    State("QUE", "Querétaro", "QT"),
    State("ROO", "Quintana Roo", "QR"),
    State("SLP", "San Luis Potosí", "SP"),
    State("SIN", "Sinaloa", "SL"),
    State("SON", "Sonora", "SR"),
    State("TAB", "Tabasco", "TC"),
    State("TAM", "Tamaulipas", "TS"),
    State("TLA", "Tlaxcala", "TL"),
    State("VER", "Veracruz de Ignacio de la Llave", "VZ"),
    State("YUC", "Yucatán", "YN"),
    State("ZAC", "Zacatecas", "ZS"),
)

FEDERAL_SOURCE = "FED"
STATE_CODES: frozenset[str] = frozenset(s.code for s in STATES)
SOURCE_CODES: frozenset[str] = STATE_CODES | {FEDERAL_SOURCE}
STATE_BY_CODE: dict[str, State] = {s.code: s for s in STATES}
CURP_STATE_CODES: frozenset[str] = frozenset(s.curp_code for s in STATES) | {"NE"}  # NE: born abroad

_BORDERS: dict[str, tuple[str, ...]] = {
    "AGU": ("JAL", "ZAC"),
    "BCN": ("BCS", "SON"),
    "CAM": ("YUC", "ROO", "TAB"),
    "CHP": ("TAB", "VER", "OAX"),
    "CHH": ("SON", "SIN", "DUR", "COA"),
    "CMX": ("MEX", "MOR"),
    "COA": ("DUR", "ZAC", "NLE"),
    "COL": ("JAL", "MIC"),
    "DUR": ("ZAC", "NAY", "SIN", "JAL"),
    "GUA": ("JAL", "ZAC", "SLP", "QUE", "MIC"),
    "GRO": ("MIC", "MEX", "MOR", "PUE", "OAX"),
    "HID": ("SLP", "VER", "PUE", "TLA", "MEX", "QUE"),
    "JAL": ("NAY", "ZAC", "SLP", "MIC"),
    "MEX": ("MOR", "MIC", "QUE", "TLA", "PUE"),
    "MIC": ("QUE",),
    "MOR": ("PUE",),
    "NAY": ("SIN", "ZAC"),
    "NLE": ("TAM", "SLP", "ZAC"),
    "OAX": ("PUE", "VER"),
    "PUE": ("VER", "TLA"),
    "QUE": ("SLP",),
    "ROO": ("YUC",),
    "SLP": ("ZAC", "TAM", "VER"),
    "SIN": ("SON",),
    "TAB": ("VER",),
    "TAM": ("VER",),
}


def _symmetric(borders: dict[str, tuple[str, ...]]) -> dict[str, frozenset[str]]:
    neighbours: dict[str, set[str]] = {code: set() for code in STATE_CODES}
    for code, others in borders.items():
        for other in others:
            neighbours[code].add(other)
            neighbours[other].add(code)
    return {code: frozenset(others) for code, others in neighbours.items()}


NEIGHBOURS: dict[str, frozenset[str]] = _symmetric(_BORDERS)


def are_neighbours(a: str, b: str) -> bool:
    """The two states share a land border."""
    return b in NEIGHBOURS.get(a, frozenset())
