"""A request whose database connection dies answers 503 (Retry-After, problem+json), never 500.

The session is rolled back and its connection discarded, the client's keep-alive connection serves
the next request, and every write that was acknowledged with a 2xx is in the database afterwards.
The real app runs under uvicorn and each test talks to it over ONE keep-alive HTTP connection.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from sqlalchemy import Connection, Engine, event, select, text

from api.app import create_app
from api.deps import SessionDep, get_actor
from registry.actor import Actor
from registry.db import build_engine
from registry.models import MissingPersonReport
from registry.settings import Settings
from tests.builders import report_payload
from tests.databases import is_postgres
from tests.live_server import JAL_CLERK, live_server

REPORTS = "/api/v1/reports"
PROBLEM_JSON = "application/problem+json"


def client_address(response: httpx.Response) -> Any:
    """The client side (address, port) of the HTTP connection that carried the response."""
    return response.extensions["network_stream"].get_extra_info("client_addr")


def assert_retry_later(response: httpx.Response) -> None:
    assert response.status_code == 503, response.text
    assert response.headers["content-type"] == PROBLEM_JSON
    assert int(response.headers["retry-after"]) >= 1
    problem = response.json()
    assert problem["status"] == 503
    assert problem["type"].endswith("/database-unavailable")


def stored_report_ids(engine: Engine) -> set[str]:
    with engine.connect() as conn:
        return {str(i) for i in conn.execute(select(MissingPersonReport.id)).scalars()}


# --- any database: the driver connection closed under the session ------------------------------------


class ConnectionCutter:
    """Signs the caller in as a Jalisco clerk; when armed, closes the session's driver connection first,
    as a database restart or a network cut does, so that the endpoint's next statement finds it gone."""

    def __init__(self) -> None:
        self.armed = False

    def actor(self, session: SessionDep) -> Actor:
        if self.armed:
            self.armed = False
            session.execute(text("SELECT 1"))
            driver_connection = session.connection().connection.dbapi_connection
            assert driver_connection is not None
            driver_connection.close()
        return JAL_CLERK


@pytest.fixture
def cutter() -> ConnectionCutter:
    return ConnectionCutter()


@pytest.fixture
def http(engine: Engine, settings: Settings, cutter: ConnectionCutter) -> Iterator[httpx.Client]:
    app = create_app(settings, engine=engine)
    app.dependency_overrides[get_actor] = cutter.actor
    with (
        live_server(app) as base_url,
        httpx.Client(base_url=base_url, timeout=30, trust_env=False) as client,
    ):
        yield client


def test_a_write_whose_connection_is_lost_is_a_503_and_the_next_request_on_the_connection_succeeds(
    http: httpx.Client, engine: Engine, cutter: ConnectionCutter
) -> None:
    cutter.armed = True
    lost = http.post(REPORTS, json=report_payload())
    assert_retry_later(lost)

    # The same report again, on the same connection: stored now, and not a duplicate of a half-done write.
    retried = http.post(REPORTS, json=report_payload())
    assert retried.status_code == 201, retried.text
    assert client_address(retried) == client_address(lost)
    assert stored_report_ids(engine) == {retried.json()["id"]}


def test_a_read_whose_connection_is_lost_is_a_503_and_the_next_request_on_the_connection_succeeds(
    http: httpx.Client, cutter: ConnectionCutter
) -> None:
    created = http.post(REPORTS, json=report_payload())
    assert created.status_code == 201, created.text
    cutter.armed = True
    lost = http.get(REPORTS)
    assert_retry_later(lost)

    listed = http.get(REPORTS)
    assert listed.status_code == 200, listed.text
    assert [r["id"] for r in listed.json()["items"]] == [created.json()["id"]]
    assert client_address(listed) == client_address(lost) == client_address(created)


# --- PostgreSQL: the server's backends terminated while requests run -----------------------------------


