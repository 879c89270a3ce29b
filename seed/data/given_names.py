"""Given names by sex, weighted by birth cohort, and the nicknames a family or clerk uses for them.

Weights are relative frequencies per cohort: born before 1975 | 1975-1994 | from 1995. They
approximate the skew of RENAPO/INEGI name counts (compound names such as María Guadalupe and
José Luis at the top for older cohorts; Brandon, Kevin, Ximena, Valentina rising for the young),
as recalled from published rankings, not copied from them. See docs/seed.md.
"""

from __future__ import annotations

from seed.data._table import rows

COHORT_BOUNDS = (1975, 1995)  # births before the first bound are "old", from the second "young"

_FEMALE = """
María Guadalupe | 30 | 25 | 10
Guadalupe | 25 | 12 | 5
María | 30 | 10 | 4
Juana | 20 | 5 | 1
Margarita | 15 | 6 | 1
María de Jesús | 15 | 8 | 2
Rosa María | 12 | 8 | 2
María Elena | 12 | 6 | 1
María del Carmen | 14 | 8 | 2
María Isabel | 8 | 8 | 3
María de los Ángeles | 6 | 8 | 3
María Teresa | 8 | 4 | 1
María Fernanda | 0 | 2 | 12
María José | 0 | 1 | 8
Ana María | 10 | 6 | 2
Ana Karen | 0 | 2 | 6
Ana Laura | 0 | 4 | 3
Dulce María | 1 | 5 | 4
Blanca Estela | 5 | 4 | 1
Alma Delia | 3 | 6 | 1
Patricia | 12 | 12 | 2
Leticia | 12 | 8 | 1
Verónica | 4 | 15 | 2
Alejandra | 2 | 14 | 8
Adriana | 3 | 14 | 4
Gabriela | 2 | 12 | 6
Claudia | 2 | 12 | 3
Araceli | 4 | 10 | 2
Silvia | 10 | 6 | 1
Yolanda | 12 | 3 | 1
Laura | 6 | 10 | 4
Martha | 14 | 6 | 1
Josefina | 12 | 3 | 1
Teresa | 10 | 3 | 1
Elizabeth | 3 | 10 | 6
Norma | 8 | 6 | 1
Sandra | 2 | 10 | 3
Mónica | 2 | 10 | 3
Érika | 1 | 10 | 3
Rosa | 12 | 4 | 1
Esperanza | 8 | 2 | 0.5
Dolores | 8 | 1 | 0.3
Socorro | 6 | 1 | 0.2
Concepción | 6 | 1 | 0.2
Rosario | 6 | 2 | 0.5
Consuelo | 5 | 1 | 0.2
Graciela | 7 | 3 | 0.5
Irma | 7 | 3 | 0.5
Lucía | 5 | 4 | 4
Beatriz | 5 | 6 | 1
Cecilia | 5 | 6 | 2
Isabel | 6 | 4 | 2
Mercedes | 6 | 2 | 0.5
Guillermina | 6 | 2 | 0.5
Lorena | 3 | 7 | 1
Miriam | 1 | 6 | 3
Viridiana | 0 | 6 | 3
Karla | 0.5 | 8 | 6
Diana | 1 | 8 | 6
Jessica | 0 | 6 | 7
Brenda | 0 | 6 | 8
Karen | 0 | 4 | 9
Lizbeth | 0 | 4 | 7
Jaqueline | 0 | 5 | 5
Paola | 0 | 5 | 6
Daniela | 0 | 3 | 12
Fernanda | 0 | 2 | 8
Valeria | 0 | 1 | 10
Andrea | 0 | 3 | 10
Mariana | 0 | 3 | 9
Esmeralda | 1 | 5 | 6
Yesenia | 0 | 5 | 4
Nayeli | 0 | 3 | 5
Itzel | 0 | 2 | 8
Alondra | 0 | 1 | 8
Ximena | 0 | 0.5 | 8
Jimena | 0 | 0.5 | 7
Camila | 0 | 0.2 | 7
Valentina | 0 | 0.1 | 6
Sofía | 0.5 | 1 | 7
Fátima | 0 | 2 | 6
Abigail | 0 | 2 | 6
Arely | 0 | 2 | 5
Yareli | 0 | 1 | 5
Evelyn | 0 | 1 | 5
Monserrat | 0 | 2 | 6
Citlali | 0 | 2 | 4
Xóchitl | 1 | 2 | 2
Leslie | 0 | 1 | 4
Dayana | 0 | 0.5 | 4
Yazmín | 0 | 4 | 3
Rubí | 0 | 2 | 3
Berenice | 0 | 4 | 2
Azucena | 2 | 3 | 1
Estela | 5 | 2 | 0.3
Angélica | 2 | 7 | 2
Tania | 0 | 4 | 3
Wendy | 0 | 2 | 4
Nancy | 0 | 5 | 3
Carmen | 8 | 3 | 1
Elena | 5 | 2 | 1
Hilda | 5 | 2 | 0.3
Ofelia | 5 | 1 | 0.2
Refugio | 4 | 0.5 | 0.1
"""

