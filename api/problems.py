"""RFC 9457 problem details: the one place errors become responses."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy.exc import OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

from registry.errors import RegistryError

logger = logging.getLogger("registry.api")

PROBLEM_JSON = "application/problem+json"


class Problem(BaseModel):
    """An RFC 9457 problem: what went wrong, and for invalid input which field and why."""

    type: str = Field(description="A URI naming the kind of problem")
    title: str
    status: int
    detail: str = Field(description="What went wrong, in a sentence a clerk can act on")
    errors: list[dict[str, str]] | None = Field(default=None, description="Each invalid field and the reason")


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


def problem(status: int, title: str, detail: str, slug: str, **extra: Any) -> JSONResponse:
    body = {"type": f"https://registry.example/problems/{slug}", "title": title, "status": status, "detail": detail}
    body.update({k: v for k, v in extra.items() if v is not None})
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON)


def _location(loc: tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc]
    if parts and parts[0] in ("body", "query", "path", "header"):
        parts = parts[1:]
    return ".".join(parts) or "body"


def _validation_errors(exc: RequestValidationError) -> list[dict[str, str]]:
    errors = []
    for err in exc.errors():
        message = str(err.get("msg", "is invalid")).removeprefix("Value error, ")
        field = _location(tuple(err.get("loc", ())))
        if field == "body" and ": " in message:
            field, message = message.split(": ", 1)
        if err.get("type") == "extra_forbidden":
            message = "is not a known field"
        if err.get("type") == "json_invalid":
            field, message = "body", "the body is not valid JSON"
        errors.append({"field": field, "message": message})
    return errors


def install(app: FastAPI) -> None:
    @app.exception_handler(RegistryError)
    async def registry_error(_request: Request, exc: RegistryError) -> JSONResponse:
        response = problem(exc.status, exc.title, exc.detail, exc.slug, errors=exc.errors or None, **exc.extra)
        response.headers.update(exc.headers)  # WWW-Authenticate on 401, Retry-After on 429
        return response

    @app.exception_handler(RequestValidationError)
    async def invalid_request(_request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = _validation_errors(exc)
        detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors)
        return problem(422, "Invalid request", detail, "invalid-request", errors=errors)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        response = problem(exc.status_code, str(exc.detail), str(exc.detail), f"http-{exc.status_code}")
        for name, value in (exc.headers or {}).items():
            response.headers[name] = value
        return response

    @app.exception_handler(OperationalError)
    async def database_down(_request: Request, exc: OperationalError) -> JSONResponse:
        # The exception text can hold SQL parameters, i.e. personal data: log only its class.
        logger.error("database error: %s", type(exc.orig).__name__ if exc.orig else type(exc).__name__)
        return problem(503, "Database unavailable", "the database cannot be reached; try again", "database-unavailable")

    @app.exception_handler(Exception)
    async def unexpected(_request: Request, exc: Exception) -> JSONResponse:
        logger.error("unhandled %s", type(exc).__name__)
        return problem(500, "Internal error", "an unexpected error occurred; nothing was changed", "internal-error")
