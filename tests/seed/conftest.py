"""One modest synthetic registry, generated once per run, shared by the seed tests."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from seed.config import SeedConfig
from seed.generator import (
    GroundTruth,
    RemainsRecord,
    generate_remains_records,
    generate_report_records,
    generate_truth,
    iter_planned,
)
from seed.persons import Namesakes, Person, draw_person
from seed.reports import ReportRecord

SAMPLE = SeedConfig(reports=6000, remains=1500, seed=2026)


@dataclass(frozen=True)
class Sample:
    config: SeedConfig
    reports: list[ReportRecord]
    remains: list[RemainsRecord]
    truth: GroundTruth
    persons: dict[str, Person]  # every reported person, by person_id, as they truly are


@pytest.fixture(scope="session")
def sample() -> Sample:
    namesakes = Namesakes(SAMPLE.seed)
    persons = {p.plan.person_id: draw_person(p.plan, namesakes) for p in iter_planned(SAMPLE)}
    return Sample(
        config=SAMPLE,
        reports=list(generate_report_records(SAMPLE)),
        remains=list(generate_remains_records(SAMPLE)),
        truth=generate_truth(SAMPLE),
        persons=persons,
    )
