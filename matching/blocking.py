"""Blocking keys: which records are worth comparing at all.

Reports are compared when they share any identity key (a union of keys, so that one noisy
field does not lose a pair): names with a state, a birth year or a CURP fragment (`P`), the day
last seen (`E`, `N`), the date of birth (`D`) or most of a CURP (`C`). No key needs the dates
last seen to agree and the names to be right at once. A key whose block grows too big is
replaced by its refined forms (the key plus one more component: birth band, municipality);
pairs no usable block proposes because of a cap are counted (`BlockTable.set_aside`).
Remains are linked to reports through broad keys on sex, state or a neighbouring state and age
band, and through distinctive marks; the ranking then does the rest.
"""

from __future__ import annotations

from matching.curp import birth_date
from matching.phonetic import word_key
from matching.records import PreparedRecord
from matching.states import NEIGHBOURS, STATE_CODES

# A coarse block larger than this is replaced by its refined blocks.
COARSE_CAP = 120
# A refined block larger than this is dropped (its records share other, smaller blocks).
REFINED_CAP = 400
# A marks block larger than this is too common to point at anyone.
MARKS_CAP = 2000
AGE_BAND = 5
# Width of the last-seen windows of the N| keys: two grids offset by half, so that any two
# dates up to half a window apart share a window.
NEAR_DAYS = 8
UNKNOWN = "?"
# A record whose plausible birth years span more than this (an estimated age range) is not keyed
# by birth year: the state and name keys still find it.
BIRTH_YEAR_SPAN = 2
# Birth years from an age (not a date of birth) are keyed this many years either way.
AGE_SLACK_YEARS = 2

BlockingKey = tuple[str, str | None]  # (coarse key, refined key or None)
KeyParts = tuple[str | int, ...]  # a key as a tuple: its first part names the kind of key


