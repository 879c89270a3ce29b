"""Liveness and readiness probes."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel

from api.readiness import check_ready

router = APIRouter(tags=["health"])


class Health(BaseModel):
    status: str
    revision: str | None = None


@router.get("/healthz", response_model=Health, summary="The process is alive")
def healthz() -> Health:
    return Health(status="ok")


@router.get(
    "/readyz",
    response_model=Health,
    summary="The database is reachable and migrated",
    responses={503: {"description": "The database is unreachable or not migrated"}},
)
async def readyz(request: Request) -> Health:
    revision = await run_in_threadpool(check_ready, request.app.state.engine)
    return Health(status="ready", revision=revision)
