"""Reference data: the registries (32 states and the federal one) and the database's own kind."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from registry.db import Base, UTCDateTime, utcnow
from registry.enums import InstanceKind
from registry.models.columns import enum_type


class SourceRegistry(Base):
    """A registry that files records: a state's search commission or forensic service, or FED."""

    __tablename__ = "registries"

    code: Mapped[str] = mapped_column(String(3), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    curp_code: Mapped[str | None] = mapped_column(String(2))
    is_federal: Mapped[bool] = mapped_column(default=False)


class RegistryInstance(Base):
    """One row saying whether this database holds real records or is a training sandbox."""

    __tablename__ = "registry_instance"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, default=1)
    kind: Mapped[InstanceKind] = mapped_column(enum_type(InstanceKind, "instance_kind"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
