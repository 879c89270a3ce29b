"""Where reports of missing persons come from, and who holds the remains in each state.

`REPORT_SHARE` is each state's approximate share (per mille) of persons still missing in the
national registry (RNPDNO), recalled from its public dashboard around 2023-2025: Jalisco,
Tamaulipas and the Estado de México lead, followed by Veracruz, Nuevo León, Sinaloa, Sonora,
Michoacán, Ciudad de México, Guerrero, Zacatecas and Chihuahua. Approximate, see docs/seed.md.
"""

from __future__ import annotations

REPORT_SHARE: dict[str, float] = {
    "JAL": 130,
    "TAM": 105,
    "MEX": 95,
    "VER": 62,
    "NLE": 55,
    "SIN": 50,
    "SON": 48,
    "MIC": 42,
    "CMX": 42,
    "GRO": 36,
    "ZAC": 32,
    "CHH": 32,
    "GUA": 30,
    "COA": 28,
    "PUE": 25,
    "BCN": 26,
    "MOR": 17,
    "OAX": 13,
    "SLP": 12,
    "COL": 11,
    "ROO": 11,
    "DUR": 9,
    "HID": 9,
    "NAY": 9,
    "CHP": 9,
    "BCS": 5,
    "QUE": 5,
    "TAB": 4,
    "AGU": 4,
    "TLA": 3,
    "CAM": 3,
    "YUC": 1.5,
}

# States along the migrant routes north, where reports of missing migrants concentrate.
MIGRANT_ROUTE_STATES: dict[str, float] = {
    "CHP": 20,
    "TAB": 8,
    "VER": 14,
    "OAX": 10,
    "TAM": 16,
    "COA": 8,
    "NLE": 8,
    "SLP": 5,
    "SON": 10,
    "CHH": 8,
    "BCN": 8,
    "MEX": 4,
    "CMX": 4,
    "PUE": 4,
}

# Migrants' nationalities (share per hundred of foreign missing persons).
FOREIGN_NATIONALITIES: dict[str, float] = {
    "hondureña": 34,
    "guatemalteca": 26,
    "salvadoreña": 16,
    "venezolana": 8,
    "estadounidense": 5,
    "nicaragüense": 4,
    "cubana": 3,
    "colombiana": 2,
    "haitiana": 2,
}

# The forensic service of each registry: (folio prefix, name). Default for states not listed:
# the state's Servicio Médico Forense.
FORENSIC_SERVICES: dict[str, tuple[str, str]] = {
    "JAL": ("IJCF", "Instituto Jalisciense de Ciencias Forenses"),
    "CMX": ("INCIFO", "Instituto de Ciencias Forenses de la Ciudad de México"),
    "FED": ("FGR", "Coordinación General de Servicios Periciales, FGR"),
    "MEX": ("SEMEFO", "Instituto de Servicios Periciales del Estado de México"),
    "NLE": ("SEMEFO", "Servicio Médico Forense, Fiscalía General de Justicia de Nuevo León"),
    "COA": ("CRIH", "Centro Regional de Identificación Humana, Coahuila"),
}
DEFAULT_FORENSIC_PREFIX = "SEMEFO"
