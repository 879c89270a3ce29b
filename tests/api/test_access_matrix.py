"""Who may call what: a role × endpoint × jurisdiction matrix generated from the app's own routes.

Every route the app serves must be public or have a rule in registry.policy; for each protected
route, every profile (each role, national or of a state, an API key, nobody) is tried on a record
of its own jurisdiction and on one of another, on a real database and on a sandbox, and the
status is asserted. The expectations below are written out independently of the policy module.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from api.app import create_app
from registry import policy
from registry.actor import SYSTEM, Actor
from registry.db import transaction
from registry.models import AuditEvent, Role, User
from registry.record_types import REMAINS, REPORTS, RecordType
from registry.services import mappings as mappings_service
from registry.services import records as records_service
from registry.services import users as users_service
from registry.services.dna_import import import_dna
from registry.services.instance import claim_for_real_records, claim_for_sandbox
from registry.settings import Settings
from tests.builders import remains_payload, report_payload
from tests.conftest import TEST_PASSWORD

OWN, FOREIGN = "JAL", "SIN"


def app_routes() -> list[tuple[str, str]]:
    app = create_app(Settings(database_url="sqlite://"))
    found = set()
    for context in iter_route_contexts(app.routes):
        for method in getattr(context.original_route, "methods", None) or ():
            if method != "HEAD" and context.path:
                found.add((method, context.path))
    return sorted(found)


ROUTES = app_routes()
PROTECTED = [route for route in ROUTES if route not in policy.PUBLIC_ROUTES]

PROFILES: dict[str, tuple[Role, str | None] | None] = {
    "clerk of JAL": (Role.clerk, OWN),
    "national investigator": (Role.investigator, None),
    "investigator of JAL": (Role.investigator, OWN),
    "trainer": (Role.trainer, None),
    "administrator": (Role.administrator, None),
    "API key of a JAL clerk": (Role.clerk, OWN),
    "geneticist of JAL": (Role.geneticist, OWN),
    "anonymous": None,
}

READS = {"record.search", "record.read", "record.history"}
CHANGES = {"record.update", "record.change_status", "record.withdraw"}
CREATED = {"record.create"}
MATCHING = {"match.search", "judgement.record"}
# Routes the matrix calls without a body or with a placeholder left in the path: a caller who passes
# the rule meets the request's validation (422), everyone else the rule (401/403).
UNFILLED = {
    ("GET", "/api/v1/review/pairs/{pair_id}"),
    ("POST", "/api/v1/review/pairs/{pair_id}/judgements"),
    ("POST", "/api/v1/review/pairs/{pair_id}/undo"),
    ("POST", "/api/v1/remains/{record_id}/identification"),
    ("POST", "/api/v1/remains/{record_id}/identification/reversal"),
}


def succeeded(action: str, method: str, path: str) -> int:
    if action in CREATED or (action == "user.manage" and method == "POST" and path.endswith(("/users", "/api-keys"))):
        return 201
    return 200


def expected(profile: str, action: str, relation: str, sandbox: bool, method: str, path: str) -> int:
    """The matrix, cell by cell: relation is "own" (a JAL record) or "foreign" (a SIN record)."""
    ok = 422 if (method, path) in UNFILLED else succeeded(action, method, path)
    own = relation == "own"
    if profile == "anonymous":
        return 401
    if action == "identity.read":
        return 200
    if action == "password.change":  # every person's own, on any database; never a system's (an API key)
        return 403 if profile == "API key of a JAL clerk" else 204
    if action == "language.change":  # likewise: a person's own account
        return 403 if profile == "API key of a JAL clerk" else 200
    if action.startswith("mapping."):  # import mappings: administrators keep them, clerks (and trainers) read them
        allowed = {"administrator"} | (
            {"clerk of JAL"} | ({"trainer"} if sandbox else set()) if action == "mapping.read" else set()
        )
        return ok if profile in allowed else 403
    if profile == "trainer":  # records of any registry on demo data, nothing on real records, never accounts
        return ok if sandbox and action != "user.manage" else 403
    if profile == "API key of a JAL clerk":  # imports of its own registry only (another's rows are rejected)
        return 200 if action == "import.upload" else 403
    if profile == "administrator":
        return ok if action == "user.manage" else 403
    if action in READS:  # reading is national
        return 200
    if action == "dna.reference_status":  # whether references were taken: everyone who works on cases
        return ok
    if profile == "geneticist of JAL":  # DNA of their registry's records: submit, read genotypes, see results
        if action == "dna.submit":  # the files are read; another registry's samples are rejected row by row
            return ok
        if action == "dna.genotype_read":
            return ok if own else 404  # another registry's sample: as if it did not exist
        if action == "dna.result_read":
            return ok if own else 403
        return 403
    if profile == "clerk of JAL":
        if action == "import.upload":  # the file is read; another registry's rows are rejected row by row
            return ok
        if action in CREATED:
            return ok if own else 403
        if action in CHANGES:
            return ok if own else 404  # another registry's record: as if it did not exist
        return 403
    # investigators: reading, matching and DNA results across every registry, never changing records or genotypes
    return ok if action in MATCHING or action == "dna.result_read" else 403


def test_every_route_is_public_or_has_a_rule() -> None:
    unruled = [route for route in PROTECTED if policy.action_for(*route) is None]
    assert unruled == [], f"routes without an access rule in registry.policy: {unruled}"
    assert all(route in ROUTES for route in policy.ROUTES), "the policy names routes the app does not serve"


def test_every_rule_names_every_role() -> None:
    for action, grants in policy.RULES.items():
        assert set(grants) == set(Role), action


@pytest.mark.parametrize("route", ROUTES, ids=[f"{m} {p}" for m, p in ROUTES])
def test_public_routes_need_no_credentials(app_client: TestClient, route: tuple[str, str]) -> None:
    method, path = route
    if route in policy.PUBLIC_ROUTES:
        if path.endswith("/auth/token"):
            response = app_client.post(path, data={"username": "nobody", "password": "wrong-password"})
            assert response.status_code == 401
            assert "bearer" in response.headers["www-authenticate"].lower()
        elif path.endswith("/auth/refresh"):
            response = app_client.post(path, json={"refresh_token": "rt_not-a-token"})
            assert response.status_code == 401
            assert "bearer" in response.headers["www-authenticate"].lower()
        elif path.endswith("/auth/logout"):  # signing out a session that does not exist changes nothing
            assert app_client.post(path, json={"refresh_token": "rt_not-a-token"}).status_code == 204
        elif "{slug}" in path:  # what a problem type means
            assert app_client.get(path.replace("{slug}", "not-found")).status_code == 200
        else:
            assert app_client.request(method, path).status_code == 200
    else:
        concrete = path.replace("{record_id}", str(uuid.uuid4())).replace("{user_id}", str(uuid.uuid4()))
        response = app_client.request(method, concrete.replace("{kind}", "missing"))
        assert response.status_code == 401
        assert response.headers["www-authenticate"].startswith("Bearer")


# --- the matrix --------------------------------------------------------------------------------


class Cell:
    """Builds the request a profile makes to one route about one jurisdiction's record."""

    def __init__(self, sessions: sessionmaker[Session], make_user: Callable[..., User]) -> None:
        self.sessions = sessions
        self.make_user = make_user
        self.serial = 0

    def fresh_record(self, rtype: RecordType, jurisdiction: str) -> uuid.UUID:
        self.serial += 1
        data = self.payload(rtype, jurisdiction)
        with transaction(self.sessions) as session:
            saved = records_service.create_record(
                session=session, rtype=rtype, data=rtype.create_schema.model_validate(data), actor=SYSTEM
            )
            return saved.record.id

    def payload(self, rtype: RecordType, jurisdiction: str) -> dict[str, Any]:
        self.serial += 1
        folio = f"{jurisdiction}-M-{self.serial}"
        if rtype is REPORTS:
            return report_payload(source=jurisdiction, folio=folio, last_seen_state=jurisdiction)
        return remains_payload(source=jurisdiction, folio=folio, found_state=jurisdiction)

    def request(self, method: str, path: str, action: str, jurisdiction: str) -> dict[str, Any]:
        rtype = REMAINS if "/remains" in path else REPORTS
        if action == "identity.read":
            return {"method": method, "url": path}
        if action == "password.change":
            body = {"current_password": TEST_PASSWORD, "new_password": "another long enough pass"}
            return {"method": method, "url": path, "json": body}
        if action == "language.change":
            return {"method": method, "url": path, "json": {"language": "en"}}
        if action == "record.search":
            return {"method": method, "url": path, "params": {"source": jurisdiction}}
        if action == "record.create":
            return {"method": method, "url": path, "json": self.payload(rtype, jurisdiction)}
        if action == "import.upload":
            self.serial += 1
            csv = (
                "source,folio,sex,last_seen_date,last_seen_state,given_names\r\n"
                f"{jurisdiction},{jurisdiction}-CSV-{self.serial},female,2021-03-02,{jurisdiction},Ana\r\n"
            )
            files = {"file": ("export.csv", csv.encode(), "text/csv")}
            return {"method": method, "url": path.replace("{kind}", "missing"), "files": files}
        if action == "user.manage":
            return self.user_request(method, path)
        if action.startswith("mapping."):
            return self.mapping_request(method, path, jurisdiction)
        if action in ("dna.submit", "dna.genotype_read"):
            return self.dna_request(method, path, action, jurisdiction)
        if path.endswith("/match"):
            body = {"given_names": "Ana", "first_surname": "López", "state": jurisdiction}
            return {"method": method, "url": path, "json": body}
        url = path.replace("{record_id}", str(self.fresh_record(rtype, jurisdiction)))
        bodies = {
            "record.update": {"distinguishing_marks": "cicatriz en la frente"},
            "record.change_status": {
                "status": "located_alive" if rtype is REPORTS else "identified",
                "date": "2023-01-05",
            },
            "record.withdraw": {"reason": "duplicate"},
        }
        if action in bodies:
            return {"method": method, "url": url, "json": bodies[action], "headers": {"If-Match": '"1"'}}
        return {"method": method, "url": url}

    def mapping_request(self, method: str, path: str, jurisdiction: str) -> dict[str, Any]:
        self.serial += 1
        name = f"estatal-{self.serial}"
        url = path.replace("{registry}", jurisdiction).replace("{name}", name)
        if method == "PUT":
            return {"method": method, "url": url, "json": {"mapping": '[columns]\n"Núm. de folio" = "folio"\n'}}
        if "{name}" in path:  # reading one: it exists
            with transaction(self.sessions) as session:
                admin = Actor(id="admin", role=Role.administrator.value, jurisdiction=None)
                mappings_service.save(session, registry=jurisdiction, name=name, text="[columns]\n", actor=admin)
        return {"method": method, "url": url}

    def dna_request(self, method: str, path: str, action: str, jurisdiction: str) -> dict[str, Any]:
        report_id = self.fresh_record(REPORTS, jurisdiction)
        with self.sessions() as session:
            folio = session.get(REPORTS.model, report_id).folio  # type: ignore[union-attr]
        self.serial += 1
        sample = {"lab": "FGE", "sample_id": f"S-{self.serial}", "kind": "reference", "record_source": jurisdiction,
                  "record_folio": folio, "relationship": "mother", "donor_id": f"D-{self.serial}"}  # fmt: skip
        genotype = {"sample_id": sample["sample_id"], "lab": "FGE", "marker": "TH01", "allele_1": "9.3",
                    "allele_2": "6"}  # fmt: skip
        if action == "dna.genotype_read":  # reading one: it exists
            with transaction(self.sessions) as session:
                import_dna(session=session, samples=[sample], genotypes=[genotype], actor=SYSTEM)
            return {"method": method, "url": path, "params": {"lab": "FGE", "sample_id": sample["sample_id"]}}
        files = {
            name: (f"{name}.csv", (",".join(row) + "\r\n" + ",".join(row.values()) + "\r\n").encode(), "text/csv")
            for name, row in (("samples", sample), ("genotypes", genotype))
        }
        return {"method": method, "url": path, "files": files}

    def user_request(self, method: str, path: str) -> dict[str, Any]:
        self.serial += 1
        if path.endswith("/users"):
            if method == "GET":
                return {"method": method, "url": path}
            body = {"username": f"new-user-{self.serial}", "password": "a long enough pass", "role": "investigator"}
            return {"method": method, "url": path, "json": body}
        target = self.make_user(Role.clerk, OWN)
        url = path.replace("{user_id}", str(target.id))
        if path.endswith("/role"):
            return {"method": method, "url": url, "json": {"role": "investigator", "jurisdiction": None}}
        if path.endswith("/password"):
            return {"method": method, "url": url, "json": {"password": "a new long enough pass"}}
        return {"method": method, "url": url}


