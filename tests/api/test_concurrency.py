"""Clerks racing each other: the real app under uvicorn, hit by many threads at once.

Optimistic concurrency (ETags), idempotency keys and the (source, folio) natural key must each let
exactly one writer win, whatever the interleaving, on SQLite and on PostgreSQL alike.
"""

from __future__ import annotations

import threading
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine, func, select

from api.app import create_app
from registry.models import IdempotencyKey, MissingPersonReport, RecordVersion, RegistryInstance, StatusEvent
from registry.settings import Settings
from tests.builders import report_payload
from tests.live_server import live_server, signed_in

REPORTS = "/api/v1/reports"
PROBLEM_JSON = "application/problem+json"


@pytest.fixture
def base_url(engine: Engine, settings: Settings) -> Iterator[str]:
    with live_server(signed_in(create_app(settings, engine=engine))) as url:
        yield url


@pytest.fixture
def http(base_url: str) -> Iterator[httpx.Client]:
    limits = httpx.Limits(max_connections=200, max_keepalive_connections=200)
    with httpx.Client(base_url=base_url, limits=limits, timeout=120, trust_env=False) as client:
        yield client


def all_at_once(count: int, request: Callable[[int], httpx.Response]) -> list[httpx.Response]:
    """Runs `request(i)` for i in range(count) in as many threads, released together by a barrier."""
    barrier = threading.Barrier(count)

    def run(i: int) -> httpx.Response:
        barrier.wait(timeout=60)
        return request(i)

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(run, range(count)))


def count_rows(engine: Engine, model: Any, **where: Any) -> int:
    with engine.connect() as conn:
        stmt = select(func.count()).select_from(model).filter_by(**where)
        return conn.execute(stmt).scalar_one()


def describe(responses: list[httpx.Response]) -> str:
    return repr(Counter((r.status_code, r.text[:200]) for r in responses if r.status_code >= 500))


def test_one_of_100_updates_with_the_same_etag_wins(http: httpx.Client, engine: Engine) -> None:
    created = http.post(REPORTS, json=report_payload())
    assert created.status_code == 201, created.text
    url = f"{REPORTS}/{created.json()['id']}"
    etag = created.headers["etag"]
    # Every clerk writes a different height, none of them the stored one: a patch that changes nothing is a
    # harmless no-op that succeeds whenever it reads the record before the winner commits.
    original = created.json()["height_cm"]
    heights = [h for h in range(100, 202) if h != original][:100]

    responses = all_at_once(100, lambda i: http.patch(url, json={"height_cm": heights[i]}, headers={"If-Match": etag}))

    statuses = Counter(r.status_code for r in responses)
    assert statuses == {200: 1, 412: 99}, (statuses, describe(responses))
    assert all(r.headers["content-type"] == PROBLEM_JSON for r in responses if r.status_code == 412)
    winner = next(r for r in responses if r.status_code == 200)
    assert winner.headers["etag"] == '"2"'
    stored = http.get(url)
    assert stored.headers["etag"] == '"2"'
    assert stored.json()["height_cm"] == winner.json()["height_cm"]
    assert stored.json()["height_cm"] in heights
    history = http.get(f"{url}/history").json()
    assert [v["version"] for v in history["versions"]] == [1, 2]
    assert history["versions"][1]["changes"] == {"height_cm": [original, winner.json()["height_cm"]]}


def test_one_of_50_status_changes_with_the_same_etag_wins(http: httpx.Client, engine: Engine) -> None:
    created = http.post(REPORTS, json=report_payload())
    url = f"{REPORTS}/{created.json()['id']}"
    outcomes = ["located_alive", "located_dead"]

    responses = all_at_once(
        50,
        lambda i: http.post(
            f"{url}/status", json={"status": outcomes[i % 2], "date": "2023-01-05"}, headers={"If-Match": '"1"'}
        ),
    )

    statuses = Counter(r.status_code for r in responses)
    assert statuses == {200: 1, 412: 49}, (statuses, describe(responses))
    winner = next(r for r in responses if r.status_code == 200).json()
    history = http.get(f"{url}/history").json()
    assert [v["version"] for v in history["versions"]] == [1, 2]
    assert [(e["from_status"], e["to_status"]) for e in history["status_events"]] == [
        (None, "missing"),
        ("missing", winner["status"]),
    ]


