"""RFC 9457 problem details: the one place errors become responses."""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping, Sequence
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy.exc import DBAPIError, OperationalError, SQLAlchemyError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.language import request_language
from api.problem_types import type_uri
from registry.errors import RegistryError
from registry.i18n import N_, _, current_language, translate
from registry.services.validation import describe, message_for

logger = logging.getLogger("registry.api")

PROBLEM_JSON = "application/problem+json"


class Problem(BaseModel):
    """An RFC 9457 problem: what went wrong, and for invalid input which field and why."""

    type: str = Field(description="A URI naming the kind of problem")
    title: str
    status: int
    detail: str = Field(description="What went wrong, in a sentence a clerk can act on")
    errors: list[dict[str, str]] | None = Field(default=None, description="Each invalid field and the reason")
    errors_omitted: int | None = Field(
        default=None, description="How many more errors were found than are listed (at most 100 are)"
    )


_PROBLEM_STATUSES = {
    400: "Bad request",
    401: "Not authenticated",
    403: "Not allowed",
    404: "Not found",
    409: "Conflict",
    412: "The record changed since it was read (stale If-Match)",
    413: "Request body too large",
    422: "Invalid input, naming each field",
    428: "If-Match required",
    429: "Too many attempts",
    503: "Database unavailable or not migrated",
}
# Documented on every route, so that the OpenAPI page says what errors look like.
PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"description": text, "model": Problem, "content": {PROBLEM_JSON: {}}}
    for status, text in _PROBLEM_STATUSES.items()
}


