"""What each problem `type` means and what to do about it: served at its own URI, written out in docs/errors.md.

A problem's `type` is `<REGISTRY_PROBLEM_TYPE_BASE><slug>` (by default the relative reference
`/problems/<slug>`, resolved against the API's own address), and `GET /problems/<slug>` answers
with the entry below, so the link in every error leads somewhere useful even on a network without
internet. tests/api/test_problem_types.py checks that every type the code can raise is here and in
docs/errors.md.
"""

from __future__ import annotations

from dataclasses import dataclass

from registry.i18n import N_


@dataclass(frozen=True, slots=True)
class ProblemType:
    status: int
    title: str
    meaning: str
    what_to_do: str


TYPES: dict[str, ProblemType] = {
    "invalid-record": ProblemType(
        422,
        N_("Invalid record"),
        N_("A field of the record is missing, malformed or inconsistent with another."),
        N_("Read `errors`: each entry names the field and the reason. Correct those fields and send again."),
    ),
    "invalid-request": ProblemType(
        422,
        N_("Invalid request"),
        N_("The request's body, query or headers do not have the expected shape."),
        N_("Read `errors` (field and reason); check the operation in the OpenAPI page (/docs)."),
    ),
    "invalid-parameter": ProblemType(
        400,
        N_("Invalid parameter"),
        N_("A query parameter cannot be understood, e.g. a cursor the API never issued."),
        N_("Pass `next_cursor` values back unchanged; start again from the first page if in doubt."),
    ),
    "not-found": ProblemType(
        404,
        N_("Not found"),
        N_(
            "No such record, pair, account or mapping — or one you may not change, which answers "
            "exactly like one that does not exist."
        ),
        N_("Check the id; search the registry to find the record."),
    ),
    "duplicate-record": ProblemType(
        409,
        N_("Record already exists"),
        N_("A record with this (source, folio) exists already; `existing_id` points at it."),
        N_("Correct that record (PATCH with its ETag) instead of creating a second one."),
    ),
    "conflict": ProblemType(
        409,
        N_("Conflict"),
        N_("The change contradicts the record's state (e.g. it was withdrawn, or is already so)."),
        N_("Reload the record and decide again from its current state."),
    ),
    "precondition-required": ProblemType(
        428,
        N_("Precondition required"),
        N_("A change needs the version it is based on (`If-Match` with the ETag)."),
        N_("Read the record, and send its ETag in `If-Match` with the change."),
    ),
    "stale-version": ProblemType(
        412,
        N_("Precondition failed"),
        N_("Someone else saved the record after you read it."),
        N_("Reload the record, apply your change again to what is there now, and send it with the new ETag."),
    ),
    "idempotency-key-reused": ProblemType(
        422,
        N_("Idempotency key reused"),
        N_("This `Idempotency-Key` was used with a different request body."),
        N_("Use a new key for a new request; reuse a key only to retry the very same request."),
    ),
    "idempotency-in-flight": ProblemType(
        409,
        N_("Request in flight"),
        N_("The first request with this `Idempotency-Key` is still being processed."),
        N_("Wait a moment and retry with the same key: you will get its response."),
    ),
    "sandbox-violation": ProblemType(
        409,
        N_("Sandbox violation"),
        N_("Demo data and real records never mix: this database is the other kind."),
        N_("Point the command at a sandbox (`registry demo`) or at an empty database."),
    ),
    "database-unavailable": ProblemType(
        503,
        N_("Database unavailable"),
        N_("The database could not be reached, or the connection was lost; nothing was confirmed."),
        N_(
            "Retry after `Retry-After` seconds (with the same `Idempotency-Key` for a creation). "
            "Operators: check the database and REGISTRY_DATABASE_URL."
        ),
    ),
    "schema-not-migrated": ProblemType(
        503,
        N_("Schema not migrated"),
        N_("The database is not at the revision this version of the registry needs."),
        N_("Operators: take a backup and run `registry db upgrade` (docs/deploy.md)."),
    ),
    "unauthenticated": ProblemType(
        401,
        N_("Authentication required"),
        N_("No valid credentials: missing, expired, revoked or forged; or the account is disabled."),
        N_("Sign in again (`POST /api/v1/auth/token`, or refresh with `POST /api/v1/auth/refresh`)."),
    ),
    "forbidden": ProblemType(
        403,
        N_("Forbidden"),
        N_("Your role (or your registry) does not allow this action."),
        N_("See docs/access.md for who may do what; ask an administrator if your role is wrong."),
    ),
    "too-many-attempts": ProblemType(
        429,
        N_("Too many failed attempts"),
        N_("Too many failed sign-ins for this account or from this address."),
        N_("Wait `Retry-After` seconds. If the password is lost, an administrator can reset it."),
    ),
    "unsafe-settings": ProblemType(
        500,
        N_("Unsafe settings"),
        N_("A setting would expose real records (e.g. the public development secret key)."),
        N_("Operators: set REGISTRY_SECRET_KEY to a random key of at least 32 characters (docs/deploy.md)."),
    ),
    "backup-refused": ProblemType(
        409,
        N_("Backup refused"),
        N_("A backup or restore would overwrite data, or the backup file is damaged."),
        N_("Choose a new file to write, an empty database to restore into (or `--replace`), or another backup."),
    ),
    "audit-chain-broken": ProblemType(
        409,
        N_("Audit chain broken"),
        N_("The audit trail does not verify: an event was changed, removed or added."),
        N_(
            "Do not prune or anchor it; compare with your last anchor (`registry audit verify --anchor`) and "
            "investigate who could write the database."
        ),
    ),
    "audit-anchor-unreadable": ProblemType(
        422,
        N_("Audit anchor unreadable"),
        N_("The file given as an anchor is not an anchor this registry wrote."),
        N_("Use a file written by `registry audit anchor` or `registry audit prune`."),
    ),
    "body-too-large": ProblemType(
        413,
        N_("Request body too large"),
        N_("The body exceeds REGISTRY_MAX_BODY_BYTES (uploads: REGISTRY_MAX_UPLOAD_BYTES)."),
        N_("Send less: split a large import into several files."),
    ),
    "internal-error": ProblemType(
        500,
        N_("Internal error"),
        N_("An unexpected error; nothing was changed."),
        N_("Retry once; if it persists, give the `X-Request-ID` to the registry's operators."),
    ),
    "http-404": ProblemType(
        404,
        N_("Not Found"),
        N_("No such address in this API."),
        N_("Check the path against the OpenAPI page (/docs)."),
    ),
    "http-405": ProblemType(
        405,
        N_("Method Not Allowed"),
        N_("This address does not take this HTTP method."),
        N_("Check the operation against the OpenAPI page (/docs)."),
    ),
}


def type_uri(base: str, slug: str) -> str:
    """The `type` of a problem: the configured base and the problem's slug."""
    return f"{base}{slug}"