class BackendKiller:
    """Terminates the app's PostgreSQL backends: at the n-th statement of a request, at its commit, or
    all of them between requests. `pg_terminate_backend(pid, timeout)` waits until the backend is gone."""

    def __init__(self, admin: Engine, app_engine: Engine, application_name: str) -> None:
        self.admin = admin
        self.application_name = application_name
        self.lock = threading.Lock()
        self.countdown: int | None = None
        self.at_commit = False
        self.kills = 0
        event.listen(app_engine, "before_cursor_execute", self._before_statement)
        event.listen(app_engine, "commit", self._before_commit)

    def arm(self, *, at_statement: int | None = None, at_commit: bool = False) -> None:
        with self.lock:
            self.countdown = at_statement
            self.at_commit = at_commit

    def _before_statement(self, conn: Connection, *_args: Any) -> None:
        with self.lock:
            if self.countdown is None:
                return
            self.countdown -= 1
            if self.countdown > 0:
                return
            self.countdown = None
        self._terminate(conn)

    def _before_commit(self, conn: Connection) -> None:
        with self.lock:
            if not self.at_commit:
                return
            self.at_commit = False
        self._terminate(conn)

    def _terminate(self, conn: Connection) -> None:
        pid = conn.connection.dbapi_connection.info.backend_pid  # type: ignore[union-attr]
        with self.admin.connect() as admin:
            killed = admin.execute(text("SELECT pg_terminate_backend(:pid, 10000)"), {"pid": pid}).scalar_one()
            admin.commit()
        self.kills += int(killed)

    def terminate_all(self) -> None:
        """Every connection the app holds, idle in its pool or not."""
        with self.admin.connect() as admin:
            killed = admin.execute(
                text(
                    "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid, 10000)) FROM pg_stat_activity "
                    "WHERE application_name = :name"
                ),
                {"name": self.application_name},
            ).scalar_one()
            admin.commit()
        self.kills += killed


@pytest.fixture
def killed_server(
    engine: Engine, settings: Settings, auth_headers: dict[str, str]
) -> Iterator[tuple[httpx.Client, BackendKiller]]:
    url = engine.url.render_as_string(hide_password=False)
    if not is_postgres(url):
        pytest.skip("a SQLite connection is a file handle: there is no server to lose it")
    name = f"registry-test-{uuid.uuid4().hex[:12]}"
    app_engine = build_engine(url, connect_args={"application_name": name})
    killer = BackendKiller(engine, app_engine, name)
    try:
        with (
            live_server(create_app(settings, engine=app_engine)) as base_url,
            httpx.Client(base_url=base_url, headers=auth_headers, timeout=60, trust_env=False) as client,
        ):
            yield client, killer
    finally:
        app_engine.dispose()


def test_backends_killed_during_and_between_requests_give_503s_on_a_connection_that_keeps_serving(
    killed_server: tuple[httpx.Client, BackendKiller], engine: Engine
) -> None:
    http, killer = killed_server
    serial = iter(range(1_000_000))
    acknowledged: set[str] = set()
    answers: list[httpx.Response] = []

    def create() -> httpx.Response:
        n = next(serial)
        headers = {"Idempotency-Key": f"lost-{n}"} if n % 2 else {}
        response = http.post(REPORTS, json=report_payload(folio=f"JAL-LOST-{n}"), headers=headers)
        if response.is_success:
            acknowledged.add(response.json()["id"])
        return response

    def read_list() -> httpx.Response:
        return http.get(REPORTS, params={"limit": 5})

    def read_one() -> httpx.Response:
        return http.get(f"{REPORTS}/{next(iter(acknowledged))}")

    def kill_at(n: int) -> Callable[[], None]:
        return lambda: killer.arm(at_statement=n)

    assert create().status_code == 201  # something to read
    scenarios: list[tuple[Callable[[], None], Callable[[], httpx.Response]]] = [
        *((kill_at(n), create) for n in range(1, 16)),
        (lambda: killer.arm(at_commit=True), create),
        *((kill_at(n), read_list) for n in range(1, 5)),
        *((kill_at(n), read_one) for n in range(1, 5)),
        *((killer.terminate_all, request) for request in (create, read_list, read_one)),
    ]
    for inject, request in scenarios:
        inject()
        answer = request()
        killer.arm()  # a kill not reached by this request must not hit the next one
        answers.append(answer)
        assert answer.is_success or answer.status_code == 503, answer.text
        if answer.status_code == 503:
            assert_retry_later(answer)
        # The next request on the same connection is served, by a healthy database connection.
        follow_up = read_list()
        assert follow_up.status_code == 200, follow_up.text
        answers.append(follow_up)

    assert killer.kills >= 20
    assert any(a.status_code == 503 for a in answers)
    assert {client_address(a) for a in answers} == {client_address(answers[0])}, "the HTTP connection was reset"
    assert acknowledged <= stored_report_ids(engine), "a write acknowledged with a 2xx was lost"
