"""STR markers, allele designations and profiles, read the way laboratories write them.

A marker name is normalised through its aliases (`THO1` → `TH01`, `VWA` → `vWA`,
`PENTA E`/`PentaE` → `Penta E`, trailing spaces dropped); an unknown marker is kept, under its
own cleaned name, but never compared. Alleles are kept as canonical strings (`9`, `9.3`, `OL`,
`>27`); `repeat_number` gives the number a stepwise mutation model needs. Amelogenin is read
as sex, never as a locus.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

# The 20 CODIS core loci (FBI, 2017), in the FBI's order.
CODIS_20: tuple[str, ...] = (
    "CSF1PO",
    "FGA",
    "TH01",
    "TPOX",
    "vWA",
    "D3S1358",
    "D5S818",
    "D7S820",
    "D8S1179",
    "D13S317",
    "D16S539",
    "D18S51",
    "D21S11",
    "D1S1656",
    "D2S441",
    "D2S1338",
    "D10S1248",
    "D12S391",
    "D19S433",
    "D22S1045",
)
# The autosomal STRs the registry compares: CODIS 20 and those the shipped tables also carry.
KNOWN_LOCI: frozenset[str] = frozenset(
    (*CODIS_20, "SE33", "Penta C", "Penta D", "Penta E", "D6S1043", "F13A01", "F13B", "FESFPS", "LPL")
)
AMELOGENIN = "AMEL"
OFF_LADDER = "OL"

# Spellings seen in kit manuals and GeneMapper exports, keyed by their folded form.
_ALIASES: dict[str, str] = {
    "THO1": "TH01",
    "HUMTH01": "TH01",
    "VWA31": "vWA",
    "HUMVWA": "vWA",
    "FIBRA": "FGA",
    "FGAFIBRA": "FGA",
    "CSF1P0": "CSF1PO",
    "TP0X": "TPOX",
    "ACTBP2": "SE33",
    "F13A1": "F13A01",
    "FES": "FESFPS",
    "AMELOGENIN": AMELOGENIN,
    "AMELXY": AMELOGENIN,
    "AM": AMELOGENIN,
}
_FOLD_DROP = re.compile(r"[\s\-_/.]+")
_NUMERIC = re.compile(r"^(\d+)(?:\.(\d))?$")
_ABOVE = re.compile(r"^>\s*(\d+(?:\.\d)?)$")
_BELOW = re.compile(r"^<\s*(\d+(?:\.\d)?)$")


def _fold(name: str) -> str:
    return _FOLD_DROP.sub("", name).upper()


_CANONICAL: dict[str, str] = {_fold(name): name for name in (*KNOWN_LOCI, AMELOGENIN)} | _ALIASES


def canonical_marker(name: str) -> str:
    """The registry's name for a marker: its canonical spelling if known, else the name cleaned of spaces."""
    folded = _fold(name)
    return _CANONICAL.get(folded, " ".join(name.split()))


def is_compared_marker(name: str) -> bool:
    """Whether a (canonical) marker is an autosomal STR the registry compares; AMEL and unknown markers are not."""
    return name in KNOWN_LOCI


class AlleleError(ValueError):
    """An allele designation the registry cannot read."""


def parse_allele(text: str) -> str | None:
    """An allele as the registry writes it (`9`, `9.3`, `OL`, `>27`, `X`), or None for an empty cell.

    Leading zeros and `.0` are dropped (`09.0` → `9`); anything else unreadable is an error
    that names the value.
    """
    value = text.strip().upper()
    if not value:
        return None
    if match := _NUMERIC.match(value):
        whole, part = int(match.group(1)), match.group(2)
        return f"{whole}" if part in (None, "0") else f"{whole}.{part}"
    if value in {"OL", "OFF-LADDER", "OFFLADDER"}:
        return OFF_LADDER
    if match := _ABOVE.match(value):
        return f">{parse_allele(match.group(1))}"
    if match := _BELOW.match(value):
        return f"<{parse_allele(match.group(1))}"
    if value in {"X", "Y"}:
        return value
    raise AlleleError(f"unreadable allele {text!r}")


def repeat_number(allele: str) -> float | None:
    """The repeat count of an allele (`9.3` → 9.3), or None when it has none (`OL`, `>27`, `X`)."""
    return float(allele) if _NUMERIC.match(allele) else None


def is_comparable_allele(allele: str) -> bool:
    """Whether an allele identifies one length: an off-ladder `OL` could be any of several alleles."""
    return allele != OFF_LADDER


Genotype = tuple[str, str]


def parse_genotype(allele_1: str, allele_2: str | None) -> Genotype | None:
    """A genotype, alleles sorted; `allele_2` empty or equal to `allele_1` is the homozygote form."""
    first = parse_allele(allele_1)
    second = parse_allele(allele_2) if allele_2 is not None else None
    if first is None and second is None:
        return None
    if first is None:
        first = second
    if second is None:
        second = first
    assert first is not None
    assert second is not None
    return (first, second) if _sort_key(first) <= _sort_key(second) else (second, first)


def _sort_key(allele: str) -> tuple[float, str]:
    number = repeat_number(allele)
    return (number if number is not None else float("inf"), allele)


class Sex(StrEnum):
    MALE = "male"
    FEMALE = "female"


@dataclass(frozen=True, slots=True)
class Profile:
    """An STR profile: genotypes of compared loci, other markers kept aside, sex from amelogenin.

    In a `degraded` profile a single allele (a homozygote-looking locus) may be a drop-out.
    """

    loci: Mapping[str, Genotype]
    degraded: bool = False
    sex: Sex | None = None
    other_markers: Mapping[str, Genotype] = field(default_factory=dict)

    def typed_loci(self) -> frozenset[str]:
        """The compared loci this profile has a genotype for."""
        return frozenset(self.loci)


def sex_from_amelogenin(genotype: Genotype) -> Sex | None:
    """Male when Y is present, female for X only, None for anything else."""
    if "Y" in genotype:
        return Sex.MALE
    if genotype == ("X", "X"):
        return Sex.FEMALE
    return None


def build_profile(rows: Iterable[tuple[str, str, str | None]], *, degraded: bool = False) -> Profile:
    """A profile from (marker, allele_1, allele_2) rows; a marker given twice with different alleles is an error."""
    loci: dict[str, Genotype] = {}
    other: dict[str, Genotype] = {}
    sex: Sex | None = None
    for marker, allele_1, allele_2 in rows:
        name = canonical_marker(marker)
        genotype = parse_genotype(allele_1, allele_2)
        if genotype is None:
            continue
        target = loci if is_compared_marker(name) else other
        if target.get(name, genotype) != genotype:
            raise AlleleError(f"marker {name} given twice with different alleles")
        target[name] = genotype
        if name == AMELOGENIN:
            sex = sex_from_amelogenin(genotype)
    return Profile(loci=loci, degraded=degraded, sex=sex, other_markers=other)


def profile_from_mapping(genotypes: Mapping[str, tuple[str, str | None]], *, degraded: bool = False) -> Profile:
    """A profile from {marker: (allele_1, allele_2)}, as `build_profile` reads rows."""
    return build_profile(((marker, a, b) for marker, (a, b) in genotypes.items()), degraded=degraded)