def test_50_creations_with_one_idempotency_key_make_one_record(http: httpx.Client, engine: Engine) -> None:
    headers = {"Idempotency-Key": "clerk-double-click"}
    payload = report_payload()

    responses = all_at_once(50, lambda _i: http.post(REPORTS, json=payload, headers=headers))

    statuses = Counter(r.status_code for r in responses)
    assert set(statuses) <= {201, 409}, (statuses, describe(responses))
    assert statuses[201] >= 1
    created_ids = {r.json()["id"] for r in responses if r.status_code == 201}
    assert len(created_ids) == 1
    for response in responses:
        if response.status_code == 409:
            assert response.headers["content-type"] == PROBLEM_JSON
            assert response.json()["type"].endswith("/idempotency-in-flight"), response.text
    assert count_rows(engine, MissingPersonReport) == 1
    record_id = uuid.UUID(next(iter(created_ids)))
    assert count_rows(engine, RecordVersion, record_id=record_id) == 1
    assert count_rows(engine, StatusEvent, record_id=record_id) == 1
    assert count_rows(engine, IdempotencyKey, completed=True) == 1
    # Once the first request is done, a retry replays it.
    replay = http.post(REPORTS, json=payload, headers=headers)
    assert replay.status_code == 201
    assert replay.json()["id"] == str(record_id)


def first_record(http: httpx.Client) -> None:
    """A record created alone, so that the race under test is not also the database's first write."""
    response = http.post(REPORTS, json=report_payload(folio="JAL-FIRST"))
    assert response.status_code == 201, response.text


def test_concurrent_creations_of_one_source_and_folio_make_one_record(http: httpx.Client, engine: Engine) -> None:
    first_record(http)
    for round_ in range(5):
        folio = f"JAL-RACE-{round_}"
        responses = all_at_once(2, lambda _i, folio=folio: http.post(REPORTS, json=report_payload(folio=folio)))
        statuses = sorted(r.status_code for r in responses)
        assert statuses == [201, 409], (statuses, [r.text[:300] for r in responses])
        created, conflict = sorted(responses, key=lambda r: r.status_code)
        assert conflict.headers["content-type"] == PROBLEM_JSON
        assert conflict.json()["existing_id"] == created.json()["id"]
    assert count_rows(engine, MissingPersonReport) == 6


def test_20_concurrent_creations_of_one_source_and_folio_point_at_the_winner(
    http: httpx.Client, engine: Engine
) -> None:
    first_record(http)
    responses = all_at_once(20, lambda i: http.post(REPORTS, json=report_payload(given_names=f"Clerk {i}")))

    statuses = Counter(r.status_code for r in responses)
    assert statuses == {201: 1, 409: 19}, (statuses, describe(responses))
    winner = next(r for r in responses if r.status_code == 201).json()
    assert {r.json()["existing_id"] for r in responses if r.status_code == 409} == {winner["id"]}
    assert count_rows(engine, MissingPersonReport) == 2
    assert count_rows(engine, RecordVersion, record_id=uuid.UUID(winner["id"])) == 1
    assert count_rows(engine, StatusEvent, record_id=uuid.UUID(winner["id"])) == 1


def test_the_first_records_of_a_new_database_can_be_created_concurrently(http: httpx.Client, engine: Engine) -> None:
    """A fresh installation: several clerks submit their first reports at the same moment."""
    responses = all_at_once(10, lambda i: http.post(REPORTS, json=report_payload(folio=f"JAL-NEW-{i}")))

    statuses = Counter(r.status_code for r in responses)
    assert statuses == {201: 10}, (statuses, describe(responses))
    assert count_rows(engine, MissingPersonReport) == 10
    assert count_rows(engine, RegistryInstance) == 1
