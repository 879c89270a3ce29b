"""The words for the registry's codes in the reader's language, and the account's own language."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from api.deps import ActorDep, SessionDep
from api.security import request_id
from registry.explanations import COMPARISON_LABELS, level_vocabulary
from registry.i18n import SUPPORTED, current_language, set_language, translate
from registry.services import users as users_service
from registry.vocabulary import vocabulary

router = APIRouter(tags=["language"])


class VocabularyRead(BaseModel):
    language: str = Field(description="The language of the labels (es-MX or en)")
    labels: dict[str, dict[str, str]] = Field(
        description="Per vocabulary (report_status, sex, record_kind, role, field, comparison, comparison_level…), "
        "each code and its label; codes are what the API and files use, labels are what a screen prints"
    )


class LanguageChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    language: Literal["es-MX", "en"] | None = Field(
        description="The account's language (es-MX or en); null: follow Accept-Language and the registry's default"
    )


class LanguageRead(BaseModel):
    language: str | None = Field(description="The account's preferred language (null: none chosen)")
    supported: list[str] = Field(description="Languages the registry speaks")


@router.get("/vocabulary", response_model=VocabularyRead, summary="Labels of every code, in the reader's language")
def read_vocabulary(
    lang: str | None = Query(default=None, description="es-MX (or es) or en; default: the negotiated language"),
) -> VocabularyRead:
    labels = vocabulary()
    labels["comparison"] = {name: translate(label) for name, label in COMPARISON_LABELS.items()}
    labels["comparison_level"] = level_vocabulary()
    return VocabularyRead(language=current_language(), labels=labels)


@router.put("/auth/me/language", response_model=LanguageRead, summary="Choose the language the account reads")
def choose_language(body: LanguageChange, session: SessionDep, actor: ActorDep, request: Request) -> LanguageRead:
    users_service.set_preferred_language(
        session=session, actor=actor, language=body.language, request_id=request_id(request)
    )
    if body.language is not None:
        set_language(body.language)  # the answer itself is already in the chosen language
    return LanguageRead(language=body.language, supported=list(SUPPORTED))