_MALE = """
José Luis | 25 | 25 | 8
José | 35 | 12 | 3
Juan | 30 | 12 | 4
Miguel Ángel | 12 | 20 | 12
Francisco | 20 | 12 | 4
Jesús | 18 | 12 | 6
Juan Carlos | 5 | 20 | 8
Luis | 12 | 10 | 5
Antonio | 18 | 8 | 2
Alejandro | 6 | 16 | 10
Jorge | 10 | 12 | 4
Pedro | 15 | 6 | 2
Manuel | 14 | 6 | 2
Ricardo | 6 | 10 | 4
Fernando | 6 | 10 | 5
Roberto | 10 | 10 | 2
Daniel | 4 | 10 | 10
Carlos | 8 | 10 | 6
Eduardo | 6 | 10 | 6
Javier | 8 | 10 | 3
Sergio | 8 | 10 | 3
Martín | 10 | 8 | 2
Arturo | 8 | 9 | 2
Raúl | 8 | 8 | 2
Mario | 10 | 8 | 2
Rafael | 10 | 6 | 2
Óscar | 4 | 10 | 4
Víctor Manuel | 4 | 8 | 3
Jorge Luis | 3 | 8 | 5
José Antonio | 8 | 8 | 3
Juan Manuel | 6 | 8 | 3
José Manuel | 4 | 6 | 3
José Guadalupe | 8 | 4 | 1
José de Jesús | 6 | 6 | 2
Jesús Alberto | 1 | 4 | 4
Juan Pablo | 0 | 3 | 6
Luis Fernando | 0 | 4 | 5
Luis Ángel | 0 | 2 | 10
Francisco Javier | 4 | 8 | 3
Marco Antonio | 3 | 8 | 2
Julio César | 2 | 6 | 3
Ángel Gabriel | 0 | 0.5 | 4
Ángel | 2 | 4 | 10
Diego | 0 | 3 | 12
Brandon | 0 | 0.5 | 10
Kevin | 0 | 1 | 10
Jonathan | 0 | 6 | 8
Cristian | 0 | 5 | 8
Christian | 0 | 3 | 5
Erick | 0 | 4 | 8
Iván | 0 | 6 | 6
Omar | 1 | 8 | 5
Édgar | 1 | 8 | 4
Héctor | 8 | 8 | 2
Gerardo | 6 | 8 | 3
Alfredo | 8 | 6 | 2
Enrique | 8 | 6 | 2
Guillermo | 8 | 6 | 2
Gustavo | 5 | 6 | 2
Hugo | 5 | 6 | 3
Alberto | 8 | 6 | 2
Adrián | 1 | 8 | 6
Ramón | 10 | 4 | 1
Armando | 8 | 5 | 1
Rubén | 8 | 6 | 2
Salvador | 8 | 4 | 1
Ignacio | 8 | 3 | 1
Andrés | 4 | 4 | 6
Alan | 0 | 2 | 8
Bryan | 0 | 0.5 | 8
Uriel | 0 | 2 | 7
Axel | 0 | 0.2 | 7
Pablo | 6 | 4 | 2
Abraham | 1 | 4 | 4
Isaac | 0 | 3 | 5
Saúl | 2 | 5 | 3
Emmanuel | 0 | 3 | 6
Santiago | 2 | 1 | 6
Sebastián | 0 | 0.5 | 6
Cristóbal | 2 | 2 | 2
Refugio | 6 | 1 | 0.2
Rodolfo | 6 | 4 | 1
Humberto | 6 | 4 | 1
Felipe | 8 | 4 | 1
Agustín | 6 | 3 | 1
Rogelio | 6 | 4 | 1
Joel | 2 | 5 | 3
Jaime | 6 | 5 | 1
Leonardo | 1 | 3 | 7
Josué | 0 | 2 | 5
Edwin | 0 | 1 | 3
Gael | 0 | 0 | 4
Gilberto | 6 | 4 | 1
Benito | 4 | 1 | 0.2
Efraín | 3 | 3 | 1
Genaro | 4 | 1 | 0.2
Marcelino | 4 | 1 | 0.3
Juventino | 3 | 1 | 0.2
Eusebio | 3 | 0.5 | 0.1
Ernesto | 6 | 5 | 2
Fidel | 4 | 2 | 0.5
Gregorio | 4 | 1 | 0.3
Israel | 1 | 5 | 3
Noé | 2 | 3 | 2
Oswaldo | 0 | 3 | 3
Rigoberto | 4 | 3 | 0.5
Moisés | 2 | 4 | 2
Ulises | 0 | 3 | 3
Yahir | 0 | 0 | 4
Aldo | 0 | 3 | 3
"""


