"""Request ids and request logs that carry nothing personal.

Each request gets a fresh id (returned as X-Request-ID and written into its audit events); the
log line names the method, the route's path template (never the path itself, which holds ids,
nor the query string, which holds names), the status and the request id. Bodies are never logged.
"""

from __future__ import annotations

import copy
import logging
import time
import uuid
from typing import Any

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from uvicorn.config import LOGGING_CONFIG

from registry.policy import template_for

logger = logging.getLogger("registry.requests")

REQUEST_ID_HEADER = "X-Request-ID"


class WithoutTracebacks(logging.Filter):
    """Keeps only the exception's class: a traceback can quote SQL parameters (names, CURPs, contacts)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and record.exc_info[0] is not None:
            record.msg = f"{record.msg} ({record.exc_info[0].__name__})"
            record.exc_info = None
            record.exc_text = None
        return True


def configure_logging() -> None:
    """Silences the loggers that would write personal data: uvicorn's access log (full URLs, query strings), SQL."""
    logging.getLogger("uvicorn.access").disabled = True
    # At INFO, SQLAlchemy logs statements with their parameters: names, CURPs, contacts.
    logging.getLogger("sqlalchemy.engine").setLevel(logging.WARNING)
    # uvicorn logs the traceback of any exception that escapes the app.
    error_log = logging.getLogger("uvicorn.error")
    if not any(isinstance(f, WithoutTracebacks) for f in error_log.filters):
        error_log.addFilter(WithoutTracebacks())


def uvicorn_log_config() -> dict[str, Any]:
    """uvicorn's logging, plus the registry's own loggers at INFO (the request lines below) on its handler."""
    config = copy.deepcopy(LOGGING_CONFIG)
    config["loggers"]["registry"] = {"handlers": ["default"], "level": "INFO", "propagate": False}
    return config


def _path_template(scope: Scope) -> str:
    return template_for(scope.get("method", "GET"), scope.get("path", "")) or "<unmatched>"


class RequestContext:
    """Assigns the request id, returns it as a header, and logs one line per request."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                MutableHeaders(scope=message)[REQUEST_ID_HEADER] = request_id
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            logger.info(
                "%s %s %s %.1fms request_id=%s",
                scope.get("method", "-"),
                _path_template(scope),
                status,
                (time.perf_counter() - started) * 1000,
                request_id,
            )
