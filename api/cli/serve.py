"""`registry serve`: the HTTP API under uvicorn."""

from __future__ import annotations

from typing import Annotated

import typer
import uvicorn

from api.cli.common import engine_for
from api.logging import uvicorn_log_config
from api.readiness import check_ready


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
        log_config=uvicorn_log_config(),
        access_log=False,
    )
