"""Blocking keys: which records are worth comparing at all.

Reports are compared when they share any identity key (a union of keys, so that one noisy
field does not lose a pair). A key whose block grows too big is replaced by its refined form
(the key plus one more component). Remains are linked to reports through broad keys on sex,
state or a neighbouring state and age band, and through distinctive marks; the ranking then
does the rest.
"""

from __future__ import annotations

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
    event = p.record.event_date
    if event is not None and not p.is_remains:
        # Reports of one person share the day last seen (give or take a few days when a clerk
        # misread it): this meets pairs whose names and dates of birth are all noisy at once.
        day = event.toordinal()
        state = p.place[0] if p.place else UNKNOWN
        keys.append((("E", day, state), ("E", day, state, sounds[0][0] if sounds else UNKNOWN)))
        keys.extend((("E", day, sound), None) for sound in sounds)
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
    if p.curp:
        a, b, c = p.curp[:6], p.curp[6:12], p.curp[12:]
        keys.extend([(("C1", a + b), None), (("C2", a + c), None), (("C3", b + c), None)])
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
