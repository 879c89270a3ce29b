"""Translation of every text a person reads: gettext catalogs kept with Babel, one language per request.

Message ids are the English texts. ``_("you may file reports for {allowed} only", allowed="JAL")``
translates in the current language and fills the placeholders *after* translating, so a translator
moves a placeholder, never drops its value. ``N_`` marks a text for extraction where it is defined
(a class attribute, a module constant) and ``translate`` renders it later, in the language of the reader.

The catalogs are ``registry/locale/<lang>/LC_MESSAGES/messages.po`` (managed with ``pybabel
extract/update``, see docs/i18n.md); they are read as text, so there is no compiled file to forget.

Which language a text is rendered in is decided once per unit of work (a request, a CLI command):
``negotiate`` picks it from what the reader asked for, and ``language_scope`` makes it current. A
scope is one shared cell, so a language chosen later in the same request (the account's preference,
known only once the caller is authenticated) reaches every copy of the context FastAPI runs code in.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from babel.messages.pofile import read_po
from babel.numbers import format_decimal

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "messages"
# Tags the registry speaks, most preferred first; es-MX is the default of a new registry.
SUPPORTED = ("es-MX", "en")
DEFAULT_LANGUAGE = "es-MX"


@dataclass(slots=True)
class _Scope:
    """The language of one unit of work; mutable so that every copy of the context sees a change."""

    tag: str


_current: ContextVar[_Scope | None] = ContextVar("registry_language", default=None)


def supported(tag: str | None) -> str | None:
    """The supported tag ``tag`` stands for (``es``, ``es-ES``, ``ES_mx`` → es-MX; ``en-GB`` → en), or None."""
    if not tag:
        return None
    normal = tag.strip().replace("_", "-").lower()
    for known in SUPPORTED:
        if normal == known.lower():
            return known
    primary = normal.split("-", 1)[0]
    for known in SUPPORTED:
        if known.lower().split("-", 1)[0] == primary:
            return known
    return None


def resolve(tag: str | None, default: str = DEFAULT_LANGUAGE) -> str:
    """``tag`` as a supported tag, or ``default`` (itself resolved, or the registry's default) when it is none."""
    return supported(tag) or supported(default) or DEFAULT_LANGUAGE


def current_language() -> str:
    """The language tag texts are being rendered in (one of SUPPORTED)."""
    scope = _current.get()
    return scope.tag if scope is not None else DEFAULT_LANGUAGE


@contextlib.contextmanager
def use_language(tag: str) -> Iterator[str]:
    """Render texts in ``tag`` (a supported tag, or the default when it is not) within the block."""
    token = _current.set(_Scope(resolve(tag)))
    try:
        yield current_language()
    finally:
        _current.reset(token)


language_scope = use_language  # a request or a command opens one scope, which set_language may change


def set_language(tag: str) -> str:
    """Set the current language for the rest of this unit of work (a request, a CLI command)."""
    resolved = resolve(tag)
    scope = _current.get()
    if scope is None:
        _current.set(_Scope(resolved))
    else:
        scope.tag = resolved
    return resolved


_WEIGHTED = re.compile(r"^\s*([A-Za-z]{1,8}(?:[-_][A-Za-z0-9]{1,8})*|\*)\s*(?:;\s*q\s*=\s*([0-9.]+))?\s*$")


def accepted_languages(header: str | None) -> list[str]:
    """The tags of an ``Accept-Language`` header, best first by quality (ties keep the header's order); q=0 excluded."""
    weighted: list[tuple[float, int, str]] = []
    for position, part in enumerate((header or "").split(",")):
        match = _WEIGHTED.match(part)
        if not match:
            continue
        try:
            quality = float(match.group(2)) if match.group(2) is not None else 1.0
        except ValueError:
            continue
        if quality > 0:
            weighted.append((-quality, position, match.group(1)))
    return [tag for _q, _p, tag in sorted(weighted)]


def negotiate(accept_language: str | None = None, *, preferred: str | None = None, default: str | None = None) -> str:
    """The language to answer in: the account's preference, else the best supported tag the client accepts,
    else the registry's default (``default``, else es-MX)."""
    chosen = supported(preferred)
    if chosen:
        return chosen
    fallback = resolve(default)
    for tag in accepted_languages(accept_language):
        if tag == "*":
            return fallback
        chosen = supported(tag)
        if chosen:
            return chosen
    return fallback


def language_from_environment(environ: dict[str, str]) -> str | None:
    """The supported language named by the POSIX locale variables (LANGUAGE, LC_ALL, LC_MESSAGES, LANG), if any."""
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name, "")
        for candidate in value.split(":"):
            tag = candidate.split(".", 1)[0].split("@", 1)[0]
            if tag in ("C", "POSIX"):
                continue
            found = supported(tag)
            if found:
                return found
    return None


def cli_language(option: str | None, environ: dict[str, str] | Any) -> str:
    """A command's language: ``--lang``, else the POSIX locale (LANG…), else REGISTRY_DEFAULT_LANGUAGE, else es-MX.

    Read from the environment, not from the settings object: ``registry --help`` stays light."""
    return (
        supported(option)
        or language_from_environment(dict(environ))
        or resolve(environ.get("REGISTRY_DEFAULT_LANGUAGE"))
    )


def _catalog_dir(tag: str) -> str:
    return tag.replace("-", "_")


@cache
def _messages(tag: str, domain: str = DOMAIN) -> dict[str, str]:
    """The catalog of one language as msgid → msgstr, untranslated and fuzzy entries left out."""
    path = LOCALE_DIR / _catalog_dir(tag) / "LC_MESSAGES" / f"{domain}.po"
    if not path.exists():
        return {}
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=_catalog_dir(tag))
    return {
        str(message.id): str(message.string)
        for message in catalog
        if message.id and isinstance(message.id, str) and message.string and not message.fuzzy
    }


def gettext(message: str, language: str | None = None, *, domain: str = DOMAIN) -> str:
    """``message`` in ``language`` (default: the current one); the English id when it has no entry.

    ``domain`` "openapi" is the catalog of the API's own descriptions (docs/i18n.md)."""
    return _messages(resolve(language) if language else current_language(), domain).get(message, message)


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


def format_date(value: date | datetime, language: str | None = None) -> str:
    """A date for prose: 17/05/1990 in Mexican Spanish, ISO (1990-05-17) in English; machine fields stay ISO."""
    day = value.date() if isinstance(value, datetime) else value
    if ((language and resolve(language)) or current_language()) == "es-MX":
        return day.strftime("%d/%m/%Y")
    return day.isoformat()


def format_number(value: float | int | Decimal, language: str | None = None, *, digits: int | None = None) -> str:
    """A number for prose as Mexico writes it (1,234.5: comma for thousands, point for decimals)."""
    tag = (language and resolve(language)) or current_language()
    pattern = None if digits is None else "#,##0." + "0" * digits if digits > 0 else "#,##0"
    return format_decimal(value, format=pattern, locale=_catalog_dir(tag))
