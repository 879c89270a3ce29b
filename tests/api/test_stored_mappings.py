"""A registry's own export format, stored once by an administrator and used by name in its clerks' uploads."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from registry.models import Role
from tests.registry.test_mappings import EXPORT, MAPPING

MAPPINGS = "/api/v1/import-mappings"
UPLOAD = "/api/v1/imports/missing"


@pytest.fixture
def admin(client_as: Callable[..., TestClient]) -> TestClient:
    return client_as(Role.administrator, None)


@pytest.fixture
def clerk(client_as: Callable[..., TestClient]) -> TestClient:
    return client_as(Role.clerk, "JAL")


def _upload(client: TestClient, **form: str) -> dict:
    response = client.post(UPLOAD, files={"file": ("export.csv", EXPORT.encode("cp1252"), "text/csv")}, data=form)
    assert response.status_code == 200, response.text
    return response.json()


def test_a_clerk_imports_the_registrys_export_with_the_stored_mapping(admin: TestClient, clerk: TestClient) -> None:
    saved = admin.put(f"{MAPPINGS}/JAL/estatal", json={"mapping": MAPPING})
    assert saved.status_code == 200, saved.text
    assert saved.json()["version"] == 1

    body = _upload(clerk, mapping_name="estatal")

    assert (body["created"], body["rejected"]) == (2, 1)
    assert "JAL:estatal" in body["reading"]["mapping"]


def test_every_save_is_a_new_version_and_the_latest_is_in_force(admin: TestClient, clerk: TestClient) -> None:
    admin.put(f"{MAPPINGS}/JAL/estatal", json={"mapping": "[columns]\n"})
    second = admin.put(f"{MAPPINGS}/JAL/estatal", json={"mapping": MAPPING})

    assert second.json()["version"] == 2
    assert clerk.get(f"{MAPPINGS}/JAL/estatal").json() == {
        "registry": "JAL",
        "name": "estatal",
        "version": 2,
        "mapping": MAPPING,
    }
    assert clerk.get(MAPPINGS).json() == [{"registry": "JAL", "name": "estatal", "version": 2, "mapping": None}]


@pytest.mark.parametrize(
    ("url", "text", "field"),
    [
        (f"{MAPPINGS}/JAL/estatal", "[columns", "mapping"),
        (f"{MAPPINGS}/JAL/estatal", "colour = 1", "mapping"),
        (f"{MAPPINGS}/JAL/Con Espacios", "[columns]\n", "name"),
        (f"{MAPPINGS}/XX/estatal", "[columns]\n", "registry"),
    ],
)
def test_a_mapping_that_cannot_be_used_is_refused_when_saved(
    admin: TestClient, url: str, text: str, field: str
) -> None:
    response = admin.put(url, json={"mapping": text})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == field
    assert admin.get(MAPPINGS).json() == []


def test_an_unknown_name_or_two_mappings_at_once_are_refused(admin: TestClient, clerk: TestClient) -> None:
    admin.put(f"{MAPPINGS}/JAL/estatal", json={"mapping": MAPPING})
    unknown = clerk.post(
        UPLOAD, files={"file": ("export.csv", EXPORT.encode("cp1252"), "text/csv")}, data={"mapping_name": "otra"}
    )
    assert unknown.status_code == 404
    both = clerk.post(
        UPLOAD,
        files={
            "file": ("export.csv", EXPORT.encode("cp1252"), "text/csv"),
            "mapping": ("m.toml", MAPPING.encode(), "application/toml"),
        },
        data={"mapping_name": "estatal"},
    )
    assert both.status_code == 422
    assert both.json()["errors"][0]["field"] == "mapping_name"
