"""Every mapped table, imported here so that Alembic and the tests see the whole schema."""

from registry.models.audit import AuditChainHead, AuditEvent, AuditOutcome
from registry.models.dna import DnaGenotype, DnaSample, DnaSampleVersion
from registry.models.history import RecordVersion, StatusEvent
from registry.models.idempotency import IdempotencyKey
from registry.models.mappings import ImportMappingVersion
from registry.models.matching import MatchParameterSet
from registry.models.reference import RegistryInstance, SourceRegistry
from registry.models.remains import UnidentifiedRemains
from registry.models.reports import RESTRICTED_REPORT_FIELDS, MissingPersonReport
from registry.models.review import CandidatePair, Identification, Judgement
from registry.models.sessions import RefreshToken
from registry.models.users import ApiKey, LoginAttempt, Role, User

__all__ = [
    "RESTRICTED_REPORT_FIELDS",
    "ApiKey",
    "AuditChainHead",
    "AuditEvent",
    "AuditOutcome",
    "CandidatePair",
    "DnaGenotype",
    "DnaSample",
    "DnaSampleVersion",
    "IdempotencyKey",
    "Identification",
    "ImportMappingVersion",
    "Judgement",
    "LoginAttempt",
    "MatchParameterSet",
    "MissingPersonReport",
    "RecordVersion",
    "RefreshToken",
    "RegistryInstance",
    "Role",
    "SourceRegistry",
    "StatusEvent",
    "UnidentifiedRemains",
    "User",
]
