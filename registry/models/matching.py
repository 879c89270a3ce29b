"""Matching parameters, stored and versioned so that every score can be reproduced."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from registry.db import Base, JSONDocument, UTCDateTime, utcnow


class MatchParameterSet(Base):
    """One estimated set of Fellegi–Sunter parameters (m, u, term frequencies) and when it was made."""

    __tablename__ = "match_parameter_sets"

    version: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    fingerprint: Mapped[str] = mapped_column(String(64), unique=True)
    parameters: Mapped[dict[str, Any]] = mapped_column(JSONDocument)
    reports_used: Mapped[int] = mapped_column(Integer)
    remains_used: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by: Mapped[str] = mapped_column(String(100))
