"""The trainer's exercise view: seeded cases with their answers, for trainers only, in a sandbox only."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from registry.db import transaction
from registry.models import Role
from seed import exercises
from seed.config import SeedConfig
from seed.loader import load

CONFIG = SeedConfig(reports=60, remains=20, seed=3)


def test_a_trainer_sees_the_seeded_cases_with_their_answers(
    sessions: sessionmaker[Session], console_as: Callable[..., TestClient]
) -> None:
    load(sessions=sessions, config=CONFIG, batch_size=50)
    with transaction(sessions) as session:
        exercises.record_dataset(session, CONFIG)
    truth = exercises.truth_of(CONFIG)
    assert truth.duplicate_pairs
    assert truth.remains_links
    page = console_as(Role.trainer).get("/console/exercises")
    assert page.status_code == 200
    _, folio_a, _, folio_b = truth.duplicate_pairs[0]
    assert folio_a in page.text
    assert folio_b in page.text
    assert "the same person" in page.text
    _, remains_folio, _, _report_folio = truth.remains_links[0]
    assert remains_folio in page.text
    assert "these remains are this person" in page.text
    # Everyone else in the same sandbox is refused the answers.
    for role, jurisdiction in ((Role.investigator, None), (Role.clerk, "JAL")):
        assert console_as(role, jurisdiction).get("/console/exercises").status_code == 403


def test_outside_a_sandbox_there_are_no_exercises(console_as: Callable[..., TestClient]) -> None:
    trainer = console_as(Role.trainer)
    assert trainer.get("/console/exercises").status_code == 403
    assert "/console/exercises" not in trainer.get("/console/login").text
