"""A distinguishing mark as a structured item."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from registry.enums import BodySide, MarkKind
from registry.schemas.fields import LongText, ShortText


def _blank_is_unknown(value: object) -> object:
    return None if isinstance(value, str) and not value.strip() else value


class Mark(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: MarkKind = Field(description="tattoo, scar, mole, amputation, implant or other")
    body_part: ShortText | None = Field(default=None, description="Where on the body, e.g. antebrazo")
    side: Annotated[BodySide | None, BeforeValidator(_blank_is_unknown)] = Field(
        default=None, description="left, right or centre"
    )
    description: LongText | None = Field(default=None, description="As the relative or examiner wrote it")
