"""The shipped allele-frequency tables: one population by name, frequencies per locus.

`data/hispanic_frequencies.csv` holds several populations (FBI 2015 SW and SE Hispanic, NIST
1036 US Hispanic; public domain, see data/README.md). The registry's default is `SW Hispanic`
(`DEFAULT_TABLE`); any result can be recomputed with another table by naming it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources

from matching.dna.markers import canonical_marker, parse_allele

DEFAULT_TABLE = "SW Hispanic"
# NRC II (1996) recommends at least five copies' worth of frequency for rare or unseen alleles.
MINIMUM_COUNT = 5


@dataclass(frozen=True, slots=True)
class LocusFrequencies:
    """One locus of one table: allele → frequency as published, and 2N, the alleles sampled."""

    locus: str
    frequencies: Mapping[str, float]
    alleles_sampled: int

    @property
    def minimum_frequency(self) -> float:
        """The frequency given to an allele unseen (or seen fewer than 5 times) in the table: 5/(2N)."""
        return MINIMUM_COUNT / self.alleles_sampled

    def frequency(self, allele: str) -> float:
        """The frequency the likelihoods use before normalising: the table's, raised to 5/(2N) at least."""
        return max(self.frequencies.get(allele, 0.0), self.minimum_frequency)


@dataclass(frozen=True, slots=True)
class FrequencyTable:
    """A population's allele frequencies, locus by locus, with the name and source it is cited by."""

    name: str
    source: str
    loci: Mapping[str, LocusFrequencies]


@cache
def frequency_tables() -> dict[str, FrequencyTable]:
    """Every population in the shipped file, by name; marker names and alleles normalised as profiles are."""
    text = resources.files("matching.dna.data").joinpath("hispanic_frequencies.csv").read_text("utf-8")
    rows: dict[str, dict[str, dict[str, float]]] = {}
    sampled: dict[tuple[str, str], int] = {}
    sources: dict[str, str] = {}
    for row in csv.DictReader(io.StringIO(text)):
        population, locus = row["population"], canonical_marker(row["locus"])
        allele = parse_allele(row["allele"])
        if allele is None:
            continue
        rows.setdefault(population, {}).setdefault(locus, {})[allele] = float(row["frequency"])
        sampled[population, locus] = int(row["alleles_sampled"])
        sources[population] = row["source"]
    return {
        population: FrequencyTable(
            name=population,
            source=sources[population],
            loci={
                locus: LocusFrequencies(locus=locus, frequencies=alleles, alleles_sampled=sampled[population, locus])
                for locus, alleles in loci.items()
            },
        )
        for population, loci in rows.items()
    }


def frequency_table(name: str = DEFAULT_TABLE) -> FrequencyTable:
    """The named population's table; an unknown name is an error listing the names there are."""
    tables = frequency_tables()
    if name not in tables:
        raise KeyError(f"no frequency table {name!r}; there are {sorted(tables)}")
    return tables[name]
