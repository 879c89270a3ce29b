"""Who may do what: the one table of rules, and the one map from each HTTP route to its action.

docs/access.md is this module written out for people; tests/api/test_access_matrix.py checks
every route of the app against it, so a route without a rule fails the suite (and is refused).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from enum import StrEnum

from registry.actor import Actor
from registry.enums import RecordKind
from registry.errors import Forbidden
from registry.i18n import _
from registry.models import RESTRICTED_REPORT_FIELDS, Role
from registry.vocabulary import label_of


class Action(StrEnum):
    identity_read = "identity.read"
    password_change = "password.change"  # noqa: S105 - an action: one's own password, the current one given
    language_change = "language.change"  # one's own account's language
    record_search = "record.search"
    record_read = "record.read"
    record_history = "record.history"
    record_create = "record.create"
    record_update = "record.update"
    record_change_status = "record.change_status"
    record_withdraw = "record.withdraw"
    import_upload = "import.upload"
    match_search = "match.search"  # candidates of a record, across registries
    judgement_record = "judgement.record"  # an investigator's decision on a pair, an identification of remains
    user_manage = "user.manage"
    mapping_read = "mapping.read"  # a registry's stored import mappings
    mapping_manage = "mapping.manage"
    dna_submit = "dna.submit"  # samples and genotypes, by file or upload (docs/dna.md)
    dna_genotype_read = "dna.genotype_read"  # a sample's genotypes: every read audited
    dna_result_read = "dna.result_read"  # DNA candidates: LRs, references, loci compared; never a genotype
    dna_reference_status = "dna.reference_status"  # whether references were taken for a report
    exercise_read = "exercise.read"  # the console's training cases with their answers (a sandbox's only)


class Scope(StrEnum):
    """How far a grant reaches: nothing, records of the actor's own jurisdiction, or every record."""

    none = "none"
    own = "own"
    all = "all"


NONE, OWN, ALL = Scope.none, Scope.own, Scope.all
CLERK, INVESTIGATOR, TRAINER, ADMIN = Role.clerk, Role.investigator, Role.trainer, Role.administrator
GENETICIST = Role.geneticist

# THE table. Trainers' grants hold only on a sandbox database (see `decide`).
RULES: Mapping[Action, Mapping[Role, Scope]] = {
    Action.identity_read:        {CLERK: ALL, INVESTIGATOR: ALL, TRAINER: ALL, ADMIN: ALL, GENETICIST: ALL},
    Action.password_change:      {CLERK: ALL, INVESTIGATOR: ALL, TRAINER: ALL, ADMIN: ALL, GENETICIST: ALL},
    Action.language_change:      {CLERK: ALL, INVESTIGATOR: ALL, TRAINER: ALL, ADMIN: ALL, GENETICIST: ALL},
    Action.record_search:        {CLERK: ALL, INVESTIGATOR: ALL, TRAINER: ALL, ADMIN: NONE, GENETICIST: ALL},
    Action.record_read:          {CLERK: ALL, INVESTIGATOR: ALL, TRAINER: ALL, ADMIN: NONE, GENETICIST: ALL},
    Action.record_history:       {CLERK: ALL, INVESTIGATOR: ALL, TRAINER: ALL, ADMIN: NONE, GENETICIST: ALL},
    Action.record_create:        {CLERK: OWN, INVESTIGATOR: NONE, TRAINER: ALL, ADMIN: NONE, GENETICIST: NONE},
    Action.record_update:        {CLERK: OWN, INVESTIGATOR: NONE, TRAINER: ALL, ADMIN: NONE, GENETICIST: NONE},
    Action.record_change_status: {CLERK: OWN, INVESTIGATOR: NONE, TRAINER: ALL, ADMIN: NONE, GENETICIST: NONE},
    Action.record_withdraw:      {CLERK: OWN, INVESTIGATOR: NONE, TRAINER: ALL, ADMIN: NONE, GENETICIST: NONE},
    Action.import_upload:        {CLERK: OWN, INVESTIGATOR: NONE, TRAINER: ALL, ADMIN: NONE, GENETICIST: NONE},
    Action.match_search:         {CLERK: NONE, INVESTIGATOR: ALL, TRAINER: ALL, ADMIN: NONE, GENETICIST: NONE},
    Action.judgement_record:     {CLERK: NONE, INVESTIGATOR: ALL, TRAINER: ALL, ADMIN: NONE, GENETICIST: NONE},
    Action.user_manage:          {CLERK: NONE, INVESTIGATOR: NONE, TRAINER: NONE, ADMIN: ALL, GENETICIST: NONE},
    Action.mapping_read:         {CLERK: ALL, INVESTIGATOR: NONE, TRAINER: ALL, ADMIN: ALL, GENETICIST: NONE},
    Action.mapping_manage:       {CLERK: NONE, INVESTIGATOR: NONE, TRAINER: NONE, ADMIN: ALL, GENETICIST: NONE},
    Action.dna_submit:           {CLERK: NONE, INVESTIGATOR: NONE, TRAINER: ALL, ADMIN: NONE, GENETICIST: OWN},
    Action.dna_genotype_read:    {CLERK: NONE, INVESTIGATOR: NONE, TRAINER: ALL, ADMIN: NONE, GENETICIST: OWN},
    Action.dna_result_read:      {CLERK: NONE, INVESTIGATOR: ALL, TRAINER: ALL, ADMIN: NONE, GENETICIST: OWN},
    Action.dna_reference_status: {CLERK: ALL, INVESTIGATOR: ALL, TRAINER: ALL, ADMIN: NONE, GENETICIST: ALL},
    Action.exercise_read:        {CLERK: NONE, INVESTIGATOR: NONE, TRAINER: ALL, ADMIN: NONE, GENETICIST: NONE},
}  # fmt: skip