def _cohort_table(table: str) -> tuple[tuple[str, tuple[float, float, float]], ...]:
    return tuple((name, (float(old), float(mid), float(young))) for name, old, mid, young in rows(table))


FEMALE_GIVEN_NAMES = _cohort_table(_FEMALE)
MALE_GIVEN_NAMES = _cohort_table(_MALE)

# Nicknames a family reports as an alias or a clerk writes instead of the given name. Keyed by
# one given name; for compound names the key is either word ("María Guadalupe" -> Lupe).
NICKNAMES: dict[str, tuple[str, ...]] = {
    "José": ("Pepe", "Chepe"),
    "Francisco": ("Paco", "Pancho", "Kiko"),
    "Jesús": ("Chuy", "Chucho"),
    "Guillermo": ("Memo",),
    "Eduardo": ("Lalo",),
    "Guadalupe": ("Lupe", "Lupita"),
    "Alejandro": ("Alex", "Ale"),
    "Alejandra": ("Ale",),
    "Roberto": ("Beto",),
    "Alberto": ("Beto",),
    "Humberto": ("Beto",),
    "Ignacio": ("Nacho",),
    "Enrique": ("Kike",),
    "Luis": ("Güicho", "Wicho"),
    "Gerardo": ("Jerry", "Lalo"),
    "Manuel": ("Manolo", "Meme"),
    "Antonio": ("Toño", "Tony"),
    "Salvador": ("Chava",),
    "Rafael": ("Rafa",),
    "Refugio": ("Cuco", "Cuca"),
    "Concepción": ("Concha", "Conchita"),
    "Dolores": ("Lola",),
    "Rosario": ("Chayo",),
    "Socorro": ("Coco",),
    "Margarita": ("Magos",),
    "Graciela": ("Chela",),
    "Consuelo": ("Chelo",),
    "Mercedes": ("Meche",),
    "Isabel": ("Chabela",),
    "Josefina": ("Chepina", "Fina"),
    "Teresa": ("Tere",),
    "Patricia": ("Paty",),
    "Verónica": ("Vero",),
    "Gabriela": ("Gaby",),
    "Fernanda": ("Fer",),
    "Fernando": ("Fer",),
    "Daniela": ("Dany",),
    "Daniel": ("Dany",),
    "Mónica": ("Moni",),
    "Beatriz": ("Betty",),
    "Cecilia": ("Ceci",),
    "Sergio": ("Checo",),
    "Jorge": ("Coque",),
    "Ricardo": ("Richi",),
    "Armando": ("Mando",),
    "Rodolfo": ("Fito",),
    "Jonathan": ("Jony",),
    "Cristian": ("Cris",),
    "Christian": ("Cris",),
    "Javier": ("Javi",),
    "Miguel": ("Mike",),
    "Gregorio": ("Goyo",),
    "Alfredo": ("Fredy",),
    "Carlos": ("Charly",),
    "Pedro": ("Perico",),
    "Ángeles": ("Angie",),
    "Elizabeth": ("Eli", "Liz"),
    "Valeria": ("Vale",),
    "Mariana": ("Mari",),
    "Leticia": ("Lety",),
}

# Street aliases ("apodos") that a family reports; the article follows the person's sex.
STREET_ALIASES_MALE = (
    "El Güero",
    "El Flaco",
    "El Chino",
    "El Negro",
    "El Gordo",
    "El Pelón",
    "El Chaparro",
    "El Güerito",
    "El Compa",
    "El Primo",
    "El Güero Loco",
    "El Cachorro",
    "El Chivo",
    "El Tigre",
    "El Mudo",
    "El Chapo",
    "El Zurdo",
    "El Cabo",
    "El Borrego",
    "El Pollo",
)
STREET_ALIASES_FEMALE = (
    "La Güera",
    "La Flaca",
    "La Chaparra",
    "La Negra",
    "La Chata",
    "La Gorda",
    "La Güerita",
    "La Chiquis",
    "La Morena",
    "La Nena",
)