def birth_bands(p: PreparedRecord) -> list[int]:
    """The 5-year birth bands touched by the plausible birth years widened by 2 years each way."""
    if p.birth_years is None:
        return []
    mid = (p.birth_years[0] + p.birth_years[1]) // 2
    return sorted({(mid - 2) // AGE_BAND, (mid + 2) // AGE_BAND})


def identity_key_parts(p: PreparedRecord) -> list[tuple[KeyParts, KeyParts | None]]:
    """The keys under which a record may meet another record of the same person, as tuples (coarse, refined)."""
    keys: list[tuple[KeyParts, KeyParts | None]] = []
    s, g, dob = p.surnames, p.given, p.record.date_of_birth
    sounds = [x for x in ((s.first_sound, s.second_sound) if s else ()) if x]
    givens = [word_key(n) for n in g.canonical[:3]] if g else []
    bands = birth_bands(p)
    for sound in sounds:
        # Either surname, so that swapped surnames and a missing second surname still meet.
        for given in givens:
            coarse = ("G", given, sound)
            keys.extend((coarse, ("G", given, sound, band)) for band in bands)
            if not bands:
                keys.append((coarse, None))
    keys.extend(_person_key_parts(p, givens, sounds, bands))
    event = p.record.event_date
    if event is not None and not p.is_remains:
        # Reports of one person share the day last seen (give or take a few days when a clerk
        # misread it): this meets pairs whose names and dates of birth are all noisy at once.
        day = event.toordinal()
        state = p.place[0] if p.place else UNKNOWN
        keys.append((("E", day, state), ("E", day, state, sounds[0][0] if sounds else UNKNOWN)))
        keys.extend((("E", day, sound), None) for sound in sounds)
        # The same day and a given name's sound, from any state (both surnames misspelled); not an
        # `E` key: training learns names from `E` pairs, which must not be blocked on names.
        keys.extend((("EG", day, given), None) for given in givens)
        for offset in (0, NEAR_DAYS // 2):
            bucket = (day + offset) // NEAR_DAYS
            keys.extend((("N", offset, bucket, "S", state, sound), None) for sound in [*sounds, *givens[:1]])
            # From any state, given name and either surname together (a clerk in a neighbouring
            # state may file the same person with a misread date).
            keys.extend((("N", offset, bucket, "G", given, sound), None) for given in givens[:1] for sound in sounds)
    if dob is not None:
        # The same date of birth and the sound of either surname's first letter (many people
        # share a birthday: the date alone would pair them all).
        born = dob.toordinal()
        keys.extend((("D", born, initial), None) for initial in sorted({x[0] for x in sounds} or {UNKNOWN}))
        # And with a given name's sound (both surnames misspelled or missing).
        keys.extend((("DG", born, given), None) for given in givens)
    if p.curp:
        a, b, c = p.curp[:6], p.curp[6:12], p.curp[12:]
        keys.extend([(("C1", a + b), None), (("C2", a + c), None), (("C3", b + c), None)])
    return keys


def _person_key_parts(
    p: PreparedRecord, givens: list[str], sounds: list[str], bands: list[int]
) -> list[tuple[KeyParts, KeyParts | None]]:
    """`P` keys: a given-name sound and either surname's sound, with the state (refined by birth
    band and by municipality), a plausible birth year, or the birth-date part of the CURP; and
    `PY` keys: half a name (one given name or one surname, by sound) with the state and a
    plausible birth year (from the date of birth, an age, or else the CURP).

    Names are read through nicknames and abbreviations, either given name and either surname
    stand alone (one dropped, swapped or misspelled still meets), and no date last seen is asked.
    """
    keys: list[tuple[KeyParts, KeyParts | None]] = []
    state = p.place[0] if p.place else None
    municipality = p.place[1] if p.place else ""
    years = p.birth_years
    if years is not None and (years[1] - years[0] >= BIRTH_YEAR_SPAN or p.is_remains):
        years = None
    elif years is not None and p.record.date_of_birth is None:
        years = (years[0] - AGE_SLACK_YEARS, years[1] + AGE_SLACK_YEARS)  # an age is often a guess
    born = birth_date(p.curp) if p.curp else None
    if years is None and born is not None and not p.is_remains:
        years = (born.year, born.year)  # neither a date of birth nor an age: the CURP's
    fragment = p.curp[4:10] if p.curp else None
    if years is not None and state is not None:
        # Half a name with a birth year in the state: a given name alone (surnames misspelled,
        # missing or swapped at once), or a surname alone (a nickname nobody listed, or a given
        # name misspelled in its first letter), refined by municipality.
        halves = [("G", given) for given in givens] + [("S", sound) for sound in sounds]
        for half in halves:
            for year in range(years[0], years[1] + 1):
                in_state: KeyParts = ("PY", *half, state, year)
                keys.append((in_state, (*in_state, "M", municipality) if municipality else None))
    names: list[KeyParts] = [("P", given, sound) for given in givens for sound in sounds]
    if state is not None:
        # Both surnames without the given names (a misspelled or shortened given name), and a
        # given name with either surname's first sound (the rest of the surname misspelled).
        if len(sounds) == 2:
            names.append(("PS", *sorted(sounds)))
        names.extend(("PI", given, initial) for given in givens for initial in sorted({x[0] for x in sounds}))
        # A given name's initial with either surname's sound (the given name misspelled or cut).
        names.extend(
            ("PG", initial, sound) for initial in sorted(p.given.initials if p.given else ()) for sound in sounds
        )
    if municipality and state is not None:
        # A given name's sound in one municipality (both surnames misspelled), refined by birth band.
        for given in givens:
            local = ("PM", given, state, municipality)
            keys.extend((local, (*local, "B", band)) for band in bands)
            if not bands:
                keys.append((local, None))
    if len(sounds) == 2:
        # The whole name from any state (a neighbouring state's registry), refined by birth band.
        for given in givens:
            whole = ("PF", given, *sorted(sounds))
            keys.extend((whole, (*whole, "B", band)) for band in bands)
            if not bands:
                keys.append((whole, None))
    for name in names:
        if state is not None and name[0] in ("PI", "PG"):
            # Half a name is common: these blocks are narrowed by birth band from the start.
            for band in bands:
                coarse = (*name, "S", state, "B", band)
                keys.append((coarse, (*coarse, "M", municipality) if municipality else None))
        elif state is not None:
            coarse = (*name, "S", state)
            keys.extend((coarse, (*coarse, "B", band)) for band in bands)
            if municipality:
                keys.append((coarse, (*coarse, "M", municipality)))
            if not bands and not municipality:
                keys.append((coarse, None))
        if name[0] != "P":
            continue
        if years is not None:
            keys.extend(
                ((*name, "Y", year), (*name, "Y", year, state or UNKNOWN)) for year in range(years[0], years[1] + 1)
            )
        if fragment:
            keys.append(((*name, "C", fragment), None))
    return keys


def key_text(parts: KeyParts) -> str:
    """A key's parts written as one string, e.g. "G|JOSE|ERNANDES"."""
    return "|".join(str(x) for x in parts)


def identity_keys(p: PreparedRecord) -> list[BlockingKey]:
    """The keys under which a record may meet another record of the same person (written as strings)."""
    return [(key_text(c), key_text(r) if r is not None else None) for c, r in identity_key_parts(p)]


def _age_bands(p: PreparedRecord, slack: int) -> list[str]:
    if p.age_at_event is None:
        return [UNKNOWN]
    lo, hi = p.age_at_event
    return [str(b) for b in range((lo - slack) // AGE_BAND, (hi + slack) // AGE_BAND + 1)]


def link_keys(p: PreparedRecord) -> list[str]:
    """The broad keys that join remains and reports: sex, state and age band.

    A report is keyed exactly; remains are keyed under every combination they could match
    (either sex when unknown, the neighbouring states, every band of the estimated age range),
    so that a report meets the remains that could be its person and vice versa.
    """
    state = p.place[0] if p.place else UNKNOWN
    if not p.is_remains:
        return [f"L|{p.sex or UNKNOWN}|{state}|{band}" for band in _age_bands(p, 0)]
    sexes = [p.sex, UNKNOWN] if p.sex else ["female", "male", UNKNOWN]
    states = [*sorted({state, *NEIGHBOURS.get(state, ())}), UNKNOWN] if state != UNKNOWN else [*STATE_CODES, UNKNOWN]
    bands = [*_age_bands(p, 3), UNKNOWN]
    return [f"L|{x}|{st}|{b}" for x in sexes for st in states for b in bands]


def mark_key_parts(p: PreparedRecord) -> list[KeyParts]:
    """Keys for each distinctive mark (kind, motif and body region) a record describes, as tuples."""
    return [("M", feature) for feature, strength in p.marks.items() if strength == 3]


def mark_keys(p: PreparedRecord) -> list[str]:
    """Keys for each distinctive mark (kind, motif and body region) a record describes."""
    return [key_text(parts) for parts in mark_key_parts(p)]
