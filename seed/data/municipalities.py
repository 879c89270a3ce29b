"""The main municipalities of each state, most populous first, with the short form people use.

An entry "Acapulco de Juárez / Acapulco" gives the official name and the everyday name that a
clerk may write instead. Within a state, a municipality's weight falls with its rank (see
`MUNICIPALITY_RANK_EXPONENT`), a rough stand-in for population and for where reports cluster.
"""

from __future__ import annotations

MUNICIPALITY_RANK_EXPONENT = 0.9

_MUNICIPALITIES: dict[str, str] = {
    "AGU": """Aguascalientes; Jesús María; Calvillo; Rincón de Romos; Pabellón de Arteaga;
        San Francisco de los Romo; Asientos; Tepezalá; Cosío; El Llano; San José de Gracia""",
    "BCN": """Tijuana; Mexicali; Ensenada; Tecate; Playas de Rosarito / Rosarito; San Quintín;
        San Felipe""",
    "BCS": "La Paz; Los Cabos; Comondú; Mulegé; Loreto",
    "CAM": """Campeche; Carmen / Ciudad del Carmen; Champotón; Escárcega; Calkiní; Hecelchakán;
        Candelaria; Hopelchén; Tenabo; Palizada; Calakmul; Seybaplaya; Dzitbalché""",
    "CHP": """Tuxtla Gutiérrez / Tuxtla; Tapachula; San Cristóbal de las Casas / San Cristóbal;
        Comitán de Domínguez / Comitán; Palenque; Chiapa de Corzo; Villaflores; Ocosingo;
        Tonalá; Cintalapa; Huixtla; Suchiate; Arriaga; Pijijiapan; Frontera Comalapa;
        Las Margaritas; Chamula; Tila; Motozintla; Reforma""",
    "CHH": """Juárez / Ciudad Juárez; Chihuahua; Cuauhtémoc; Delicias; Hidalgo del Parral / Parral;
        Nuevo Casas Grandes; Camargo; Guadalupe y Calvo; Guachochi; Ojinaga; Jiménez; Meoqui;
        Madera; Urique; Bocoyna; Ascensión; Namiquipa; Praxedis G. Guerrero; Uruachi""",
    "CMX": """Iztapalapa; Gustavo A. Madero; Álvaro Obregón; Tlalpan; Coyoacán; Cuauhtémoc;
        Venustiano Carranza; Iztacalco; Azcapotzalco; Xochimilco; Benito Juárez;
        Miguel Hidalgo; Tláhuac; La Magdalena Contreras / Magdalena Contreras;
        Cuajimalpa de Morelos / Cuajimalpa; Milpa Alta""",
    "COA": """Saltillo; Torreón; Monclova; Piedras Negras; Acuña / Ciudad Acuña; Matamoros;
        San Pedro; Frontera; Sabinas; Ramos Arizpe; Francisco I. Madero; Múzquiz; Parras;
        Allende; Castaños; Nava; San Juan de Sabinas; Zaragoza""",
    "COL": """Colima; Manzanillo; Tecomán; Villa de Álvarez; Armería; Cuauhtémoc; Comala;
        Coquimatlán; Ixtlahuacán; Minatitlán""",
    "DUR": """Durango; Gómez Palacio; Lerdo; Santiago Papasquiaro; Pueblo Nuevo;
        Guadalupe Victoria; Canatlán; Mezquital; Tamazula; Nombre de Dios; Vicente Guerrero;
        Tepehuanes; Mapimí; Cuencamé; Poanas; Rodeo""",
    "GUA": """León; Irapuato; Celaya; Salamanca; Silao de la Victoria / Silao; Guanajuato; Pénjamo;
        San Miguel de Allende; Valle de Santiago; Acámbaro; Dolores Hidalgo; San Francisco del
        Rincón; Moroleón; Uriangato; Cortazar; Apaseo el Grande; Villagrán; Salvatierra;
        Abasolo; Yuriria; Santa Cruz de Juventino Rosas / Juventino Rosas; Apaseo el Alto""",
    "GRO": """Acapulco de Juárez / Acapulco; Chilpancingo de los Bravo / Chilpancingo;
        Iguala de la Independencia / Iguala; Zihuatanejo de Azueta / Zihuatanejo;
        Taxco de Alarcón / Taxco; Chilapa de Álvarez / Chilapa; Tlapa de Comonfort / Tlapa;
        Coyuca de Benítez; Pungarabato / Ciudad Altamirano; Técpan de Galeana; Petatlán;
        Ometepec; Atoyac de Álvarez / Atoyac; Tixtla de Guerrero / Tixtla; Teloloapan;
        Arcelia; Coyuca de Catalán; San Miguel Totolapan; Cocula; Leonardo Bravo;
        Heliodoro Castillo; Zirándaro; San Marcos""",
    "HID": """Pachuca de Soto / Pachuca; Tulancingo de Bravo / Tulancingo; Mineral de la Reforma;
        Tizayuca; Huejutla de Reyes / Huejutla; Tula de Allende / Tula;
        Tepeji del Río de Ocampo / Tepeji; Ixmiquilpan; Apan; Actopan; Tepeapulco; Zempoala;
        Tlaxcoapan; Atotonilco de Tula; Mixquiahuala de Juárez; Tlahuelilpan;
        Progreso de Obregón; Zimapán""",
    "JAL": """Guadalajara; Zapopan; San Pedro Tlaquepaque / Tlaquepaque; Tonalá;
        Tlajomulco de Zúñiga / Tlajomulco; El Salto; Puerto Vallarta; Lagos de Moreno;
        Tepatitlán de Morelos / Tepatitlán; Zapotlán el Grande / Ciudad Guzmán; Ocotlán;
        Chapala; Ixtlahuacán de los Membrillos; Juanacatlán; Tala; Encarnación de Díaz;
        Teocaltiche; Ameca; Autlán de Navarro / Autlán; Arandas; La Barca; Zapotlanejo;
        Jocotepec; Poncitlán; Ojuelos de Jalisco; Acatlán de Juárez; Colotlán; Tequila""",
    "MEX": """Ecatepec de Morelos / Ecatepec; Nezahualcóyotl / Neza; Naucalpan de Juárez /
        Naucalpan; Toluca; Chimalhuacán; Tlalnepantla de Baz / Tlalnepantla; Cuautitlán Izcalli;
        Ixtapaluca; Tecámac; Nicolás Romero; Valle de Chalco Solidaridad / Valle de Chalco;
        Chalco; Atizapán de Zaragoza / Atizapán; La Paz; Tultitlán; Texcoco; Zumpango;
        Huixquilucan; Metepec; Coacalco de Berriozábal / Coacalco; Chicoloapan; Tultepec; Lerma;
        Zinacantepec; Almoloya de Juárez; Tejupilco; Temascaltepec; Amatepec; Tlatlaya;
        Luvianos; Valle de Bravo; Atlacomulco; Ixtlahuaca; Acolman""",
    "MIC": """Morelia; Uruapan; Zamora; Lázaro Cárdenas; Zitácuaro; Apatzingán; Hidalgo /
        Ciudad Hidalgo; Pátzcuaro; La Piedad; Sahuayo; Jacona; Zinapécuaro; Tarímbaro;
        Los Reyes; Buenavista; Aguililla; Tepalcatepec; Coalcomán de Vázquez Pallares /
        Coalcomán; Múgica; Tacámbaro; Huetamo; Maravatío; Jiquilpan; Puruándiro; Cotija;
        Tangancícuaro; Parácuaro; Aquila; Chinicuila; Cherán""",
    "MOR": """Cuernavaca; Jiutepec; Cuautla; Temixco; Yautepec; Emiliano Zapata; Ayala;
        Xochitepec; Jojutla; Puente de Ixtla; Yecapixtla; Zacatepec; Tepoztlán; Axochiapan;
        Tlaltizapán de Zapata / Tlaltizapán; Huitzilac; Tlaquiltenango; Amacuzac; Xoxocotla;
        Miacatlán""",
    "NAY": """Tepic; Bahía de Banderas; Santiago Ixcuintla; Compostela; Xalisco; Tecuala;
        Acaponeta; San Blas; Tuxpan; Rosamorada; Ixtlán del Río; Ruiz; Ahuacatlán; Del Nayar;
        Jala; Huajicori; San Pedro Lagunillas; Santa María del Oro; Amatlán de Cañas; La Yesca""",
    "NLE": """Monterrey; Guadalupe; Apodaca; General Escobedo / Escobedo;
        San Nicolás de los Garza / San Nicolás; Juárez; Santa Catarina; García;
        San Pedro Garza García / San Pedro; Cadereyta Jiménez / Cadereyta; Salinas Victoria;
        Pesquería; Santiago; Linares; Montemorelos; Ciénega de Flores; General Zuazua; Allende;
        Sabinas Hidalgo; Anáhuac; China; Doctor Arroyo; Galeana; General Bravo; Los Ramones""",
    "OAX": """Oaxaca de Juárez / Oaxaca; San Juan Bautista Tuxtepec / Tuxtepec; Salina Cruz;
        Juchitán de Zaragoza / Juchitán; Santa Cruz Xoxocotlán / Xoxocotlán;
        Santo Domingo Tehuantepec / Tehuantepec; Heroica Ciudad de Huajuapan de León / Huajuapan;
        Santa Lucía del Camino; Matías Romero Avendaño / Matías Romero; Loma Bonita;
        Santa María Huatulco / Huatulco; San Pedro Pochutla / Pochutla;
        Miahuatlán de Porfirio Díaz / Miahuatlán; Santiago Pinotepa Nacional / Pinotepa;
        Ciudad Ixtepec / Ixtepec; Heroica Ciudad de Tlaxiaco / Tlaxiaco;
        Putla Villa de Guerrero / Putla; San Pedro Mixtepec / Puerto Escondido;
        Ocotlán de Morelos; Tlacolula de Matamoros / Tlacolula; Zimatlán de Álvarez;
        Santiago Juxtlahuaca / Juxtlahuaca""",
    "PUE": """Puebla; Tehuacán; San Martín Texmelucan / Texmelucan; Atlixco; San Pedro Cholula /
        Cholula; San Andrés Cholula; Amozoc; Cuautlancingo; Huauchinango; Teziutlán; Zacatlán;
        Izúcar de Matamoros / Izúcar; Tecamachalco; Acatzingo; Palmar de Bravo; Chignahuapan;
        Xicotepec; Tepeaca; Ajalpan; Coronango; Tlatlauquitepec; Quecholac; Esperanza""",
    "QUE": """Querétaro; San Juan del Río; Corregidora; El Marqués; Tequisquiapan;
        Pedro Escobedo; Amealco de Bonfil / Amealco; Cadereyta de Montes; Colón;
        Ezequiel Montes; Jalpan de Serra; Huimilpan; Tolimán""",
    "ROO": """Benito Juárez / Cancún; Solidaridad / Playa del Carmen; Othón P. Blanco / Chetumal;
        Cozumel; Felipe Carrillo Puerto; Tulum; Isla Mujeres; José María Morelos; Bacalar;
        Lázaro Cárdenas; Puerto Morelos""",
    "SLP": """San Luis Potosí; Soledad de Graciano Sánchez / Soledad; Ciudad Valles / Valles;
        Matehuala; Rioverde; Tamazunchale; Ciudad Fernández; Villa de Pozos; Tamuín; Ébano;
        Cárdenas; Cedral; Charcas; Mexquitic de Carmona; Villa de Reyes; Salinas; Cerritos;
        Xilitla; Aquismón; Santa María del Río""",
    "SIN": """Culiacán; Mazatlán; Ahome / Los Mochis; Navolato; Guasave; Salvador Alvarado /
        Guamúchil; Elota; Escuinapa; El Fuerte; Rosario; Concordia; Badiraguato; Sinaloa /
        Sinaloa de Leyva; Angostura; Mocorito; Cosalá; San Ignacio; Choix; Eldorado;
        Juan José Ríos""",
    "SON": """Hermosillo; Cajeme / Ciudad Obregón; Nogales; San Luis Río Colorado; Navojoa;
        Guaymas; Caborca; Agua Prieta; Empalme; Huatabampo; Puerto Peñasco; Etchojoa; Cananea;
        Magdalena; Álamos; Bácum; Benito Juárez; General Plutarco Elías Calles / Sonoyta; Altar;
        Sáric; Ures""",
    "TAB": """Centro / Villahermosa; Cárdenas; Comalcalco; Huimanguillo; Macuspana; Cunduacán;
        Nacajuca; Paraíso; Centla; Tenosique; Balancán; Jalpa de Méndez; Teapa; Jalapa;
        Emiliano Zapata; Tacotalpa; Jonuta""",
    "TAM": """Reynosa; Matamoros; Nuevo Laredo; Victoria / Ciudad Victoria; Tampico;
        Ciudad Madero; Altamira; El Mante / Ciudad Mante; Río Bravo; Valle Hermoso;
        San Fernando; Miguel Alemán; Gustavo Díaz Ordaz / Díaz Ordaz; Camargo; González;
        Xicoténcatl; Soto la Marina; Abasolo; Jiménez; Tula; Güémez; Hidalgo; Llera; Aldama;
        Gómez Farías; Padilla; Mier; Guerrero""",
    "TLA": """Tlaxcala; Apizaco; Huamantla; Chiautempan; Calpulalpan; Zacatelco; Tlaxco;
        San Pablo del Monte; Papalotla de Xicohténcatl / Papalotla;
        Tetla de la Solidaridad / Tetla; Contla de Juan Cuamatzi / Contla; Xaloztoc;
        Yauhquemehcan; Nanacamilpa de Mariano Arista / Nanacamilpa; Tetlatlahuca;
        Ixtacuixtla de Mariano Matamoros / Ixtacuixtla""",
    "VER": """Veracruz; Xalapa / Jalapa; Coatzacoalcos; Córdoba; Poza Rica de Hidalgo / Poza Rica;
        Papantla; Minatitlán; Boca del Río; Tuxpan; Orizaba; San Andrés Tuxtla;
        Martínez de la Torre; Tierra Blanca; Cosoleacaque; Pánuco; Tantoyuca;
        Álamo Temapache / Álamo; Acayucan; Las Choapas; Cosamaloapan de Carpio / Cosamaloapan;
        Medellín de Bravo / Medellín; Tihuatlán; Alvarado; Coatepec; Cuitláhuac; Agua Dulce;
        Nanchital de Lázaro Cárdenas del Río / Nanchital; Tres Valles; Isla;
        Juan Rodríguez Clara; Tlalixcoyan""",
    "YUC": """Mérida; Kanasín; Valladolid; Tizimín; Progreso; Umán; Ticul; Motul; Tekax;
        Oxkutzcab; Peto; Izamal; Hunucmá; Tecoh; Maxcanú; Chemax; Halachó""",
    "ZAC": """Zacatecas; Fresnillo; Guadalupe; Jerez; Río Grande; Sombrerete; Calera; Valparaíso;
        Pinos; Loreto; Ojocaliente; Villa de Cos; Jalpa; Tlaltenango de Sánchez Román /
        Tlaltenango; Nochistlán de Mejía / Nochistlán; Juan Aldama; Miguel Auza;
        General Francisco R. Murguía / Nieves; Concepción del Oro; Mazapil; Juchipila;
        Villanueva; Luis Moya""",
}


def _parse(text: str) -> tuple[tuple[str, str | None], ...]:
    entries: list[tuple[str, str | None]] = []
    for raw in " ".join(text.split()).split(";"):
        official, _, short = raw.partition(" / ")
        entries.append((official.strip(), short.strip() or None))
    return tuple(entries)


# state code -> ((official name, everyday short name or None), ...), most populous first
MUNICIPALITIES: dict[str, tuple[tuple[str, str | None], ...]] = {
    code: _parse(text) for code, text in _MUNICIPALITIES.items()
}
