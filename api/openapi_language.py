"""The OpenAPI page in the reader's language: Spanish for the commissions, English kept for integrators.

The schema FastAPI builds from the code is English (the code's descriptions); each other language is
that schema with every summary and description looked up in the ``openapi`` catalog
(registry/locale/<lang>/LC_MESSAGES/openapi.po, written by ``python -m api.catalogs openapi``).
``/openapi.json`` follows the request's language: ``/openapi.json?lang=en`` is the English one.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI

from registry.i18n import current_language, gettext

OPENAPI_DOMAIN = "openapi"
TRANSLATED_KEYS = ("summary", "description")


def translated(schema: Any, language: str) -> Any:
    """A copy of ``schema`` with its summaries and descriptions in ``language`` (English where none is written)."""
    if isinstance(schema, dict):
        return {
            key: gettext(value, language, domain=OPENAPI_DOMAIN)
            if key in TRANSLATED_KEYS and isinstance(value, str)
            else translated(value, language)
            for key, value in schema.items()
        }
    if isinstance(schema, list):
        return [translated(item, language) for item in schema]
    return schema


def install(app: FastAPI) -> None:
    """Makes ``app.openapi()`` answer in the current language, each language's schema built once."""
    english: Callable[[], dict[str, Any]] = app.openapi
    schemas: dict[str, dict[str, Any]] = {}

    def openapi() -> dict[str, Any]:
        language = current_language()
        if language not in schemas:
            base = english()
            schemas[language] = base if language == "en" else translated(copy.deepcopy(base), language)
        return schemas[language]

    app.openapi = openapi  # type: ignore[method-assign]
