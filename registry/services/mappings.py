"""A registry's own export format, stored by an administrator under a name and used by its clerks' imports.

Each save is a new version (history, not overwrite); the highest version is in force. A mapping
is checked when it is saved, so an import never meets a mapping that cannot be read.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from pydantic import TypeAdapter, ValidationError
from sqlalchemy.orm import Session

from registry import policy
from registry.actor import Actor
from registry.errors import InvalidRecord, NotFound
from registry.i18n import _
from registry.mappings import ImportMapping, MappingError, load
from registry.repositories import mappings as repo
from registry.schemas.fields import SourceCode
from registry.services import audit
from registry.services.jurisdiction import write_scope
from registry.vocabulary import field_problem

# A mapping's name is a code people type in a form or a URL: short, lower case, no spaces.
NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
MAX_TEXT = 200_000
_REGISTRY: TypeAdapter[str] = TypeAdapter(SourceCode)


@dataclass(frozen=True, slots=True)
class StoredMapping:
    registry: str
    name: str
    version: int
    text: str


def _invalid(field: str, message: str) -> InvalidRecord:
    return InvalidRecord(field_problem(field, message), errors=[{"field": field, "message": message}])


def _check_name(name: str) -> None:
    if not NAME.match(name):
        raise _invalid("name", _("must be 1 to 64 lower-case letters, digits, '-' or '_', e.g. jalisco-2026"))


def save(
    session: Session, *, registry: str, name: str, text: str, actor: Actor, request_id: str | None = None
) -> StoredMapping:
    """Stores a new version of the registry's named mapping, checked first; flushes, never commits."""
    scope = write_scope(session, actor, policy.Action.mapping_manage)
    try:
        registry = _REGISTRY.validate_python(registry)
    except ValidationError:
        raise _invalid(
            "registry",
            _("{registry} is not a registry code (a state code such as JAL, or FED)", registry=repr(registry[:3])),
        ) from None
    if not policy.covers(actor, scope, registry):
        raise _invalid(
            "registry", _("you may manage the mappings of {value} only", value=actor.jurisdiction or "no registry")
        )
    _check_name(name)
    if len(text) > MAX_TEXT:
        raise _invalid("mapping", _("is longer than {MAX_TEXT} characters", MAX_TEXT=MAX_TEXT))
    try:
        load(text, name=name)
    except MappingError as exc:
        raise _invalid("mapping", str(exc)) from None
    previous = repo.latest(session, registry, name)
    version = 1 if previous is None else previous.version + 1
    repo.add(session, registry=registry, name=name, version=version, text=text, created_by=actor.id)
    audit.record(session, actor=actor, action="import_mapping.save", record_kind="import_mapping",
                 record_id=f"{registry}:{name}", detail={"version": version}, request_id=request_id)  # fmt: skip
    return StoredMapping(registry, name, version, text)


def stored(session: Session, *, registry: str, name: str) -> StoredMapping:
    """The version in force of a registry's named mapping."""
    found = repo.latest(session, registry, name)
    if found is None:
        raise NotFound(_("{registry} has no import mapping named {name}", registry=registry, name=repr(name)))
    return StoredMapping(found.source, found.name, found.version, found.text)


def named(session: Session, *, registry: str | None, name: str) -> ImportMapping:
    """The mapping an import uses by name: one stored for the importer's registry."""
    if registry is None:
        raise _invalid("mapping_registry", _("is required when the importer has no registry of its own"))
    found = stored(session, registry=registry, name=name)
    return load(found.text, name=f"{found.registry}:{found.name} (version {found.version})")


def listing(session: Session, *, registry: str | None) -> Sequence[tuple[str, str, int]]:
    """(registry, name, version) of the mappings in force, of one registry or of all."""
    return repo.current(session, registry)
