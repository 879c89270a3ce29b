"""Translation of every text a person reads: gettext catalogs kept with Babel, one locale per request.

Message ids are the English texts. ``_("you may file reports for {allowed} only", allowed="JAL")``
translates in the current locale and fills the placeholders *after* translating, so a translator
moves a placeholder, never drops its value. ``N_`` marks a text for extraction where it is defined
(a class attribute, a module constant) and ``translate`` renders it later, in the locale of the reader.

The catalogs are ``registry/locale/<lang>/LC_MESSAGES/messages.po`` (managed with ``pybabel
extract/update``, see docs/i18n.md); they are read as text, so there is no compiled file to forget.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from functools import cache
from pathlib import Path
from typing import Any

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "messages"
# Tags the registry speaks, most preferred first; es-MX is the default of a new registry.
SUPPORTED = ("es-MX", "en")
DEFAULT_LANGUAGE = "es-MX"

_current: ContextVar[str] = ContextVar("registry_language", default=DEFAULT_LANGUAGE)


def current_language() -> str:
    """The language tag texts are being rendered in (one of SUPPORTED)."""
    return _current.get()


@contextlib.contextmanager
def use_language(tag: str) -> Iterator[str]:
    """Render texts in ``tag`` (a supported tag, or the default when it is not) within the block."""
    resolved = tag if tag in SUPPORTED else DEFAULT_LANGUAGE
    token = _current.set(resolved)
    try:
        yield resolved
    finally:
        _current.reset(token)


def set_language(tag: str) -> str:
    """Set the current language for the rest of this context (a request, a CLI command)."""
    resolved = tag if tag in SUPPORTED else DEFAULT_LANGUAGE
    _current.set(resolved)
    return resolved


def _catalog_dir(tag: str) -> str:
    return tag.replace("-", "_")


@cache
def _messages(tag: str) -> dict[str, str]:
    """The catalog of one language as msgid → msgstr, untranslated entries left out."""
    path = LOCALE_DIR / _catalog_dir(tag) / "LC_MESSAGES" / f"{DOMAIN}.po"
    if not path.exists():
        return {}
    from babel.messages.pofile import read_po

    with path.open("rb") as handle:
        catalog = read_po(handle, locale=_catalog_dir(tag))
    return {
        str(message.id): str(message.string)
        for message in catalog
        if message.id and isinstance(message.id, str) and message.string and not message.fuzzy
    }


def gettext(message: str, language: str | None = None) -> str:
    """``message`` in ``language`` (default: the current one); the English id when it has no entry."""
    return _messages(language or current_language()).get(message, message)


def _(message: str, /, **params: Any) -> str:
    """``message`` translated into the current language, then its ``{placeholders}`` filled."""
    text = gettext(message)
    return text.format(**params) if params else text


def N_(message: str) -> str:  # noqa: N802 - the name gettext's tools look for
    """Mark ``message`` for the catalogs without translating it now (translate it when it is shown)."""
    return message


def translate(message: str, /, language: str | None = None, **params: Any) -> str:
    """A text marked with ``N_`` rendered for the reader, in ``language`` or the current one."""
    text = gettext(message, language)
    return text.format(**params) if params else text
