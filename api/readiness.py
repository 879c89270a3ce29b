"""Whether the database can serve: reachable and migrated to the head revision (used by serve and /readyz)."""

from __future__ import annotations

from alembic.script import ScriptDirectory
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from migrations.config import alembic_config
from registry.errors import DatabaseUnavailable, SchemaNotMigrated
from registry.repositories import schema as repo


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()


def check_ready(engine: Engine) -> str:
    """The database's revision, if it is reachable and at head; otherwise a clear error."""
    try:
        repo.ping(engine)
        current = repo.current_revision(engine)
    except SQLAlchemyError as exc:
        raise DatabaseUnavailable(
            f"cannot reach the database ({type(getattr(exc, 'orig', None) or exc).__name__}); "
            "check REGISTRY_DATABASE_URL"
        ) from exc
    head = head_revision()
    if current is None or current != head:
        raise SchemaNotMigrated(
            f"the database is at revision {current or 'none'} but the code needs {head}; run `registry db upgrade`"
        )
    return current
