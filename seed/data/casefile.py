"""What a report's case file says: the prosecutor's carpeta and the circumstances, as templates.

The stories and their weights are assumptions shaped after how families and search collectives
describe disappearances in Mexico (left for work or school and never arrived, taken by armed
men, detained by men in police uniform, lured by a job offer, last seen at a bus station or on
a highway, migrants in transit); they are not statistics. Templates take `{fecha}` (the day
last seen, in words), `{municipio}`, `{estado}`, and the agreement of the person's sex: `{o}`
(visto/vista), `{lo}` (lo/la), `{el}` (él/ella). Each story has a wording without
`{municipio}`, for reports that leave the municipality blank.
"""

from __future__ import annotations

from typing import NamedTuple

# Reports whose registry opened a carpeta de investigación and wrote its number down: since
# the general law on disappearances (in force January 2018) every report opens one at once.
CARPETA_SHARE_FROM_2018 = 0.75
CARPETA_SHARE_BEFORE = 0.40
CARPETA_LAW_YEAR = 2018
# Most prosecutors are a Fiscalía General del Estado (FGE); a few name themselves otherwise.
PROSECUTORS: dict[str, str] = {"CMX": "FGJCDMX", "MEX": "FGJEM", "TAM": "FGJT"}
DEFAULT_PROSECUTOR = "FGE"
# The federal registry's carpetas are the FGR's special prosecutor for disappearances.
FEDERAL_CARPETA_PREFIX = "FED/FGR/FEIDDF"
# A carpeta opened away from the municipality last seen goes to the specialised prosecutor's
# office for missing persons (Fiscalía Especializada en Personas Desaparecidas).
SPECIALISED_OFFICE = "FEPD"

# Reports that tell the circumstances at all: clerks often leave the field blank.
CIRCUMSTANCES_SHARE = 0.75

MONTHS: tuple[str, ...] = (
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
)


class Story(NamedTuple):
    """One kind of disappearance: its weights for a child under 12, a teenager, an adult and a
    migrant (of any age); its wordings."""

    weights: tuple[float, float, float, float]
    wordings: tuple[str, ...]


# Age groups of the weight columns (lowest age of each); migrants have a column of their own.
STORY_AGE_GROUPS: tuple[int, ...] = (0, 12, 18)

STORIES: dict[str, Story] = {
    "taken_by_relative": Story(
        (45, 3, 0, 0),
        (
            "El {fecha} un familiar se {lo} llevó de su domicilio en {municipio} "
            "sin consentimiento de quien tiene su custodia.",
            "Fue sustraíd{o} de su domicilio el {fecha} por un familiar; se desconoce su paradero.",
        ),
    ),
    "playing_outside": Story(
        (40, 0, 0, 0),
        (
            "El {fecha} jugaba afuera de su casa en {municipio} y en unos minutos ya no estaba.",
            "Desapareció el {fecha} mientras jugaba frente a su domicilio.",
        ),
    ),
    "work": Story(
        (0, 0, 22, 0),
        (
            "El {fecha} salió de su domicilio en {municipio} rumbo a su trabajo y ya no regresó.",
            "Salió a trabajar el {fecha} y desde ese día su familia no sabe nada de {el}.",
        ),
    ),
    "school": Story(
        (10, 22, 0, 0),
        (
            "El {fecha} salió de su casa rumbo a la escuela y nunca llegó.",
            "No regresó de la escuela el {fecha}; sus compañeros {lo} vieron salir en {municipio} "
            "a la hora de la salida.",
        ),
    ),
    "left_home": Story(
        (0, 28, 14, 0),
        (
            "Salió de su domicilio el {fecha} sin decir a dónde iba y no ha regresado.",
            "El {fecha} salió de su casa en {municipio}; esa misma noche dejó de contestar el celular.",
        ),
    ),
    "party": Story(
        (0, 14, 8, 0),
        (
            "Salió con amigos a una fiesta la noche del {fecha} y no volvió a su casa.",
            "Fue vist{o} por última vez el {fecha} a la salida de un bar en {municipio}, "
            "con personas que su familia no conoce.",
        ),
    ),
    "armed_men": Story(
        (5, 12, 24, 8),
        (
            "El {fecha}, hombres armados {lo} sacaron de su domicilio en {municipio} "
            "y se {lo} llevaron en una camioneta.",
            "Según testigos, el {fecha} un grupo de sujetos armados se {lo} llevó por la fuerza. "
            "La familia no ha recibido ninguna llamada.",
        ),
    ),
    "uniformed_men": Story(
        (0, 2, 8, 6),
        (
            "El {fecha} fue detenid{o} en {municipio} por personas con uniforme de policía; "
            "ninguna autoridad reconoce haberl{o} tenido bajo su custodia.",
            "Fue subid{o} a una patrulla el {fecha}; en la comandancia dicen que nunca ingresó.",
        ),
    ),
    "bus_station": Story(
        (0, 6, 6, 10),
        (
            "Fue vist{o} por última vez el {fecha} en la central de autobuses de {municipio}.",
            "El {fecha} iba a tomar un autobús; envió su último mensaje desde la central camionera.",
        ),
    ),
    "job_offer": Story(
        (0, 10, 8, 4),
        (
            "Viajó a {municipio} por una oferta de trabajo que le hicieron por redes sociales; "
            "dejó de comunicarse el {fecha}.",
            "Le ofrecieron trabajo por redes sociales y se fue de su casa el {fecha}. No ha vuelto a comunicarse.",
        ),
    ),
    "highway": Story(
        (0, 0, 10, 6),
        (
            "Viajaba por carretera el {fecha}; su teléfono dejó de tener señal cerca de {municipio}.",
            "Salió en su vehículo el {fecha} rumbo a otra ciudad y no llegó a su destino. "
            "El vehículo tampoco ha sido localizado.",
        ),
    ),
    "migrant_in_transit": Story(
        (0, 0, 2, 66),
        (
            "Migrante en tránsito hacia Estados Unidos. Llamó a su familia por última vez el {fecha} "
            "desde {municipio}, {estado}.",
            "Viajaba hacia la frontera norte; su familia perdió contacto con {el} el {fecha}, cuando cruzaba {estado}.",
        ),
    ),
}
