"""What "untranslated" means in a Spanish answer: an English message of the catalogs, or pydantic's English."""

from __future__ import annotations

import re
import string
from collections.abc import Iterator
from functools import cache
from typing import Any

from babel.messages.pofile import read_po

from registry.i18n import LOCALE_DIR

# pydantic's own English, in case a message type escaped the catalog.
PYDANTIC_ENGLISH = re.compile(r"Input should|Field required|String should|Value error|valid date or datetime")


def catalog(locale: str, domain: str = "messages") -> dict[str, str]:
    with (LOCALE_DIR / locale / "LC_MESSAGES" / f"{domain}.po").open("rb") as handle:
        return {str(m.id): str(m.string) for m in read_po(handle, locale=locale) if m.id}


def placeholders(text: str) -> list[tuple[str, str | None]]:
    return sorted({(name, conversion) for _, name, _, conversion in string.Formatter().parse(text) if name is not None})


@cache
def english_patterns() -> list[tuple[str, re.Pattern[str]]]:
    """Each English message whose Spanish differs, as a pattern (placeholders match anything); only messages of
    three words or more, so that a code or a name shared by both languages ("CURP", "Folio") is not flagged."""
    patterns = []
    for message_id, spanish in catalog("es_MX").items():
        literal = "".join(text for text, *_ in string.Formatter().parse(message_id))
        if spanish == message_id or len(literal.split()) < 3:
            continue
        parts = [re.escape(text) + ("(.+?)" if name is not None else "") for text, name, _, _ in
                 string.Formatter().parse(message_id)]  # fmt: skip
        patterns.append((message_id, re.compile("".join(parts).strip())))
    return patterns


def texts(value: Any) -> Iterator[str]:
    """Every string in a JSON document."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from texts(item)
    elif isinstance(value, list):
        for item in value:
            yield from texts(item)


def untranslated(document: Any) -> list[str]:
    """The English left in a document that should be Spanish (empty: none)."""
    found = []
    for text in texts(document):
        if PYDANTIC_ENGLISH.search(text):
            found.append(text)
            continue
        found.extend(f"{text!r} ← {message_id!r}" for message_id, pattern in english_patterns() if pattern.search(text))
    return found
