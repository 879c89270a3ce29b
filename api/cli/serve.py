"""`registry serve`: the HTTP API under uvicorn."""

from __future__ import annotations

import copy
from typing import Annotated, Any

import typer
import uvicorn
from uvicorn.config import LOGGING_CONFIG

from api.cli.common import engine_for
from api.readiness import check_ready


def log_config() -> dict[str, Any]:
    """uvicorn's logging, plus the registry's own loggers at INFO (the request lines of api.logging)."""
    config = copy.deepcopy(LOGGING_CONFIG)
    config["loggers"]["registry"] = {"handlers": ["default"], "level": "INFO", "propagate": False}
    return config


def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on")] = 8000,
    workers: Annotated[int, typer.Option(help="Worker processes")] = 1,
) -> None:
    """Serve the API (its OpenAPI page is at /docs)."""
    with engine_for() as engine:
        check_ready(engine)
    # uvicorn's loop="auto" and http="auto" pick uvloop and httptools (both project dependencies).
    # Its access log stays off: it writes full paths and query strings; api.logging writes one without them.
    uvicorn.run(
        "api.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="info",
        log_config=log_config(),
        access_log=False,
    )
