"""Sign-in throttling under real concurrency, the bound on simultaneous password checks, and client addresses.

The app runs under uvicorn on loopback and is hit by many threads at once, on SQLite and on
PostgreSQL alike: however many attempts race, at most the limit of them get a password checked.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from api.app import create_app
from api.security import forwarded_client
from registry.models import AuditEvent, User
from registry.services import auth
from registry.settings import Settings
from tests.conftest import TEST_PASSWORD
from tests.live_server import live_server

TOKEN = "/api/v1/auth/token"


@dataclass
class VerifierProbe:
    """Counts password checks, and how many ran at the same time."""

    delay: float
    calls: int = 0
    running: int = 0
    peak: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


@pytest.fixture
def probe(monkeypatch: pytest.MonkeyPatch) -> VerifierProbe:
    probe = VerifierProbe(delay=0.1)
    real = auth.verify_password

    def counted(stored_hash: str | None, password: str) -> bool:
        with probe.lock:
            probe.calls += 1
            probe.running += 1
            probe.peak = max(probe.peak, probe.running)
        try:
            time.sleep(probe.delay)  # a slow server's Argon2: keeps the race window open
            return real(stored_hash, password)
        finally:
            with probe.lock:
                probe.running -= 1

    monkeypatch.setattr(auth, "verify_password", counted)
    return probe


@pytest.fixture
def http(engine: Engine, settings: Settings) -> Iterator[httpx.Client]:
    with live_server(create_app(settings, engine=engine)) as url:
        limits = httpx.Limits(max_connections=100, max_keepalive_connections=100)
        with httpx.Client(base_url=url, limits=limits, timeout=120, trust_env=False) as client:
            yield client


def all_at_once(count: int, request: Callable[[int], httpx.Response]) -> list[httpx.Response]:
    barrier = threading.Barrier(count)

    def run(i: int) -> httpx.Response:
        barrier.wait(timeout=60)
        return request(i)

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(run, range(count)))


def login_outcomes(sessions: sessionmaker[Session]) -> Counter[str]:
    with sessions() as session:
        return Counter(session.scalars(select(AuditEvent.outcome).where(AuditEvent.action == "auth.login")).all())


def test_parallel_wrong_passwords_for_one_account_check_at_most_the_limit(
    http: httpx.Client, make_user: Callable[..., User], probe: VerifierProbe, sessions: sessionmaker[Session]
) -> None:
    make_user(username="eva.clerk")

    responses = all_at_once(40, lambda _i: http.post(TOKEN, data={"username": "eva.clerk", "password": "wrong"}))

    statuses = Counter(r.status_code for r in responses)
    assert set(statuses) <= {401, 429}, statuses
    assert probe.calls <= 5, (probe.calls, statuses)
    assert statuses[401] == probe.calls
    assert all(1 <= int(r.headers["retry-after"]) <= 900 for r in responses if r.status_code == 429)
    # Each checked attempt is audited as a failure, each refused one as denied.
    assert login_outcomes(sessions) == {"failure": probe.calls, "denied": 40 - probe.calls}
    # However the attempts arrive, the window holds five checks; then the account is locked, even for its password.
    after = [http.post(TOKEN, data={"username": "eva.clerk", "password": "wrong"}).status_code for _ in range(6)]
    assert probe.calls == 5
    assert after.count(401) == 5 - statuses[401]
    assert http.post(TOKEN, data={"username": "eva.clerk", "password": TEST_PASSWORD}).status_code == 429


def test_parallel_wrong_passwords_from_one_client_check_at_most_the_limit(
    http: httpx.Client, probe: VerifierProbe, sessions: sessionmaker[Session]
) -> None:
    responses = all_at_once(60, lambda i: http.post(TOKEN, data={"username": f"guess-{i}", "password": "wrong"}))

    statuses = Counter(r.status_code for r in responses)
    assert set(statuses) <= {401, 429}, statuses
    assert probe.calls <= 20, (probe.calls, statuses)
    assert statuses[401] == probe.calls
    assert login_outcomes(sessions) == {"failure": probe.calls, "denied": 60 - probe.calls}


def test_password_checks_run_at_most_password_checks_max_at_once(
    engine: Engine, settings: Settings, probe: VerifierProbe
) -> None:
    settings = settings.model_copy(update={"password_checks_max": 3})
    probe.delay = 0.3
    with (
        live_server(create_app(settings, engine=engine)) as url,
        httpx.Client(base_url=url, timeout=120, trust_env=False) as client,
    ):
        # Unknown accounts, under both limits: each costs a decoy check, and every one is made.
        responses = all_at_once(10, lambda i: client.post(TOKEN, data={"username": f"nobody-{i}", "password": "x"}))
    assert Counter(r.status_code for r in responses) == {401: 10}
    assert probe.calls == 10
    assert probe.peak <= 3


# --- the client address ----------------------------------------------------------------------


def fail_logins(client: TestClient, count: int, forwarded_for: Callable[[int], str]) -> Counter[int]:
    return Counter(
        client.post(
            TOKEN, data={"username": f"guess-{i}", "password": "wrong"}, headers={"X-Forwarded-For": forwarded_for(i)}
        ).status_code
        for i in range(count)
    )


def test_forwarded_for_from_an_untrusted_peer_is_ignored(engine: Engine, settings: Settings) -> None:
    settings = settings.model_copy(update={"trusted_proxies": ["10.0.0.0/8"]})
    with TestClient(create_app(settings, engine=engine), client=("127.0.0.1", 50000)) as client:
        # Every attempt claims another address: they are all counted under the peer's, which runs out at 20.
        assert fail_logins(client, 21, lambda i: f"203.0.113.{i}") == {401: 20, 429: 1}


def test_a_trusted_proxy_is_throttled_per_forwarded_client(engine: Engine, settings: Settings) -> None:
    settings = settings.model_copy(update={"trusted_proxies": ["10.0.0.0/8", "192.0.2.7"]})
    with TestClient(create_app(settings, engine=engine), client=("10.1.2.3", 50000)) as client:
        # The right-most address a trusted proxy did not add is the client: what it claims before that is not believed.
        assert fail_logins(client, 21, lambda i: f"198.51.100.{i}, 203.0.113.9, 192.0.2.7") == {401: 20, 429: 1}
        # Another client behind the same proxies is counted on its own.
        assert fail_logins(client, 1, lambda _i: "203.0.113.10, 10.9.9.9") == {401: 1}
        # The proxy itself, with no X-Forwarded-For, is a client of its own too.
        assert client.post(TOKEN, data={"username": "guess-x", "password": "wrong"}).status_code == 401


@pytest.mark.parametrize(
    ("peer", "forwarded_for", "client"),
    [
        ("127.0.0.1", ["198.51.100.1"], "127.0.0.1"),  # a peer that is no trusted proxy is the client
        ("10.0.0.5", [], "10.0.0.5"),
        ("10.0.0.5", ["198.51.100.1, 203.0.113.4"], "203.0.113.4"),
        ("10.0.0.5", ["198.51.100.1", "203.0.113.4, 10.0.0.9"], "203.0.113.4"),  # several headers are one list
        ("10.0.0.5", ["203.0.113.4:51000"], "203.0.113.4"),
        ("10.0.0.5", ["[2001:db8::7]:443"], "2001:db8::7"),
        ("::ffff:10.0.0.5", ["203.0.113.4"], "203.0.113.4"),
        ("10.0.0.5", ["203.0.113.4, not-an-address"], "10.0.0.5"),  # a broken chain names no one behind it
        ("10.0.0.5", ["10.0.0.7, 10.0.0.6"], "10.0.0.7"),
    ],
)
def test_the_client_is_the_right_most_address_no_trusted_proxy_added(
    peer: str, forwarded_for: list[str], client: str
) -> None:
    assert forwarded_client(peer, forwarded_for, ["10.0.0.0/8"]) == client
