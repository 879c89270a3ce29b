"""Who is acting: every change records an actor's id (never a person's name)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Actor:
    id: str
    role: str
    jurisdiction: str | None  # a registry code, or None for national


SYSTEM = Actor(id="system", role="system", jurisdiction=None)
