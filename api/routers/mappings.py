"""Import mappings stored per registry: administrators keep them, clerks' imports use them by name."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from pydantic import BaseModel, Field

from api import security
from api.deps import ActorDep, SessionDep
from registry.services import mappings

router = APIRouter(prefix="/import-mappings", tags=["bulk import"])

RegistryPath = Annotated[str, Path(max_length=3, description="The registry the mapping belongs to, e.g. JAL")]
NamePath = Annotated[str, Path(max_length=64, description="The mapping's name, e.g. jalisco-2026")]


class MappingSave(BaseModel):
    mapping: str = Field(description="The mapping file's text (TOML, docs/interchange.md)", max_length=200_000)


class MappingRead(BaseModel):
    registry: str
    name: str
    version: int = Field(description="Each save is a new version; the highest is in force")
    mapping: str | None = Field(default=None, description="The mapping file's text (TOML)")


@router.get("", response_model=list[MappingRead], summary="The import mappings in force")
def list_mappings(
    session: SessionDep,
    registry: Annotated[str | None, Query(max_length=3, description="Only this registry's")] = None,
) -> list[MappingRead]:
    found = mappings.listing(session, registry=registry.upper() if registry else None)
    return [MappingRead(registry=r, name=n, version=v) for r, n, v in found]


@router.get("/{registry}/{name}", response_model=MappingRead, summary="A stored import mapping, as in force")
def read_mapping(registry: RegistryPath, name: NamePath, session: SessionDep) -> MappingRead:
    found = mappings.stored(session, registry=registry.upper(), name=name)
    return MappingRead(registry=found.registry, name=found.name, version=found.version, mapping=found.text)


@router.put("/{registry}/{name}", response_model=MappingRead, summary="Store a new version of an import mapping")
def save_mapping(
    registry: RegistryPath, name: NamePath, body: MappingSave, session: SessionDep, actor: ActorDep, request: Request
) -> MappingRead:
    saved = mappings.save(
        session, registry=registry.upper(), name=name, text=body.mapping, actor=actor,
        request_id=security.request_id(request),
    )  # fmt: skip
    return MappingRead(registry=saved.registry, name=saved.name, version=saved.version, mapping=saved.text)