@pytest.fixture
def credentials(
    sessions: sessionmaker[Session], make_user: Callable[..., User], token_for: Callable[[User], str]
) -> Callable[[str], dict[str, str]]:
    """The headers of a new account of the profile: its token, its API key, or nothing."""

    def make(name: str) -> dict[str, str]:
        who = PROFILES[name]
        if who is None:
            return {}
        user = make_user(*who)
        if name.startswith("API key"):
            with transaction(sessions) as session:
                _key, full = users_service.create_api_key(session=session, user=user, actor=SYSTEM)
            return {"X-API-Key": full}
        return {"Authorization": f"Bearer {token_for(user)}"}

    return make


@pytest.fixture
def profile_headers(credentials: Callable[[str], dict[str, str]]) -> dict[str, dict[str, str]]:
    return {name: credentials(name) for name in PROFILES}


@pytest.mark.parametrize("database", ["real", "sandbox"])
@pytest.mark.parametrize("route", PROTECTED, ids=[f"{m} {p}" for m, p in PROTECTED])
def test_access_matrix(
    app_client: TestClient,
    sessions: sessionmaker[Session],
    make_user: Callable[..., User],
    profile_headers: dict[str, dict[str, str]],
    credentials: Callable[[str], dict[str, str]],
    route: tuple[str, str],
    database: str,
) -> None:
    method, path = route
    action = policy.action_for(method, path)
    assert action is not None, f"{method} {path} has no rule"
    sandbox = database == "sandbox"
    with transaction(sessions) as session:
        (claim_for_sandbox if sandbox else claim_for_real_records)(session)
    cell = Cell(sessions, make_user)
    failures = []
    for profile, headers in profile_headers.items():
        for relation, jurisdiction in (("own", OWN), ("foreign", FOREIGN)):
            spec = cell.request(method, path, action.value, jurisdiction)
            # A password change voids the token it was made with: each one is made by an account of its own.
            given = credentials(profile) if action is policy.Action.password_change else headers
            spec["headers"] = {**spec.get("headers", {}), **given}
            response = app_client.request(**spec)
            want = expected(profile, action.value, relation, sandbox, method, path)
            if response.status_code != want:
                failures.append(f"{profile} / {relation}: {response.status_code} (want {want}) {response.text[:200]}")
    assert failures == []


