"""What each problem `type` means and what to do about it: served at its own URI, written out in docs/errors.md.

A problem's `type` is `<REGISTRY_PROBLEM_TYPE_BASE><slug>` (by default the relative reference
`/problems/<slug>`, resolved against the API's own address), and `GET /problems/<slug>` answers
with the entry below, so the link in every error leads somewhere useful even on a network without
internet. tests/api/test_problem_types.py checks that every type the code can raise is here and in
docs/errors.md.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ProblemType:
    status: int
    title: str
    meaning: str
    what_to_do: str


TYPES: dict[str, ProblemType] = {
    "invalid-record": ProblemType(
        422,
        "Invalid record",
        "A field of the record is missing, malformed or inconsistent with another.",
        "Read `errors`: each entry names the field and the reason. Correct those fields and send again.",
    ),
    "invalid-request": ProblemType(
        422,
        "Invalid request",
        "The request's body, query or headers do not have the expected shape.",
        "Read `errors` (field and reason); check the operation in the OpenAPI page (/docs).",
    ),
    "invalid-parameter": ProblemType(
        400,
        "Invalid parameter",
        "A query parameter cannot be understood, e.g. a cursor the API never issued.",
        "Pass `next_cursor` values back unchanged; start again from the first page if in doubt.",
    ),
    "not-found": ProblemType(
        404,
        "Not found",
        "No such record, pair, account or mapping — or one you may not change, which answers "
        "exactly like one that does not exist.",
        "Check the id; search the registry to find the record.",
    ),
    "duplicate-record": ProblemType(
        409,
        "Record already exists",
        "A record with this (source, folio) exists already; `existing_id` points at it.",
        "Correct that record (PATCH with its ETag) instead of creating a second one.",
    ),
    "conflict": ProblemType(
        409,
        "Conflict",
        "The change contradicts the record's state (e.g. it was withdrawn, or is already so).",
        "Reload the record and decide again from its current state.",
    ),
    "precondition-required": ProblemType(
        428,
        "Precondition required",
        "A change needs the version it is based on (`If-Match` with the ETag).",
        "Read the record, and send its ETag in `If-Match` with the change.",
    ),
    "stale-version": ProblemType(
        412,
        "Precondition failed",
        "Someone else saved the record after you read it.",
        "Reload the record, apply your change again to what is there now, and send it with the new ETag.",
    ),
    "idempotency-key-reused": ProblemType(
        422,
        "Idempotency key reused",
        "This `Idempotency-Key` was used with a different request body.",
        "Use a new key for a new request; reuse a key only to retry the very same request.",
    ),
    "idempotency-in-flight": ProblemType(
        409,
        "Request in flight",
        "The first request with this `Idempotency-Key` is still being processed.",
        "Wait a moment and retry with the same key: you will get its response.",
    ),
    "sandbox-violation": ProblemType(
        409,
        "Sandbox violation",
        "Demo data and real records never mix: this database is the other kind.",
        "Point the command at a sandbox (`registry demo`) or at an empty database.",
    ),
    "database-unavailable": ProblemType(
        503,
        "Database unavailable",
        "The database could not be reached, or the connection was lost; nothing was confirmed.",
        "Retry after `Retry-After` seconds (with the same `Idempotency-Key` for a creation). "
        "Operators: check the database and REGISTRY_DATABASE_URL.",
    ),
    "schema-not-migrated": ProblemType(
        503,
        "Schema not migrated",
        "The database is not at the revision this version of the registry needs.",
        "Operators: take a backup and run `registry db upgrade` (docs/deploy.md).",
    ),
    "unauthenticated": ProblemType(
        401,
        "Authentication required",
        "No valid credentials: missing, expired, revoked or forged; or the account is disabled.",
        "Sign in again (`POST /api/v1/auth/token`, or refresh with `POST /api/v1/auth/refresh`).",
    ),
    "forbidden": ProblemType(
        403,
        "Forbidden",
        "Your role (or your registry) does not allow this action.",
        "See docs/access.md for who may do what; ask an administrator if your role is wrong.",
    ),
    "too-many-attempts": ProblemType(
        429,
        "Too many failed attempts",
        "Too many failed sign-ins for this account or from this address.",
        "Wait `Retry-After` seconds. If the password is lost, an administrator can reset it.",
    ),
    "unsafe-settings": ProblemType(
        500,
        "Unsafe settings",
        "A setting would expose real records (e.g. the public development secret key).",
        "Operators: set REGISTRY_SECRET_KEY to a random key of at least 32 characters (docs/deploy.md).",
    ),
    "backup-refused": ProblemType(
        409,
        "Backup refused",
        "A backup or restore would overwrite data, or the backup file is damaged.",
        "Choose a new file to write, an empty database to restore into (or `--replace`), or another backup.",
    ),
    "audit-chain-broken": ProblemType(
        409,
        "Audit chain broken",
        "The audit trail does not verify: an event was changed, removed or added.",
        "Do not prune or anchor it; compare with your last anchor (`registry audit verify --anchor`) and "
        "investigate who could write the database.",
    ),
    "audit-anchor-unreadable": ProblemType(
        422,
        "Audit anchor unreadable",
        "The file given as an anchor is not an anchor this registry wrote.",
        "Use a file written by `registry audit anchor` or `registry audit prune`.",
    ),
    "body-too-large": ProblemType(
        413,
        "Request body too large",
        "The body exceeds REGISTRY_MAX_BODY_BYTES (uploads: REGISTRY_MAX_UPLOAD_BYTES).",
        "Send less: split a large import into several files.",
    ),
    "internal-error": ProblemType(
        500,
        "Internal error",
        "An unexpected error; nothing was changed.",
        "Retry once; if it persists, give the `X-Request-ID` to the registry's operators.",
    ),
    "http-404": ProblemType(
        404,
        "Not Found",
        "No such address in this API.",
        "Check the path against the OpenAPI page (/docs).",
    ),
    "http-405": ProblemType(
        405,
        "Method Not Allowed",
        "This address does not take this HTTP method.",
        "Check the operation against the OpenAPI page (/docs).",
    ),
}


def type_uri(base: str, slug: str) -> str:
    """The `type` of a problem: the configured base and the problem's slug."""
    return f"{base}{slug}"
