"""Who is acting: every change records an actor's id (never a person's name)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Actor:
    id: str
    role: str
    jurisdiction: str | None  # a registry code, or None for national
    user_id: uuid.UUID | None = None  # the account behind a token or an API key
    via: str = "system"  # how the actor was authenticated: token, api_key, cli or system
    language: str | None = None  # the account's preferred language (a tag of registry.i18n.SUPPORTED), if set

    @property
    def is_national(self) -> bool:
        return self.jurisdiction is None


SYSTEM = Actor(id="system", role="system", jurisdiction=None)
CLI = Actor(id="cli", role="system", jurisdiction=None, via="cli")
