"""What a synthetic dataset is asked to be: its size, its seed and its headline rates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from seed.profiles import profile_named

# The dataset's "today": fixed, so the same seed gives the same bytes whatever day it runs.
TODAY = date(2026, 11, 28)


@dataclass(frozen=True, slots=True)
class SeedConfig:
    """The size and seed of a synthetic registry.

    `remains` is the number of unidentified-remains records; None means a quarter of the number
    of reports, about what state forensic services hold next to the missing-person registry.
    `duplicate_rate` is the share of persons reported more than once; `found_dead_rate` the
    share of reported persons whose remains lie unidentified in a forensic service. `profile`
    names the noise profile (`seed.profiles`): "default" is the noise model of docs/seed.md.
    """

    reports: int
    remains: int | None = None
    seed: int = 0
    duplicate_rate: float = 0.17
    found_dead_rate: float = 0.15
    today: date = TODAY
    profile: str = "default"

    def __post_init__(self) -> None:
        if self.reports < 0 or (self.remains is not None and self.remains < 0):
            raise ValueError("the number of reports and remains cannot be negative")
        if not 0 <= self.duplicate_rate <= 1 or not 0 <= self.found_dead_rate <= 1:
            raise ValueError("rates are probabilities between 0 and 1")
        profile_named(self.profile)

    @property
    def remains_count(self) -> int:
        """How many remains records the dataset holds."""
        return self.reports // 4 if self.remains is None else self.remains
