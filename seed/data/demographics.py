"""Who goes missing: sex, age and year shares, and body growth for children.

Shares approximate the RNPDNO's public breakdowns as recalled (see docs/seed.md): about three
in four reported persons are male, most are 15-40, and minors are a large share of women and
girls, above all aged 12-17. Reports grow from 2006 (the start of the "war on drugs") and
peak after 2018.
"""

from __future__ import annotations

MALE_SHARE = 0.745

# (lowest age, highest age, weight) by sex.
AGE_BANDS: dict[str, tuple[tuple[int, int, float], ...]] = {
    "male": (
        (0, 4, 1.5),
        (5, 11, 1.5),
        (12, 14, 2),
        (15, 17, 6),
        (18, 24, 22),
        (25, 29, 17),
        (30, 34, 14),
        (35, 39, 11),
        (40, 44, 8),
        (45, 49, 6),
        (50, 59, 7),
        (60, 69, 3),
        (70, 89, 2),
    ),
    "female": (
        (0, 4, 3),
        (5, 11, 3),
        (12, 14, 14),
        (15, 17, 22),
        (18, 24, 20),
        (25, 29, 10),
        (30, 34, 8),
        (35, 39, 6),
        (40, 44, 4),
        (45, 49, 3),
        (50, 59, 3),
        (60, 69, 2),
        (70, 89, 2),
    ),
}

# Year last seen -> weight. Earlier years (back to 1970, the "Dirty War" cases) share
# `EARLY_SHARE` evenly.
YEAR_WEIGHTS: dict[int, float] = {
    2006: 1.0,
    2007: 1.5,
    2008: 2.0,
    2009: 2.5,
    2010: 3.5,
    2011: 4.0,
    2012: 4.0,
    2013: 4.0,
    2014: 4.0,
    2015: 4.0,
    2016: 4.5,
    2017: 5.0,
    2018: 6.0,
    2019: 7.5,
    2020: 7.5,
    2021: 8.5,
    2022: 9.0,
    2023: 9.0,
    2024: 8.5,
    2025: 8.0,
    2026: 6.8,
}
EARLY_SHARE = 0.03
EARLY_FIRST_YEAR = 1970

# Median height (cm) by completed age, 0-17, from WHO/CDC-style growth curves (rounded).
CHILD_HEIGHT: dict[str, tuple[int, ...]] = {
    "male": (66, 80, 89, 97, 104, 111, 117, 123, 128, 133, 138, 143, 149, 156, 163, 167, 170, 171),
    "female": (64, 78, 87, 96, 103, 110, 116, 122, 128, 133, 139, 145, 151, 155, 157, 158, 158, 158),
}
ADULT_HEIGHT: dict[str, tuple[float, float]] = {"male": (169.0, 7.0), "female": (157.0, 6.5)}
ADULT_BMI = (26.5, 4.0)
CHILD_BMI = (17.0, 2.0)

# Family sizes among reported persons: most go missing alone; some with a sibling or two
# (who share both surnames and often the same date and place).
FAMILY_SIZES: tuple[tuple[int, float], ...] = ((1, 95.5), (2, 3.5), (3, 1.0))
SIBLINGS_TOGETHER_SHARE = 0.5
SINGLE_SURNAME_SHARE = 0.03  # registered with one surname only
FOREIGN_SHARE = 0.025  # migrants, mostly Central American
CURP_SHARE = 0.93  # Mexican nationals with a CURP on record
NAMESAKE_SHARE = 0.02  # persons given one of a few very common full names (homonyms)
