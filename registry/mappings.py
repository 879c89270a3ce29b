"""Import mappings: which header is which interchange column, and which words are which codes.

A mapping is what `registry import --mapping FILE` reads (TOML, documented in docs/interchange.md)
and what `--print-mapping` writes. The built-in one holds the Spanish headers and values of the
interchange specification; a file's entries are added to it and win over it. Headers and values
are compared without regard to case, accents or repeated spaces (headers also without a unit in
brackets), so "ESTATURA (cm)" is "Estatura" and "nuevo leon" is "Nuevo León".

Translation never guesses: a value the mapping does not know is passed on as written, so that
the record's validation rejects it with a message naming its column.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from registry import spanish
from registry.i18n import _

# Value tables that apply to several columns: `[values.states]` reads every state column.
STATE_COLUMNS = frozenset({"source", "last_seen_state", "found_state", "birth_state"})
DATE_COLUMNS = frozenset({"date_of_birth", "last_seen_date", "found_date", "intake_date"})
STATES_GROUP = "states"

_UNIT = re.compile(r"\s*[\(\[][^\)\]]*[\)\]]\s*$")
_DAY_FIRST = re.compile(r"^(\d{1,2})[/\-.](\d{1,2})[/\-.](\d{4})$")
_ISO_WITH_TIME = re.compile(r"^(\d{4}-\d{2}-\d{2})[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$")


class MappingError(ValueError):
    """A mapping file that cannot be used; the message names the entry."""


@lru_cache(maxsize=65_536)
def normalise(text: str) -> str:
    """Case, accents and repeated spaces set aside: 'Nuevo  León' and 'NUEVO LEON' are one value."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(plain.casefold().split())


def normalise_header(text: str) -> str:
    """A header as compared: like a value, less a trailing unit in brackets ('Estatura (cm)')."""
    name = normalise(text.lstrip("\ufeff"))
    return _UNIT.sub("", name) or name


@dataclass(frozen=True, slots=True)
class ImportMapping:
    """A mapping as written: headers and values in the file's own words (see the module's docstring)."""

    name: str
    columns: Mapping[str, str] = field(default_factory=dict)  # header -> interchange column
    values: Mapping[str, Mapping[str, str]] = field(default_factory=dict)  # column or "states" -> word -> code
    empty: tuple[str, ...] = ()
    date_formats: tuple[str, ...] = ()  # strptime formats tried before the built-in ones
    ignore: tuple[str, ...] = ()  # headers whose columns are not imported

    def over(self, base: ImportMapping) -> ImportMapping:
        """This mapping added to `base`, its own entries winning."""
        values = {key: dict(table) for key, table in base.values.items()}
        for key, table in self.values.items():
            values.setdefault(key, {}).update(table)
        return ImportMapping(
            name=self.name,
            columns={**base.columns, **self.columns},
            values=values,
            empty=tuple(dict.fromkeys((*base.empty, *self.empty))),
            date_formats=(*self.date_formats, *base.date_formats),
            ignore=tuple(dict.fromkeys((*base.ignore, *self.ignore))),
        )


BUILT_IN = ImportMapping(
    name="built-in Spanish",
    columns={header: column for column, headers in spanish.HEADERS.items() for header in headers},
    values={"sex": spanish.SEXES, "status": spanish.STATUSES, STATES_GROUP: spanish.STATE_NAMES},
    empty=spanish.EMPTY,
)


