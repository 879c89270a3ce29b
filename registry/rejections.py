"""Why a row is rejected, in the clerk's terms: the column as written in the file, the value, what to write.

Validation names interchange fields ("last_seen_date: Input should be a valid date"); a clerk
looking at a Spanish export sees "Fecha de desaparición" and the cell "31/02/2021". Each message
here starts with the header as written, then says what is wrong, quotes the cell as written,
and ends with advice on what the column accepts.
"""

from __future__ import annotations

from registry.errors import InvalidRecord
from registry.i18n import _
from registry.interchange import CsvRow
from registry.mappings import DATE_COLUMNS, STATE_COLUMNS

# Stored fields whose column has another name.
_COLUMN_OF_FIELD = {"marks": "marks_structured"}
_VALUE_CHARS = 40
_WHOLE_NUMBERS = frozenset(
    {"age_years", "height_cm", "age_min", "age_max", "height_min_cm", "height_max_cm", "weight_kg"}
)


def advice(column: str, *, translated: bool) -> str | None:
    """What a column accepts, said as a clerk would need it."""
    if column in DATE_COLUMNS:
        return _("use DD/MM/YYYY or YYYY-MM-DD") if translated else _("use YYYY-MM-DD")
    if column == "source":
        return (
            _("use a registry code such as JAL or FED, or the state's name")
            if translated
            else _("use a registry code such as JAL or FED")
        )
    if column in STATE_COLUMNS:
        return (
            _("use a state code such as JAL, or the state's name (Jalisco)")
            if translated
            else _("use a state code such as JAL")
        )
    if column == "sex":
        return (
            _("use Mujer, Hombre or Se desconoce (or female, male, unknown)")
            if translated
            else _("use female, male or unknown")
        )
    if column == "status":
        words = "Desaparecida, Localizada con vida, Localizada sin vida, Sin identificar, Identificada"
        return _("use {words}", words=words) if translated else _("use a status code of the interchange format")
    if column in _WHOLE_NUMBERS:
        return _("use a whole number")
    return None


def explain(error: InvalidRecord, row: CsvRow) -> str:
    """The reject's message: each problem under the header as written, with the value and advice."""
    translated = row.headers is not None
    if not error.errors:
        return _renamed(error.detail, row)
    parts = []
    for problem in error.errors:
        field = str(problem.get("field", ""))
        column = _COLUMN_OF_FIELD.get(field.split(".")[0], field.split(".")[0])
        message = str(problem.get("message", ""))
        if column not in row.values:  # a whole-record check, or a column the row lacks
            parts.append(_("{field}: {message}", field=row.header_of(column) if column else _("row"), message=message))
            continue
        header = row.header_of(column)
        text = _("{field}: {message}", field=header, message=message)
        value = row.as_written.get(header, "").strip()
        shown = value if len(value) <= _VALUE_CHARS else value[:_VALUE_CHARS] + "…"
        if shown and f"'{shown[:20]}".casefold() not in message.casefold():
            text += " " + _("(the cell holds '{value}')", value=shown)
        hint = advice(column, translated=translated)
        if hint and hint not in message:
            text += f"; {hint}"
        parts.append(text)
    return "; ".join(parts)


def _renamed(detail: str, row: CsvRow) -> str:
    """A message that begins with an interchange column, begun with the header as written instead."""
    column, sep, rest = detail.partition(": ")
    if sep and row.headers and column in row.headers:
        return f"{row.headers[column]}: {rest}"
    return detail
