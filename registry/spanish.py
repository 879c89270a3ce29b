"""How Spanish exports write the interchange columns and codes (shared/spec/interchange.md, "Spanish exports").

Pure data, in the form a clerk reads it (accents, capitals): `registry.mappings` builds the
built-in mapping from it, and `registry import --print-mapping` prints it as a starting point.
The first header of each column is the one a Spanish export (`registry export --lang es`) writes.
"""

from __future__ import annotations

from matching.states import STATES

HEADERS: dict[str, tuple[str, ...]] = {
    "source": ("Registro", "Fuente"),
    "folio": ("Folio",),
    "given_names": ("Nombre(s)", "Nombres", "Nombre"),
    "first_surname": ("Primer apellido", "Apellido paterno"),
    "second_surname": ("Segundo apellido", "Apellido materno"),
    "aliases": ("Alias", "Apodos"),
    "sex": ("Sexo",),
    "date_of_birth": ("Fecha de nacimiento",),
    "age_years": ("Edad",),
    "curp": ("CURP",),
    "last_seen_date": (
        "Fecha de desaparición",
        "Fecha en que se le vio por última vez",
        "Fecha de último avistamiento",
    ),
    "last_seen_state": ("Entidad", "Estado", "Entidad de desaparición"),
    "last_seen_municipality": ("Municipio", "Municipio de desaparición"),
    "height_cm": ("Estatura (cm)", "Estatura"),
    "distinguishing_marks": ("Señas particulares",),
    "status": ("Estatus", "Situación"),
    "found_date": ("Fecha de hallazgo",),
    "found_state": ("Entidad de hallazgo",),
    "found_municipality": ("Municipio de hallazgo",),
    "age_min": ("Edad mínima",),
    "age_max": ("Edad máxima",),
    "height_min_cm": ("Estatura mínima (cm)",),
    "height_max_cm": ("Estatura máxima (cm)",),
}

# In a file with Spanish headers, H is hombre and M is mujer (in an English one they are ambiguous).
SEXES: dict[str, str] = {
    "Mujer": "female",
    "Femenino": "female",
    "M": "female",
    "Hombre": "male",
    "Masculino": "male",
    "H": "male",
    "Se desconoce": "unknown",
    "Desconocido": "unknown",
}

# Statuses as exports write them, in the feminine (la persona) and the masculine.
STATUSES: dict[str, str] = {
    "Desaparecida": "missing",
    "Desaparecido": "missing",
    "No localizada": "missing",
    "No localizado": "missing",
    "Localizada con vida": "located_alive",
    "Localizado con vida": "located_alive",
    "Localizada sin vida": "located_dead",
    "Localizado sin vida": "located_dead",
    "Sin identificar": "unidentified",
    "No identificada": "unidentified",
    "No identificado": "unidentified",
    "Identificada": "identified",
    "Identificado": "identified",
}

# Full names (matching.states) and the short forms exports use; accents and case do not matter.
STATE_NAMES: dict[str, str] = {
    **{state.name: state.code for state in STATES},
    "Coahuila": "COA",
    "Michoacán": "MIC",
    "Veracruz": "VER",
    "CDMX": "CMX",
    "Distrito Federal": "CMX",
    "México": "MEX",
    "Edomex": "MEX",
    "Querétaro de Arteaga": "QUE",
    "Federal": "FED",
}

# Placeholders that mean "no data": read as an empty cell.
EMPTY: tuple[str, ...] = ("Sin dato", "Sin datos", "N/D", "S/D", "No especificado", "No especificada")

# What `registry export --lang es` writes for each code (the first Spanish form above).
SEX_WORDS: dict[str, str] = {"female": "Mujer", "male": "Hombre", "unknown": "Se desconoce"}
STATUS_WORDS: dict[str, str] = {
    "missing": "Desaparecida",
    "located_alive": "Localizada con vida",
    "located_dead": "Localizada sin vida",
    "unidentified": "Sin identificar",
    "identified": "Identificada",
}
STATE_WORDS: dict[str, str] = {state.code: state.name for state in STATES}
