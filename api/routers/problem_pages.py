"""The pages problem `type` URIs point at: what each problem means and what to do (docs/errors.md)."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, Field

from api.problem_types import TYPES
from registry.errors import NotFound
from registry.i18n import _, translate

router = APIRouter(prefix="/problems", tags=["errors"])


class ProblemTypeRead(BaseModel):
    type: str = Field(description="The problem's slug, as at the end of its `type` URI")
    status: int
    title: str
    meaning: str
    what_to_do: str


@router.get("/{slug}", response_model=ProblemTypeRead, summary="What a problem type means and what to do")
def problem_type(slug: str) -> ProblemTypeRead:
    found = TYPES.get(slug)
    if found is None:
        raise NotFound(_("no problem type {slug}", slug=repr(slug[:64])))
    return ProblemTypeRead(
        type=slug,
        status=found.status,
        title=translate(found.title),
        meaning=translate(found.meaning),
        what_to_do=translate(found.what_to_do),
    )
