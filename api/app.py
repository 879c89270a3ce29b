"""The FastAPI application factory. Nothing happens at import time: the engine is built here."""

from __future__ import annotations

import gc
import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from sqlalchemy import Engine

from api import docs_pages, openapi_language, problems
from api.console import build_console
from api.deps import AUTHORIZED
from api.language import LanguageNegotiation
from api.limits import BodySizeLimit
from api.logging import RequestContext, configure_logging
from api.problems import PROBLEM_RESPONSES
from api.readiness import check_secret_key
from api.routers import auth, candidates, dna, health, imports, language, mappings, problem_pages, review, users
from api.routers.records import build_router
from registry.db import build_engine, reading_session_factory, session_factory, transaction
from registry.record_types import REMAINS, REPORTS
from registry.schemas.remains import RemainsRead
from registry.schemas.reports import ReportRead
from registry.services.dna_families import DnaIndexCache
from registry.services.matching import LiveIndex
from registry.settings import Settings, get_settings

API_PREFIX = "/api/v1"
logger = logging.getLogger("registry.api")
UPLOAD_PREFIXES = (f"{API_PREFIX}/imports", "/console/import", f"{API_PREFIX}/dna/imports")


def create_app(
    settings: Settings | None = None,
    *,
    engine: Engine | None = None,
) -> FastAPI:
    """The API; every route but the probes, the token endpoint and the docs passes its rule in registry.policy."""
    settings = settings or get_settings()
    configure_logging()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        owned = engine is None
        app.state.engine = engine or build_engine(settings.database_url)
        check_secret_key(app.state.engine, settings)
        app.state.sessions = session_factory(app.state.engine)
        app.state.reading_sessions = reading_session_factory(app.state.engine)
        started = time.perf_counter()
        with transaction(app.state.sessions) as session:
            app.state.live_index = LiveIndex.build(session)
        # Counts and seconds only: what an operator needs to size workers and spot a slow start.
        logger.info(
            "matching index built: %d records in %.2f s",
            len(app.state.live_index.index),
            time.perf_counter() - started,
        )
        if owned:
            # A serving process keeps the index for its lifetime: out of the cycle collector's reach, a full
            # collection no longer walks millions of indexed objects (≈1 s at 350,000 records, mid-request).
            gc.freeze()
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
        docs_url=None,  # served by docs_pages, from local assets
        redoc_url=None,
    )
    app.state.settings = settings
    # The DNA family index, rebuilt when the DNA data changed (registry.services.dna_families).
    app.state.dna_index = DnaIndexCache()
    problems.install(app)
    app.add_middleware(
        BodySizeLimit,
        max_bytes=settings.max_body_bytes,
        upload_max_bytes=settings.max_upload_bytes,
        upload_prefixes=UPLOAD_PREFIXES,
        type_base=settings.problem_type_base,
    )
    app.add_middleware(LanguageNegotiation, default=settings.default_language)
    app.add_middleware(RequestContext)  # outermost: every response, even a 413, carries X-Request-ID
    app.include_router(health.router, responses=PROBLEM_RESPONSES)
    app.include_router(problem_pages.router, responses=PROBLEM_RESPONSES)
    app.include_router(auth.router, prefix=API_PREFIX, responses=PROBLEM_RESPONSES)
    for router in (
        build_router(REPORTS, ReportRead, "/reports", "missing-person reports"),
        build_router(REMAINS, RemainsRead, "/remains", "unidentified remains"),
        candidates.router,
        review.router,
        imports.router,
        dna.router,
        mappings.router,
        users.router,
        language.router,
    ):
        app.include_router(router, prefix=API_PREFIX, dependencies=[AUTHORIZED], responses=PROBLEM_RESPONSES)
    docs_pages.install(app)
    app.mount("/console", build_console(app))  # the web console (docs/console.md): its pages declare their rules
    problems.document_problems(app)
    openapi_language.install(app)  # after: it translates the schema document_problems makes
    return app
