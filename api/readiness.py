"""Whether the database can serve: reachable and migrated to the head revision (used by serve and /readyz)."""

from __future__ import annotations

from alembic.script import ScriptDirectory
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from migrations.config import alembic_config
from registry.db import session_factory
from registry.errors import DatabaseUnavailable, SchemaNotMigrated, UnsafeSettings
from registry.repositories import schema as repo
from registry.services.instance import is_sandbox
from registry.settings import MIN_SECRET_KEY_LENGTH, Settings


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


def check_secret_key(engine: Engine, settings: Settings) -> None:
    """Refuses to serve real records with a token key anyone can read in the source (or a short one).

    A forged token signed with the public development key would read a relative's phone number.
    A sandbox (demo data only) may use it; `registry demo` gives its sandbox a random key anyway.
    """
    if not settings.secret_key_is_weak():
        return
    with session_factory(engine)() as session:
        if is_sandbox(session):
            return
    raise UnsafeSettings(
        "REGISTRY_SECRET_KEY is not set (or is the public development key, or shorter than "
        f"{MIN_SECRET_KEY_LENGTH} characters): this database holds real records, so the registry will not "
        "serve it. Set one of your own, e.g. "
        "REGISTRY_SECRET_KEY=$(python3 -c 'import secrets; print(secrets.token_urlsafe(48))'), "
        "and keep it secret (tokens signed with it open the registry)"
    )
