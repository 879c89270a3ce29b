"""Pydantic validation with errors that name the field, in words a clerk can act on, in the clerk's language.

Pydantic writes its messages in English; in any other language each error is rendered from its type
(``missing``, ``date_parsing``, ``string_too_long``…) and its context (the limit, the allowed values)
through the catalogs. The field keeps its machine name in ``errors[].field`` (clients key on it);
the prose (``detail``) names it as the clerk knows it ("Fecha de nacimiento").
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from registry.errors import InvalidRecord
from registry.i18n import N_, current_language, translate
from registry.vocabulary import field_problem

M = TypeVar("M", bound=BaseModel)

# By pydantic error type: the message in the reader's words, filled from the error's context.
MESSAGES: dict[str, str] = {
    "missing": N_("is required"),
    "extra_forbidden": N_("is not a known field"),
    "json_invalid": N_("the body is not valid JSON"),
    "string_type": N_("must be text"),
    "string_unicode": N_("must be text"),
    "string_too_short": N_("must have at least {min_length} characters"),
    "string_too_long": N_("must have at most {max_length} characters"),
    "string_pattern_mismatch": N_("is not in the expected form"),
    "int_type": N_("must be a whole number"),
    "int_parsing": N_("must be a whole number"),
    "int_from_float": N_("must be a whole number"),
    "float_type": N_("must be a number"),
    "float_parsing": N_("must be a number"),
    "decimal_type": N_("must be a number"),
    "decimal_parsing": N_("must be a number"),
    "finite_number": N_("must be a finite number"),
    "bool_type": N_("must be true or false"),
    "bool_parsing": N_("must be true or false"),
    "date_type": N_("must be a date (YYYY-MM-DD)"),
    "date_parsing": N_("must be a valid date (YYYY-MM-DD)"),
    "date_from_datetime_parsing": N_("must be a valid date (YYYY-MM-DD)"),
    "date_from_datetime_inexact": N_("must be a date without a time"),
    "date_future": N_("must be in the future"),
    "date_past": N_("must be in the past"),
    "datetime_type": N_("must be a date and time (ISO 8601)"),
    "datetime_parsing": N_("must be a valid date and time (ISO 8601)"),
    "datetime_from_date_parsing": N_("must be a valid date and time (ISO 8601)"),
    "timezone_aware": N_("must include a time zone"),
    "greater_than": N_("must be greater than {gt}"),
    "greater_than_equal": N_("must be at least {ge}"),
    "less_than": N_("must be less than {lt}"),
    "less_than_equal": N_("must be at most {le}"),
    "multiple_of": N_("must be a multiple of {multiple_of}"),
    "enum": N_("must be one of: {expected}"),
    "literal_error": N_("must be one of: {expected}"),
    "list_type": N_("must be a list"),
    "tuple_type": N_("must be a list"),
    "set_type": N_("must be a list"),
    "too_short": N_("must have at least {min_length} items"),
    "too_long": N_("must have at most {max_length} items"),
    "dict_type": N_("must be an object"),
    "model_type": N_("must be an object"),
    "model_attributes_type": N_("must be an object"),
    "uuid_type": N_("must be an identifier (UUID)"),
    "uuid_parsing": N_("must be an identifier (UUID)"),
    "bytes_type": N_("must be text"),
    "bytes_too_long": N_("must have at most {max_length} bytes"),
    "url_parsing": N_("must be a URL"),
    "url_type": N_("must be a URL"),
    "union_tag_invalid": N_("is not one of the accepted kinds"),
    "union_tag_not_found": N_("does not say which kind it is"),
    "none_required": N_("must be empty"),
    "missing_argument": N_("is required"),
}
# Any other type (new in a pydantic release): still a sentence in the reader's language.
FALLBACK = N_("is not valid")


def _context(ctx: Mapping[str, Any] | None) -> dict[str, str]:
    return {str(name): str(value) for name, value in (ctx or {}).items()}


def message_for(error: Mapping[str, Any]) -> str:
    """One pydantic error as a clerk reads it: pydantic's own words in English, the catalog's otherwise.

    Errors our validators raise (``value_error``) were written in the reader's language where they
    were raised; only pydantic's prefix is taken off.
    """
    kind = str(error.get("type", ""))
    english = str(error.get("msg", "is invalid")).removeprefix("Value error, ")
    if kind in ("value_error", "assertion_error"):
        return english
    if current_language() == "en" and kind not in ("extra_forbidden", "json_invalid"):
        return english
    template = MESSAGES.get(kind, FALLBACK)
    try:
        return translate(template, **_context(error.get("ctx")))
    except (KeyError, IndexError):
        return translate(FALLBACK)


def field_errors(exc: ValidationError) -> list[dict[str, str]]:
    """One {field, message} per problem. Model-level checks name their field as "field: message"."""
    errors = []
    for err in exc.errors(include_url=False, include_input=False):
        location = ".".join(str(part) for part in err["loc"])
        message = message_for(err)
        if not location and ": " in message:
            location, message = message.split(": ", 1)
        errors.append({"field": location or "body", "message": message})
    return errors


def describe(errors: list[dict[str, str]]) -> str:
    """The errors as one sentence, each field named as the clerk knows it."""
    return "; ".join(field_problem(e["field"], e["message"]) for e in errors)


def validate(schema: type[M], payload: Any) -> M:
    try:
        return schema.model_validate(payload)
    except ValidationError as exc:
        errors = field_errors(exc)
        raise InvalidRecord(describe(errors), errors=errors) from exc