# What an API key (a system, not a person) may do, within its owner's grants: never change the owner's password.
API_KEY_ACTIONS = frozenset({Action.identity_read, Action.import_upload, Action.dna_submit})
# What a trainer may do on a database that is not a sandbox: their account is real wherever they train.
TRAINER_OUTSIDE_SANDBOX = frozenset({Action.identity_read, Action.password_change, Action.language_change})

API = "/api/v1"
# Every route of the HTTP API and the action it performs. A route missing here is refused (403).
ROUTES: Mapping[tuple[str, str], Action] = {
    ("GET", f"{API}/auth/me"): Action.identity_read,
    ("POST", f"{API}/auth/password"): Action.password_change,
    ("PUT", f"{API}/auth/me/language"): Action.language_change,
    # Labels of codes: what every signed-in reader (a system with an API key too) may print.
    ("GET", f"{API}/vocabulary"): Action.identity_read,
    **{
        (method, f"{API}/{kind}{path}"): action
        for kind in ("reports", "remains")
        for method, path, action in (
            ("GET", "", Action.record_search),
            ("POST", "", Action.record_create),
            ("GET", "/{record_id}", Action.record_read),
            ("PATCH", "/{record_id}", Action.record_update),
            ("POST", "/{record_id}/status", Action.record_change_status),
            ("POST", "/{record_id}/withdraw", Action.record_withdraw),
            ("GET", "/{record_id}/history", Action.record_history),
            ("GET", "/{record_id}/candidates", Action.match_search),
        )
    },
    ("POST", f"{API}/match"): Action.match_search,
    # Review and identification (docs/review.md).
    ("GET", f"{API}/review/queue"): Action.match_search,
    ("GET", f"{API}/review/pairs/{{pair_id}}"): Action.match_search,
    ("POST", f"{API}/review/pairs/{{pair_id}}/judgements"): Action.judgement_record,
    ("POST", f"{API}/review/pairs/{{pair_id}}/undo"): Action.judgement_record,
    ("POST", f"{API}/review/rematch"): Action.judgement_record,
    ("GET", f"{API}/review/contradictions"): Action.match_search,
    ("GET", f"{API}/review/proposals"): Action.match_search,
    ("GET", f"{API}/reports/{{record_id}}/identity"): Action.match_search,
    ("POST", f"{API}/remains/{{record_id}}/identification"): Action.judgement_record,
    ("POST", f"{API}/remains/{{record_id}}/identification/reversal"): Action.judgement_record,
    ("GET", f"{API}/remains/{{record_id}}/identifications"): Action.match_search,
    ("POST", f"{API}/imports/{{kind}}"): Action.import_upload,
    ("GET", f"{API}/users"): Action.user_manage,
    ("POST", f"{API}/users"): Action.user_manage,
    ("POST", f"{API}/users/{{user_id}}/disable"): Action.user_manage,
    ("POST", f"{API}/users/{{user_id}}/enable"): Action.user_manage,
    ("POST", f"{API}/users/{{user_id}}/password"): Action.user_manage,
    ("POST", f"{API}/users/{{user_id}}/role"): Action.user_manage,
    ("POST", f"{API}/users/{{user_id}}/api-keys"): Action.user_manage,
    ("GET", f"{API}/import-mappings"): Action.mapping_read,
    ("GET", f"{API}/import-mappings/{{registry}}/{{name}}"): Action.mapping_read,
    ("PUT", f"{API}/import-mappings/{{registry}}/{{name}}"): Action.mapping_manage,
    # DNA (docs/dna.md): who sees genotypes and who sees results is also checked in registry.services.dna_*.
    ("POST", f"{API}/dna/imports"): Action.dna_submit,
    ("GET", f"{API}/dna/samples"): Action.dna_genotype_read,
    ("GET", f"{API}/dna/remains/{{record_id}}/candidates"): Action.dna_result_read,
    ("GET", f"{API}/dna/reports/{{record_id}}/candidates"): Action.dna_result_read,
    ("GET", f"{API}/dna/reports/{{record_id}}/references"): Action.dna_reference_status,
}

