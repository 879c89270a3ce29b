"""Which language a request is answered in: ?lang, the account's preference, Accept-Language (q-values), the
registry's default; and the Content-Language that says so."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr, ValidationError
from sqlalchemy import Engine

from api.app import create_app
from registry.i18n import accepted_languages, language_from_environment, negotiate
from registry.models import Role, User
from registry.settings import Settings
from tests.conftest import TEST_SECRET_KEY

ME = "/api/v1/auth/me"


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("es-MX", "es-MX"),
        ("es", "es-MX"),
        ("es-ES,es;q=0.9", "es-MX"),
        ("en-US,en;q=0.9", "en"),
        ("en;q=0.4, es-MX;q=0.8", "es-MX"),
        ("es-MX;q=0.2, en;q=0.9", "en"),
        ("fr-FR, de;q=0.9", "es-MX"),  # nothing it speaks: the registry's default
        ("fr, en;q=0.1", "en"),
        ("en;q=0, es", "es-MX"),  # q=0 means "not this one"
        ("*", "es-MX"),
        ("", "es-MX"),
        ("garbage;;q=x, en", "en"),
    ],
)
def test_accept_language_is_read_with_its_quality_values(header: str, expected: str) -> None:
    assert negotiate(header, default="es-MX") == expected


def test_the_default_and_the_preference_decide_when_the_header_does_not() -> None:
    assert negotiate(None, default="en") == "en"
    assert negotiate("fr", default="en") == "en"
    assert negotiate("en", preferred="es-MX", default="en") == "es-MX"
    assert accepted_languages("en;q=0.5, es-MX, fr;q=0") == ["es-MX", "en"]


def test_the_posix_locale_names_the_command_line_language() -> None:
    assert language_from_environment({"LANG": "es_MX.UTF-8"}) == "es-MX"
    assert language_from_environment({"LANG": "C.UTF-8"}) is None
    assert language_from_environment({"LANGUAGE": "en_GB:es", "LANG": "es_MX.UTF-8"}) == "en"


def test_a_new_registry_speaks_spanish(monkeypatch: pytest.MonkeyPatch, database_url: str) -> None:
    monkeypatch.delenv("REGISTRY_DEFAULT_LANGUAGE", raising=False)
    assert Settings(database_url=database_url).default_language == "es-MX"


def test_a_default_the_registry_cannot_speak_is_refused_at_start() -> None:
    with pytest.raises(ValidationError, match="not a language this registry speaks"):
        Settings(default_language="fr")


@pytest.fixture
def spanish_registry(engine: Engine, database_url: str) -> Iterator[TestClient]:
    settings = Settings(database_url=database_url, secret_key=SecretStr(TEST_SECRET_KEY), default_language="es-MX")
    with TestClient(create_app(settings, engine=engine)) as client:
        yield client


def test_every_answer_says_its_language(spanish_registry: TestClient) -> None:
    for path, headers in [
        ("/healthz", {}),
        (ME, {}),  # a 401
        ("/no/such/page", {"Accept-Language": "en"}),
        ("/problems/not-found", {"Accept-Language": "es"}),
    ]:
        response = spanish_registry.get(path, headers=headers)
        assert response.headers["content-language"] == ("en" if headers.get("Accept-Language") == "en" else "es-MX")
        assert "Accept-Language" in response.headers["vary"]


def test_without_a_header_a_new_registry_answers_in_spanish(spanish_registry: TestClient) -> None:
    problem = spanish_registry.get(ME).json()
    assert problem["title"] == "Se requiere autenticación"
    assert problem["detail"].startswith("inicie sesión")
    assert problem["type"].endswith("/unauthenticated")  # machine values stay as they are


def test_the_registry_default_setting_is_honoured(app_client: TestClient) -> None:
    # The suite's settings default to English (tests/conftest.py): the same request reads in English.
    response = app_client.get(ME)
    assert response.headers["content-language"] == "en"
    assert response.json()["title"] == "Authentication required"


def test_an_explicit_lang_parameter_wins(spanish_registry: TestClient) -> None:
    response = spanish_registry.get("/problems/not-found", params={"lang": "en"}, headers={"Accept-Language": "es"})
    assert response.headers["content-language"] == "en"
    assert response.json()["title"] == "Not found"


def test_the_account_chooses_its_language_and_it_wins_over_the_browser(
    spanish_registry: TestClient, make_user: Callable[..., User], token_for: Callable[[User], str]
) -> None:
    headers = {"Authorization": f"Bearer {token_for(make_user(Role.clerk, 'JAL'))}", "Accept-Language": "es-MX"}
    chosen = spanish_registry.put("/api/v1/auth/me/language", json={"language": "en"}, headers=headers)
    assert chosen.status_code == 200, chosen.text
    assert chosen.json() == {"language": "en", "supported": ["es-MX", "en"]}
    assert chosen.headers["content-language"] == "en"

    # Every later request of the account reads English although the browser asks for Spanish…
    refused = spanish_registry.post("/api/v1/reports", json={"folio": "X"}, headers=headers)
    assert refused.headers["content-language"] == "en"
    assert refused.json()["title"] == "Invalid request"
    # …until the account goes back to following the browser.
    spanish_registry.put("/api/v1/auth/me/language", json={"language": None}, headers=headers)
    again = spanish_registry.post("/api/v1/reports", json={"folio": "X"}, headers=headers)
    assert again.headers["content-language"] == "es-MX"
    assert again.json()["title"] == "Solicitud no válida"


def test_a_language_the_registry_does_not_speak_cannot_be_chosen(
    spanish_registry: TestClient, make_user: Callable[..., User], token_for: Callable[[User], str]
) -> None:
    headers = {"Authorization": f"Bearer {token_for(make_user(Role.investigator, None))}"}
    refused = spanish_registry.put("/api/v1/auth/me/language", json={"language": "fr"}, headers=headers)
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "language"
    assert refused.json()["detail"].startswith("Idioma: debe ser uno de")