def load(text: str, *, name: str) -> ImportMapping:
    """A mapping file (TOML) read and checked; it is added to the built-in Spanish mapping."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise MappingError(_("{name} is not valid TOML: {exc}", name=name, exc=exc)) from None
    known = {"columns", "values", "empty", "date_format", "date_formats", "ignore"}
    unknown = sorted(set(data) - known)
    if unknown:
        raise MappingError(
            _(
                "{name}: unknown entry {unknown} (known: {join})",
                name=name,
                unknown=repr(unknown[0]),
                join=", ".join(sorted(known)),
            )
        )
    formats = _strings(data.get("date_formats", []), f"{name}: date_formats")
    if "date_format" in data:
        formats = [*_strings([data["date_format"]], f"{name}: date_format"), *formats]
    for fmt in formats:
        _check_date_format(fmt, name)
    values = data.get("values", {})
    if not isinstance(values, dict):
        raise MappingError(_("{name}: values must be a table of tables, e.g. [values.sex]", name=name))
    return ImportMapping(
        name=name,
        columns=_table(data.get("columns", {}), f"{name}: columns"),
        values={key: _table(table, f"{name}: values.{key}") for key, table in values.items()},
        empty=tuple(_strings(data.get("empty", []), f"{name}: empty")),
        date_formats=tuple(formats),
        ignore=tuple(_strings(data.get("ignore", []), f"{name}: ignore")),
    ).over(BUILT_IN)


def _table(value: Any, where: str) -> dict[str, str]:
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise MappingError(_('{where} must map text to text, e.g. "Sexo" = "sex"', where=where))
    return dict(value)


def _strings(value: Any, where: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise MappingError(_("{where} must be a list of text", where=where))
    return list(value)


def _check_date_format(fmt: str, name: str) -> None:
    if not any(code in fmt for code in ("%d", "%j")) or ("%Y" not in fmt and "%y" not in fmt):
        raise MappingError(
            _("{name}: date format {fmt} needs a day (%d) and a year (%Y), e.g. '%d.%m.%Y'", name=name, fmt=repr(fmt))
        )


def dump(mapping: ImportMapping) -> str:
    """The mapping as a TOML file (what `registry import --print-mapping` writes)."""
    lines = [
        f"# Import mapping ({mapping.name}). Use it with: registry import FILE --kind ... --mapping THIS_FILE",
        "# Headers and values are compared without regard to case, accents or spaces (docs/interchange.md).",
        "# A mapping file's entries are added to the built-in Spanish ones and win over them.",
        "",
        "# strptime formats tried first; DD/MM/YYYY, D/M/YYYY, DD-MM-YYYY and YYYY-MM-DD are always read.",
        f"date_formats = {_list(mapping.date_formats)}",
        "# Placeholders read as an empty cell (unknown).",
        f"empty = {_list(mapping.empty)}",
        "# Headers whose columns are left out of the import.",
        f"ignore = {_list(mapping.ignore)}",
        "",
        "# Header as written in the file = interchange column.",
        "[columns]",
        *(f"{_quote(header)} = {_quote(column)}" for header, column in mapping.columns.items()),
    ]
    for key, table in mapping.values.items():
        what = "every state column and source" if key == STATES_GROUP else f"the {key} column"
        lines += ["", f"# Values of {what}: as written = code.", f"[values.{_key(key)}]"]
        lines += [f"{_quote(word)} = {_quote(code)}" for word, code in table.items()]
    return "\n".join(lines) + "\n"


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _key(text: str) -> str:
    return text if re.fullmatch(r"[A-Za-z0-9_-]+", text) else _quote(text)


def _list(items: tuple[str, ...]) -> str:
    return "[" + ", ".join(_quote(item) for item in items) + "]"


@dataclass(frozen=True, slots=True)
class Translator:
    """A mapping compiled for lookups: cells in an export's words to interchange codes."""

    columns: dict[str, str]  # normalised header -> column
    ignore: frozenset[str]  # normalised headers
    values: dict[str, dict[str, str]]  # column -> normalised word -> code
    empty: frozenset[str]
    date_formats: tuple[str, ...]

    @classmethod
    def of(cls, mapping: ImportMapping) -> Translator:
        tables: dict[str, dict[str, str]] = {}
        for key, table in mapping.values.items():
            for column in STATE_COLUMNS if key == STATES_GROUP else (key,):
                tables.setdefault(column, {}).update({normalise(word): code for word, code in table.items()})
        return cls(
            columns={normalise_header(header): column for header, column in mapping.columns.items()},
            ignore=frozenset(normalise_header(header) for header in mapping.ignore),
            values=tables,
            empty=frozenset(" ".join(word.casefold().split()) for word in mapping.empty),
            date_formats=mapping.date_formats,
        )

    def column_of(self, header: str) -> str | None:
        return self.columns.get(normalise_header(header))

    def ignores(self, header: str) -> bool:
        return normalise_header(header) in self.ignore

    def cell(self, column: str, raw: str) -> str:
        """The cell in interchange terms; what the mapping does not know, unchanged."""
        text = raw.strip()
        if not text or " ".join(text.casefold().split()) in self.empty:
            return ""
        table = self.values.get(column)
        if table is not None:
            code = table.get(normalise(text))
            if code is not None:
                return code
        if column in DATE_COLUMNS:
            return self.date(text)
        return text

    def date(self, text: str) -> str:
        """A date as YYYY-MM-DD when it is written in a form the mapping knows; else as written."""
        for fmt in self.date_formats:
            try:
                return datetime.strptime(text, fmt).date().isoformat()
            except ValueError:
                continue
        day_first = _DAY_FIRST.match(text)
        if day_first:
            day, month, year = (int(part) for part in day_first.groups())
            try:
                return date(year, month, day).isoformat()
            except ValueError:
                return text  # an impossible date: rejected by validation, as written
        with_time = _ISO_WITH_TIME.match(text)
        return with_time.group(1) if with_time else text
