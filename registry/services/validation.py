"""Pydantic validation with errors that name the field, in words a clerk can act on."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from registry.errors import InvalidRecord

M = TypeVar("M", bound=BaseModel)


def field_errors(exc: ValidationError) -> list[dict[str, str]]:
    """One {field, message} per problem. Model-level checks name their field as "field: message"."""
    errors = []
    for err in exc.errors(include_url=False, include_input=False):
        location = ".".join(str(part) for part in err["loc"])
        message = err["msg"].removeprefix("Value error, ")
        if not location and ": " in message:
            location, message = message.split(": ", 1)
        if err["type"] == "extra_forbidden":
            message = "is not a known field"
        errors.append({"field": location or "body", "message": message})
    return errors


def describe(errors: list[dict[str, str]]) -> str:
    return "; ".join(f"{e['field']}: {e['message']}" for e in errors)


def validate(schema: type[M], payload: Any) -> M:
    try:
        return schema.model_validate(payload)
    except ValidationError as exc:
        errors = field_errors(exc)
        raise InvalidRecord(describe(errors), errors=errors) from exc
