"""Folios: each registry numbers its records per year, in its own format.

State search commissions write `JAL-2021-004123`; the federal commission (CNB) and Mexico
City's use their own shapes. Report numbers come from a scrambled serial over the whole dataset
(see `ReportFolios`), so they are unique without a pass over earlier reports. Forensic services
write `SEMEFO-JAL-2022-0045`, `IJCF-JAL-…`, `FGR-2022-…`, numbered per (service, year) in the
order the remains are drawn. Either way `(source, folio)` is unique per record type.
"""

from __future__ import annotations

import math
from collections import Counter

from matching.states import FEDERAL_SOURCE
from seed.data.states import DEFAULT_FORENSIC_PREFIX, FORENSIC_SERVICES


def report_folio(source: str, year: int, number: int) -> str:
    """A missing-person report's folio in its registry's format."""
    if source == FEDERAL_SOURCE:
        return f"CNB-{year}-{number:07d}"
    if source == "CMX":
        return f"CBP-CDMX/{year}/{number:06d}"
    return f"{source}-{year}-{number:06d}"


def remains_folio(source: str, year: int, number: int) -> str:
    """An unidentified-remains record's folio in its forensic service's format."""
    prefix = FORENSIC_SERVICES.get(source, (DEFAULT_FORENSIC_PREFIX, ""))[0]
    if source == FEDERAL_SOURCE:
        return f"{prefix}-{year}-{number:05d}"
    return f"{prefix}-{source}-{year}-{number:04d}"


def forensic_service(source: str, state_name: str) -> str:
    """The name of the forensic service behind a remains registry."""
    if source in FORENSIC_SERVICES:
        return FORENSIC_SERVICES[source][1]
    return f"Servicio Médico Forense de {state_name}"


class FolioBook:
    """Hands out the next number per (registry, year); one book per record type and pass."""

    __slots__ = ("_counters",)

    def __init__(self) -> None:
        self._counters: Counter[tuple[str, int]] = Counter()

    def next_number(self, source: str, year: int) -> int:
        """The next free number of a registry in a year, from 1."""
        self._counters[(source, year)] += 1
        return self._counters[(source, year)]


class ReportFolios:
    """Report folio numbers from a report's serial, scrambled so a person's reports do not sit
    next to each other in the numbering.

    Serials 0..n-1 (n = the number of reports) map one-to-one onto numbers 1..n through an
    affine permutation, so every number is used once and any report's folio is known without
    drawing the reports before it.
    """

    __slots__ = ("_multiplier", "_offset", "_size")

    def __init__(self, size: int, salt: int) -> None:
        self._size = max(1, size)
        self._multiplier = _coprime_near(self._size, 0.6180339887)
        self._offset = salt % self._size

    def number(self, serial: int) -> int:
        """The folio number (from 1) of the report with this serial."""
        return (self._multiplier * serial + self._offset) % self._size + 1

    def folio(self, source: str, year: int, serial: int) -> str:
        """The folio of the report with this serial, filed by `source` in `year`."""
        return report_folio(source, year, self.number(serial))


def _coprime_near(size: int, fraction: float) -> int:
    candidate = max(1, int(size * fraction))
    while math.gcd(candidate, size) != 1:
        candidate += 1
    return candidate