# --- what the cells mean ---------------------------------------------------------------------


def test_a_foreign_write_answers_exactly_like_a_missing_record(
    sessions: sessionmaker[Session], make_user: Callable[..., User], client: TestClient
) -> None:
    cell = Cell(sessions, make_user)
    foreign = cell.fresh_record(REPORTS, FOREIGN)
    missing = uuid.uuid4()
    answers = []
    for record_id in (foreign, missing):
        response = client.patch(f"/api/v1/reports/{record_id}", json={"height_cm": 150}, headers={"If-Match": '"1"'})
        body = response.json()
        body["detail"] = body["detail"].replace(str(record_id), "<id>")
        answers.append((response.status_code, body, response.headers["content-type"]))
    assert answers[0] == answers[1]
    assert answers[0][0] == 404
    with sessions() as session:
        denied = session.scalars(select(AuditEvent).where(AuditEvent.outcome == "denied")).all()
    assert [(e.action, e.record_id) for e in denied] == [("record.update", str(foreign))]


RESTRICTED = {
    "circumstances": "salió de casa hacia el trabajo",
    "investigation_file_number": "CI-123-2021",
    "contact_name": "Ana Pérez",
    "contact_phone": "3312345678",
    "contact_email": "contacto@example.org",
    "contact_relationship": "hermana",
}


