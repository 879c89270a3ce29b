"""Trainers' screen: the seeded cases of a sandbox with their answers (the seed's ground truth)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from fastapi.concurrency import run_in_threadpool

from api import security
from api.console import deps
from api.console.pages import render
from api.console.records import record_url
from api.deps import SessionDep
from registry import policy
from registry.enums import RecordKind
from registry.repositories import review as review_repo
from registry.services import review
from seed import exercises

router = APIRouter()
CASES_PER_KIND = 25
# Trainers only, and only on a sandbox (policy.decide refuses a trainer anything else elsewhere).
Exercise = Annotated[security.Grant, Depends(deps.permit(policy.Action.exercise_read))]


@router.get("/exercises")
async def exercise_list(request: Request, session: SessionDep, grant: Exercise) -> Response:
    config = await run_in_threadpool(exercises.dataset_of, session)
    rows = []
    if config is not None:
        found = await run_in_threadpool(exercises.cases, session, config, limit=CASES_PER_KIND)
        for case in found:
            pair_url = None
            if case.left.id is not None and case.right.id is not None:
                ends = review.ends_of(
                    RecordKind(case.left.kind), case.left.id, RecordKind(case.right.kind), case.right.id
                )
                stored = review_repo.pairs_by_ends(session, [(ends.left_id, ends.right_id)])
                pair = stored.get((ends.left_id, ends.right_id))
                pair_url = f"/console/pairs/{pair.id}" if pair else None
            rows.append(
                {
                    "case": case,
                    "pair_url": pair_url,
                    "left_url": record_url(case.left.kind, case.left.id) if case.left.id else None,
                    "right_url": record_url(case.right.kind, case.right.id) if case.right.id else None,
                }
            )
    return render(request, "exercises.html", config=config, rows=rows)
