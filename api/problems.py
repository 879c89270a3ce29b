"""RFC 9457 problem details: the one place errors become responses."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

from registry.errors import RegistryError

logger = logging.getLogger("registry.api")

PROBLEM_JSON = "application/problem+json"


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
        return problem(exc.status, exc.title, exc.detail, exc.slug, errors=exc.errors or None, **exc.extra)

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
