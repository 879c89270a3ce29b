"""Every problem `type` leads somewhere: a page of the API itself and an entry of docs/errors.md."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient
from pydantic import SecretStr
from sqlalchemy import Engine

import registry.backup
import registry.services.audit  # noqa: F401 - its errors too
from api.app import create_app
from api.problem_types import TYPES
from registry.errors import RegistryError
from registry.settings import Settings
from tests.conftest import TEST_SECRET_KEY

DOCS = Path(__file__).resolve().parents[2] / "docs" / "errors.md"


def _subclasses(cls: type) -> list[type]:
    return [c for sub in cls.__subclasses__() for c in (sub, *_subclasses(sub))]


def test_every_error_the_code_raises_has_a_documented_type() -> None:
    slugs = {cls.slug for cls in _subclasses(RegistryError)}
    assert slugs - set(TYPES) == set()
    written = DOCS.read_text(encoding="utf-8")
    assert [slug for slug in TYPES if f"| `{slug}` |" not in written] == []


def test_a_problem_links_to_a_page_that_says_what_to_do(client: TestClient) -> None:
    problem = client.get("/api/v1/reports/00000000-0000-0000-0000-000000000000").json()
    assert problem["type"] == "/problems/not-found"

    page = client.get(problem["type"])

    assert page.status_code == 200
    assert page.json()["what_to_do"] == TYPES["not-found"].what_to_do
    assert client.get("/problems/no-such-type").status_code == 404


def test_the_base_of_problem_types_is_a_setting(engine: Engine, database_url: str) -> None:
    settings = Settings(
        database_url=database_url,
        secret_key=SecretStr(TEST_SECRET_KEY),
        problem_type_base="https://registro.example.gob.mx/problems/",
    )
    with TestClient(create_app(settings, engine=engine)) as client:
        problem = client.get("/api/v1/reports")
    assert problem.json()["type"] == "https://registro.example.gob.mx/problems/unauthenticated"
