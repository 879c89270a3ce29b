"""The FastAPI application factory. Nothing happens at import time: the engine is built here."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from sqlalchemy import Engine

from api import problems
from api.limits import BodySizeLimit
from api.routers import health, imports
from api.routers.records import build_router
from registry.actor import Actor
from registry.db import build_engine, session_factory
from registry.record_types import REMAINS, REPORTS
from registry.schemas.remains import RemainsRead
from registry.schemas.reports import ReportRead
from registry.settings import Settings, get_settings

API_PREFIX = "/api/v1"
UPLOAD_PREFIXES = (f"{API_PREFIX}/imports",)


def _anonymous_clerk(_request: Request) -> Actor:
    return Actor(id="api", role="clerk", jurisdiction=None)


def create_app(
    settings: Settings | None = None,
    *,
    engine: Engine | None = None,
    actor_resolver: Callable[[Request], Actor] | None = None,
) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        owned = engine is None
        app.state.engine = engine or build_engine(settings.database_url)
        app.state.sessions = session_factory(app.state.engine)
        try:
            yield
        finally:
            if owned:
                app.state.engine.dispose()

    app = FastAPI(
        title="Registry of missing persons and unidentified remains",
        version="1.0",
        summary="Case registry for Mexico's search commissions",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.actor_resolver = actor_resolver or _anonymous_clerk
    problems.install(app)
    app.add_middleware(
        BodySizeLimit,
        max_bytes=settings.max_body_bytes,
        upload_max_bytes=settings.max_upload_bytes,
        upload_prefixes=UPLOAD_PREFIXES,
    )
    app.include_router(health.router)
    app.include_router(build_router(REPORTS, ReportRead, "/reports", "missing-person reports"), prefix=API_PREFIX)
    app.include_router(build_router(REMAINS, RemainsRead, "/remains", "unidentified remains"), prefix=API_PREFIX)
    app.include_router(imports.router, prefix=API_PREFIX)
    return app