# Open to anyone: probes, signing in, and the API's own documentation.
PUBLIC_ROUTES = frozenset(
    {
        ("GET", "/healthz"),
        ("GET", "/readyz"),
        ("GET", "/problems/{slug}"),
        ("POST", f"{API}/auth/token"),
        # The refresh token in the body is the credential (the access token may have run out).
        ("POST", f"{API}/auth/refresh"),
        ("POST", f"{API}/auth/logout"),
        ("GET", "/openapi.json"),
        ("GET", "/docs"),
        ("GET", "/docs/oauth2-redirect"),
        ("GET", "/redoc"),
        # The console's way in (it redirects to /console); the console's pages declare their own actions.
        ("GET", "/"),
    }
)


def _pattern(template: str) -> re.Pattern[str]:
    return re.compile("^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template)) + "$")


_MATCHERS: tuple[tuple[str, str, re.Pattern[str]], ...] = tuple(
    (method, template, _pattern(template)) for method, template in (*ROUTES, *sorted(PUBLIC_ROUTES))
)


def template_for(method: str, path: str) -> str | None:
    """The route template a request path answers to (e.g. /api/v1/reports/{record_id}), if any."""
    method = "GET" if method.upper() == "HEAD" else method.upper()
    for known_method, template, pattern in _MATCHERS:
        if known_method == method and pattern.match(path):
            return template
    return None


def action_for(method: str, path: str) -> Action | None:
    """The action a route (by template, or by a concrete request path) performs; None if it has no rule."""
    method = method.upper()
    if (method, path) in ROUTES:
        return ROUTES[(method, path)]
    template = template_for(method, path)
    return ROUTES.get((method, template)) if template else None


def decide(actor: Actor, action: Action, *, sandbox: bool) -> Scope:
    """How far the actor may perform the action (Scope.none: not at all)."""
    try:
        role = Role(actor.role)
    except ValueError:
        return NONE
    if role is TRAINER and not sandbox and action not in TRAINER_OUTSIDE_SANDBOX:
        return NONE
    if actor.via == "api_key" and action not in API_KEY_ACTIONS:
        return NONE
    return RULES[action].get(role, NONE)


def authorize(actor: Actor, action: Action, *, sandbox: bool) -> Scope:
    scope = decide(actor, action, sandbox=sandbox)
    if scope is NONE:
        raise Forbidden(
            _("a {role} may not do this ({action})", role=label_of("role", actor.role), action=action.value)
        )
    return scope


def covers(actor: Actor, scope: Scope, source: str) -> bool:
    """Whether a grant of this scope reaches a record filed by `source` (a record's jurisdiction)."""
    return scope is ALL or (scope is OWN and actor.jurisdiction is not None and actor.jurisdiction == source)


def sees_restricted(actor: Actor, source: str, *, sandbox: bool) -> bool:
    """Restricted fields go to the record's jurisdiction and to national investigators (trainers: demo data only)."""
    if actor.role == TRAINER:
        return sandbox
    if actor.role == INVESTIGATOR and actor.jurisdiction is None:
        return True
    return actor.jurisdiction is not None and actor.jurisdiction == source


def restricted_fields(kind: RecordKind) -> frozenset[str]:
    return RESTRICTED_REPORT_FIELDS if kind is RecordKind.report else frozenset()


def hidden_fields(actor: Actor, kind: RecordKind, source: str, *, sandbox: bool) -> frozenset[str]:
    """The fields to leave out (absent, not blank) when this actor reads this record."""
    return frozenset() if sees_restricted(actor, source, sandbox=sandbox) else restricted_fields(kind)