def document_problems(app: FastAPI) -> None:
    """Makes the OpenAPI page say what errors really are: problem+json, not FastAPI's default shapes."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = generate()
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                for status, response in operation.get("responses", {}).items():
                    content = response.get("content", {})
                    if status[:1] in ("4", "5") and PROBLEM_JSON in content and "application/json" in content:
                        content[PROBLEM_JSON] = content.pop("application/json")
        schema.get("components", {}).get("schemas", {}).pop("HTTPValidationError", None)
        schema.get("components", {}).get("schemas", {}).pop("ValidationError", None)
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


# An error can quote what the client sent (a field's name, an unknown column, a bad value), and a client
# can send a million of them: what a problem echoes is bounded here, whatever raised it, so that a
# refusal stays a few kilobytes. Each text is cut with an ellipsis; errors beyond the first ones are
# counted, not listed.
MAX_DETAIL_CHARS = 1_000
MAX_TEXT_CHARS = 200
MAX_ERRORS = 100
# 100 entries of 2 × 200 characters can still be 240 KB when every character is escaped as \uXXXX.
MAX_ERRORS_BYTES = 32_768

# A lost database connection is replaced by the next request; a restarting database takes seconds.
RETRY_AFTER_S = 1
# Problem types point at the API's own pages unless REGISTRY_PROBLEM_TYPE_BASE says otherwise.
DEFAULT_TYPE_BASE = "/problems/"


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _bounded(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float):
        return value
    return _clip(value if isinstance(value, str) else str(value), MAX_TEXT_CHARS)


def _bounded_errors(errors: Sequence[Mapping[str, Any]]) -> tuple[list[dict[str, Any]], int]:
    """The errors to list (texts clipped, within MAX_ERRORS and MAX_ERRORS_BYTES) and how many are left out."""
    listed: list[dict[str, Any]] = []
    size = 0
    for error in errors[:MAX_ERRORS]:
        entry = {_clip(str(name), MAX_TEXT_CHARS): _bounded(value) for name, value in error.items()}
        size += len(json.dumps(entry))  # escaped to ASCII: at least as long as the UTF-8 sent
        if size > MAX_ERRORS_BYTES:
            break
        listed.append(entry)
    return listed, len(errors) - len(listed)


def problem(
    status: int,
    title: str,
    detail: str,
    slug: str,
    *,
    base: str = DEFAULT_TYPE_BASE,
    errors: Sequence[Mapping[str, Any]] | None = None,
    **extra: Any,
) -> JSONResponse:
    body: dict[str, Any] = {
        "type": type_uri(base, slug),
        "title": _clip(title, MAX_TEXT_CHARS),
        "status": status,
        "detail": _clip(detail, MAX_DETAIL_CHARS),
    }
    if errors:
        listed, omitted = _bounded_errors(errors)
        body["errors"] = listed
        if omitted:
            body["errors_omitted"] = omitted
    body.update({k: _bounded(v) for k, v in extra.items() if v is not None})
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON)


def connection_lost(exc: BaseException) -> bool:
    """Whether the error is, or was raised while handling, the loss of a database connection (or no
    connection to be had): the request can be retried as it is.

    SQLAlchemy reports a connection that died mid-request as an error with `connection_invalidated`,
    and any later use of the session as PendingRollbackError, raised while handling the first.
    """
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, OperationalError | PoolTimeout):
            return True
        if isinstance(current, DBAPIError) and current.connection_invalidated:
            return True
        current = current.__cause__ or current.__context__
    return False


def database_unavailable(base: str = DEFAULT_TYPE_BASE) -> JSONResponse:
    response = problem(503, _("Database unavailable"), _("the database cannot be reached; try again"),
                       "database-unavailable", base=base)  # fmt: skip
    response.headers["Retry-After"] = str(RETRY_AFTER_S)
    return response


def _location(loc: tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc]
    if parts and parts[0] in ("body", "query", "path", "header"):
        parts = parts[1:]
    return ".".join(parts) or "body"


def _validation_errors(exc: RequestValidationError) -> list[dict[str, str]]:
    errors = []
    for err in exc.errors():
        message = message_for(err)  # in the reader's language; the field keeps its machine name
        field = _location(tuple(err.get("loc", ())))
        if field == "body" and ": " in message:
            field, message = message.split(": ", 1)
        if err.get("type") == "json_invalid":
            field = "body"
        errors.append({"field": field, "message": message})
    return errors


# Starlette's own refusals (no route, wrong method…), by status: their English detail is not a catalog entry.
_HTTP_TITLES = {
    404: N_("Not found"),
    405: N_("Method not allowed"),
    406: N_("Not acceptable"),
    413: N_("Request body too large"),
    415: N_("Unsupported media type"),
}


def install(app: FastAPI) -> None:
    def base(request: Request) -> str:
        return str(request.app.state.settings.problem_type_base)

    @app.exception_handler(RegistryError)
    async def registry_error(request: Request, exc: RegistryError) -> JSONResponse:
        response = problem(exc.status, translate(exc.title), exc.detail, exc.slug, base=base(request),
                           errors=exc.errors or None, **exc.extra)  # fmt: skip
        response.headers.update(exc.headers)  # WWW-Authenticate on 401, Retry-After on 429
        if exc.status == 503:
            response.headers.setdefault("Retry-After", str(RETRY_AFTER_S))
        return response

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = _validation_errors(exc)
        return problem(
            422, _("Invalid request"), describe(errors), "invalid-request", base=base(request), errors=errors
        )

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        said, known = str(exc.detail), _HTTP_TITLES.get(exc.status_code)
        title = translate(known) if known and current_language() != "en" else said
        # Starlette's default detail is the status phrase (English); a detail of our own is already translated.
        detail = title if said == HTTPStatus(exc.status_code).phrase else said
        response = problem(exc.status_code, title, detail, f"http-{exc.status_code}", base=base(request))
        for name, value in (exc.headers or {}).items():
            response.headers[name] = value
        return response

    @app.exception_handler(SQLAlchemyError)
    async def database_error(request: Request, exc: SQLAlchemyError) -> JSONResponse:
        # Answered here, inside the app, rather than by the catch-all below: an error that reaches the
        # server makes it close the client's connection, and a retry would then find it reset.
        if not connection_lost(exc):
            raise exc  # a bug, not an outage: the catch-all's 500
        # The exception text can hold SQL parameters, i.e. personal data: log only its class.
        orig = getattr(exc, "orig", None)
        logger.error("database unavailable: %s", type(orig or exc).__name__)
        return database_unavailable(base(request))

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        logger.error("unhandled %s", type(exc).__name__)
        # Answered outside the request's language scope (the server's last resort): negotiated again here.
        language = request_language(request, request.app.state.settings.default_language)
        detail = translate("an unexpected error occurred; nothing was changed", language)
        response = problem(500, translate("Internal error", language), detail, "internal-error", base=base(request))
        response.headers["Content-Language"] = language
        return response
