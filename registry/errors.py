"""Domain errors. Each knows its HTTP status; the API renders them as RFC 9457 problem details."""

from __future__ import annotations

from typing import Any

from registry.i18n import N_


class RegistryError(Exception):
    """A refusal the API renders as a problem; ``title`` is an English message id (translated when shown),
    ``detail`` is written in the reader's language where it is raised (``_(...)``)."""

    status: int = 400
    title: str = N_("Bad request")
    slug: str = "bad-request"

    def __init__(self, detail: str, *, errors: list[dict[str, Any]] | None = None, **extra: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = errors or []
        self.extra = extra

    @property
    def headers(self) -> dict[str, str]:
        """Response headers the error calls for (e.g. WWW-Authenticate, Retry-After)."""
        return {}


class InvalidRecord(RegistryError):
    status = 422
    title = N_("Invalid record")
    slug = "invalid-record"


class NotFound(RegistryError):
    status = 404
    title = N_("Not found")
    slug = "not-found"


class DuplicateRecord(RegistryError):
    """A record with this (source, folio) exists already; `existing_id` points at it."""

    status = 409
    title = N_("Record already exists")
    slug = "duplicate-record"


class Conflict(RegistryError):
    status = 409
    title = N_("Conflict")
    slug = "conflict"


class PreconditionRequired(RegistryError):
    status = 428
    title = N_("Precondition required")
    slug = "precondition-required"


class StaleVersion(RegistryError):
    status = 412
    title = N_("Precondition failed")
    slug = "stale-version"


class IdempotencyKeyReused(RegistryError):
    status = 422
    title = N_("Idempotency key reused with a different request")
    slug = "idempotency-key-reused"


class IdempotentRequestInFlight(RegistryError):
    status = 409
    title = N_("A request with this idempotency key is still being processed")
    slug = "idempotency-in-flight"


class SandboxViolation(RegistryError):
    status = 409
    title = N_("Demo data and real records never mix")
    slug = "sandbox-violation"


class DatabaseUnavailable(RegistryError):
    status = 503
    title = N_("Database unavailable")
    slug = "database-unavailable"


class SchemaNotMigrated(RegistryError):
    status = 503
    title = N_("Database schema is not up to date")
    slug = "schema-not-migrated"


class Unauthenticated(RegistryError):
    """No credentials, or credentials that are forged, expired, revoked or for a disabled account."""

    status = 401
    title = N_("Authentication required")
    slug = "unauthenticated"

    @property
    def headers(self) -> dict[str, str]:
        return {"WWW-Authenticate": 'Bearer realm="registry"'}


class Forbidden(RegistryError):
    """The caller is known, but their role or jurisdiction does not allow this."""

    status = 403
    title = N_("Forbidden")
    slug = "forbidden"


class TooManyAttempts(RegistryError):
    status = 429
    title = N_("Too many failed attempts")
    slug = "too-many-attempts"

    def __init__(self, detail: str, *, retry_after: int) -> None:
        super().__init__(detail, retry_after=retry_after)
        self.retry_after = retry_after

    @property
    def headers(self) -> dict[str, str]:
        return {"Retry-After": str(self.retry_after)}


class InvalidParameter(RegistryError):
    """A query parameter that cannot be understood, e.g. a cursor this API never returned: 400, naming it."""

    status = 400
    title = N_("Invalid parameter")
    slug = "invalid-parameter"


class UnsafeSettings(RegistryError):
    """A setting that would expose real records (e.g. the public development secret key)."""

    status = 500
    title = N_("Unsafe settings")
    slug = "unsafe-settings"


class BackupError(RegistryError):
    """A backup or restore that cannot be done as asked (the file exists, the target is not empty, no pg_dump)."""

    status = 409
    title = N_("Backup or restore refused")
    slug = "backup-refused"
