"""Every mapped table, imported here so that Alembic and the tests see the whole schema."""

from registry.models.history import RecordVersion, StatusEvent
from registry.models.idempotency import IdempotencyKey
from registry.models.reference import RegistryInstance, SourceRegistry
from registry.models.remains import UnidentifiedRemains
from registry.models.reports import RESTRICTED_REPORT_FIELDS, MissingPersonReport

__all__ = [
    "RESTRICTED_REPORT_FIELDS",
    "IdempotencyKey",
    "MissingPersonReport",
    "RecordVersion",
    "RegistryInstance",
    "SourceRegistry",
    "StatusEvent",
    "UnidentifiedRemains",
]