@pytest.mark.parametrize(
    ("role", "jurisdiction", "sees"),
    [
        (Role.clerk, "JAL", True),
        (Role.clerk, "SIN", False),
        (Role.investigator, None, True),
        (Role.investigator, "JAL", True),
        (Role.investigator, "SIN", False),
    ],
)
def test_restricted_fields_are_absent_outside_the_jurisdiction(
    client: TestClient, client_as: Callable[..., TestClient], sessions: sessionmaker[Session],
    role: Role, jurisdiction: str | None, sees: bool,
) -> None:  # fmt: skip
    created = client.post("/api/v1/reports", json=report_payload(**RESTRICTED)).json()
    url = f"/api/v1/reports/{created['id']}"
    client.patch(url, json={"contact_phone": "3399999999"}, headers={"If-Match": '"1"'})
    reader = client_as(role, jurisdiction)
    with sessions() as session:
        before = len(session.scalars(select(AuditEvent).where(AuditEvent.action == "record.read_restricted")).all())
    record = reader.get(url).json()
    listed = reader.get("/api/v1/reports").json()["items"][0]
    history = reader.get(f"{url}/history").json()["versions"]
    changes = {key for version in history for key in version["changes"]}
    for body in (record, listed):
        assert (set(RESTRICTED) <= set(body)) is sees
        assert (set(RESTRICTED) & set(body) == set()) is not sees
        assert body["folio"] == "JAL-2021-00123"  # the match-relevant fields are national
    assert ("contact_phone" in changes) is sees
    assert "height_cm" in changes or "given_names" in changes
    with sessions() as session:
        after = len(session.scalars(select(AuditEvent).where(AuditEvent.action == "record.read_restricted")).all())
    assert after - before == (3 if sees else 0)  # read, list and history each audited


def test_a_trainer_outside_a_sandbox_may_only_read_their_identity(client_as: Callable[..., TestClient]) -> None:
    trainer = client_as(Role.trainer)
    assert trainer.get("/api/v1/auth/me").json()["role"] == "trainer"
    assert trainer.get("/api/v1/reports").status_code == 403
    assert trainer.post("/api/v1/reports", json=report_payload()).status_code == 403


def test_writes_are_audited_in_their_transaction(client: TestClient, sessions: sessionmaker[Session]) -> None:
    created = client.post("/api/v1/reports", json=report_payload())
    assert created.status_code == 201
    request_id = created.headers["x-request-id"]
    with sessions() as session:
        events = session.scalars(select(AuditEvent).where(AuditEvent.action == "record.create")).all()
    assert [(e.record_id, e.request_id, e.outcome, e.role, e.jurisdiction) for e in events] == [
        (created.json()["id"], request_id, "success", "clerk", "JAL")
    ]
    assert events[0].actor_id == client.get("/api/v1/auth/me").json()["id"]
