"""Keeps the message catalogs whole: the steps of `pybabel` that Babel has no command for.

    python -m api.catalogs english   # en: every message is its own translation (the ids are English)
    python -m api.catalogs check     # lists the messages es-MX lacks (exit 1 if any); see docs/i18n.md
    python -m api.catalogs openapi   # the API's summaries and descriptions into the `openapi` catalogs

Run after `pybabel update` (docs/i18n.md has the whole sequence).
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from api.app import create_app
from api.openapi_language import TRANSLATED_KEYS
from registry.i18n import LOCALE_DIR, use_language
from registry.settings import Settings


def _path(locale: str, domain: str = "messages") -> Path:
    return LOCALE_DIR / locale / "LC_MESSAGES" / f"{domain}.po"


def _read(locale: str, domain: str = "messages") -> Catalog:
    path = _path(locale, domain)
    if not path.exists():
        return Catalog(locale=locale, project="registry")
    with path.open("rb") as handle:
        return read_po(handle, locale=locale)


def _write(catalog: Catalog, locale: str, domain: str = "messages") -> None:
    _path(locale, domain).parent.mkdir(parents=True, exist_ok=True)
    with _path(locale, domain).open("wb") as handle:
        write_po(handle, catalog, width=120, omit_header=False, sort_output=True, include_previous=False)


def english() -> int:
    """Fills every empty (or fuzzy) English entry with its id: the English text is the id."""
    catalog = _read("en")
    filled = 0
    for message in catalog:
        if message.id and (not message.string or message.fuzzy):
            message.string = message.id
            message.flags.discard("fuzzy")
            filled += 1
    _write(catalog, "en")
    print(f"en: {filled} messages filled")
    return 0


def _openapi_texts() -> set[str]:
    found: set[str] = set()

    def walk(value: object) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                if key in TRANSLATED_KEYS and isinstance(item, str):
                    found.add(item)
                else:
                    walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    with use_language("en"):
        walk(create_app(Settings(database_url="sqlite://")).openapi())
    return found


def openapi() -> int:
    """Writes every summary and description of the OpenAPI schema into the `openapi` catalogs (es_MX, en):
    new texts are added untranslated in es_MX, texts the code no longer has are dropped."""
    texts = _openapi_texts()
    template = Catalog(project="registry")
    for text in sorted(texts):
        template.add(text)
    for locale in ("es_MX", "en"):
        catalog = _read(locale, "openapi")
        catalog.update(template, no_fuzzy_matching=True)
        catalog.obsolete.clear()
        if locale == "en":
            for message in catalog:
                if message.id:
                    message.string = message.id
        _write(catalog, locale, "openapi")
    missing = [m.id for m in _read("es_MX", "openapi") if m.id and not m.string]
    print(f"openapi: {len(texts)} texts, {len(missing)} without Spanish")
    return 0


def check() -> int:
    """Lists es-MX messages without a translation (empty or fuzzy)."""
    missing = [m.id for m in _read("es_MX") if m.id and (not m.string or m.fuzzy)]
    for message_id in missing:
        print(f"untranslated: {message_id!r}")
    print(f"es_MX: {len(missing)} untranslated")
    return 1 if missing else 0


if __name__ == "__main__":
    commands = {"english": english, "check": check, "openapi": openapi}
    if len(sys.argv) != 2 or sys.argv[1] not in commands:
        print(__doc__)
        sys.exit(2)
    sys.exit(commands[sys.argv[1]]())
