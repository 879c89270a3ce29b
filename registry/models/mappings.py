"""Import mappings stored by an administrator under a name, per registry, every version kept."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from registry.db import Base, UTCDateTime, utcnow


class ImportMappingVersion(Base):
    """One version of a registry's named mapping (TOML, docs/interchange.md); the highest is in force."""

    __tablename__ = "import_mappings"

    source: Mapped[str] = mapped_column(String(3), primary_key=True)  # the registry
    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by: Mapped[str] = mapped_column(String(100))
