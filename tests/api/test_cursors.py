"""A cursor comes back from the client: whatever it holds, a list answers 200 or a 400 naming `cursor`, never 500."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from registry.models import Role
from tests.builders import remains_payload, report_payload

PROBLEM_JSON = "application/problem+json"
REPORTS = "/api/v1/reports"
REMAINS = "/api/v1/remains"
QUEUE = "/api/v1/review/queue"
RECORD_ID = "3f2b8c1e-9a4d-4e6f-8b7a-1c2d3e4f5a6b"

PROPERTY = hypothesis_settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)


def pack(raw: str | bytes) -> str:
    """A cursor as this API writes one: URL-safe base64 without padding."""
    data = raw.encode("utf-8", "surrogatepass") if isinstance(raw, str) else raw
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def assert_cursor_refused(response: Any) -> None:
    assert response.status_code == 400, response.text
    assert response.headers["content-type"] == PROBLEM_JSON
    problem = response.json()
    assert problem["status"] == 400
    assert [e["field"] for e in problem["errors"]] == ["cursor"]
    assert "cursor" in problem["detail"]


@pytest.fixture
def investigator(client_as: Callable[..., TestClient]) -> TestClient:
    return client_as(Role.investigator, None)


@pytest.fixture
def records(client: TestClient) -> TestClient:
    """A clerk's client, with a few reports and remains to page through."""
    for n in range(3):
        assert client.post(REPORTS, json=report_payload(folio=f"JAL-CURSOR-{n}")).status_code == 201
        assert client.post(REMAINS, json=remains_payload(folio=f"SEMEFO-CURSOR-{n}")).status_code == 201
    return client


# --- the three cursors that were answered with a 500 ------------------------------------------------


@pytest.mark.parametrize("collection", [REPORTS, REMAINS])
@pytest.mark.parametrize(
    "created_at",
    ["2024-05-01T12:00:00", "9999-12-31T23:59:59-23:59", "0001-01-01T00:00:00+23:59"],
    ids=["no-time-zone", "offset-minus-23:59", "offset-plus-23:59"],
)
def test_a_list_cursor_whose_time_the_database_cannot_take_is_a_400(
    records: TestClient, collection: str, created_at: str
) -> None:
    assert_cursor_refused(records.get(collection, params={"cursor": pack(f"{created_at}|{RECORD_ID}")}))


QUEUE_POSITIONS = [
    pytest.param([0.9, 10**30, "2021-03-02", RECORD_ID], id="priority-10**30"),
    pytest.param([0.9, -(10**30), "2021-03-02", RECORD_ID], id="priority-minus-10**30"),
    pytest.param([float("inf"), 0, "2021-03-02", RECORD_ID], id="score-infinity"),
    pytest.param([float("nan"), 0, "2021-03-02", RECORD_ID], id="score-nan"),
    pytest.param([0.9, True, "2021-03-02", RECORD_ID], id="priority-bool"),
    pytest.param([0.9, 0, 20210302, RECORD_ID], id="day-a-number"),
    pytest.param([0.9, 0, "2021-03-02", 12345], id="id-a-number"),
    pytest.param({"score": 0.9, "priority": 0, "day": "2021-03-02", "id": RECORD_ID}, id="an-object"),
    pytest.param([0.9, 0, "2021-03-02"], id="three-items"),
]


@pytest.mark.parametrize("position", QUEUE_POSITIONS)
def test_a_queue_cursor_with_values_the_database_cannot_take_is_a_400(investigator: TestClient, position: Any) -> None:
    assert_cursor_refused(investigator.get(QUEUE, params={"cursor": pack(json.dumps(position))}))


def test_a_cursor_the_api_returned_still_pages(records: TestClient) -> None:
    first = records.get(REPORTS, params={"limit": 2})
    assert first.status_code == 200
    second = records.get(REPORTS, params={"limit": 2, "cursor": first.json()["next_cursor"]})
    assert second.status_code == 200, second.text
    assert len(first.json()["items"]) + len(second.json()["items"]) == 3


# --- any cursor at all ------------------------------------------------------------------------------

timestamps = st.datetimes(timezones=st.none() | st.timezones()).map(lambda d: d.isoformat()) | st.text(max_size=40)
record_ids = st.uuids().map(str) | st.text(max_size=40)
json_scalars = (
    st.none() | st.booleans() | st.integers(min_value=-(2**200), max_value=2**200) | st.floats() | st.text(max_size=20)
)
positions = st.lists(json_scalars, max_size=5) | st.tuples(
    st.floats() | st.integers(min_value=-(2**100), max_value=2**100),
    st.integers(min_value=-(2**100), max_value=2**100) | st.booleans(),
    st.dates().map(str) | st.text(max_size=12),
    st.uuids().map(str) | st.text(max_size=40),
).map(list)


def list_cursors() -> st.SearchStrategy[str]:
    """Raw strings, and strings that decode to something shaped like a cursor of the record lists."""
    shaped = st.tuples(timestamps, record_ids).map(lambda t: pack(f"{t[0]}|{t[1]}"))
    return st.text(max_size=200) | st.binary(max_size=140).map(pack) | shaped.filter(lambda c: len(c) <= 200)


def queue_cursors() -> st.SearchStrategy[str]:
    """Raw strings, and strings that decode to JSON shaped like a review-queue cursor."""
    shaped = positions.map(lambda p: pack(json.dumps(p)))
    return st.text(max_size=300) | st.binary(max_size=200).map(pack) | shaped.filter(lambda c: len(c) <= 300)


def assert_page_or_refusal(response: Any) -> None:
    assert response.status_code in (200, 400), response.text
    if response.status_code == 400:
        assert_cursor_refused(response)


@pytest.mark.parametrize("collection", [REPORTS, REMAINS])
def test_any_list_cursor_is_a_page_or_a_400(records: TestClient, collection: str) -> None:
    @PROPERTY
    @given(cursor=list_cursors())
    def attempt(cursor: str) -> None:
        assert_page_or_refusal(records.get(collection, params={"cursor": cursor}))

    attempt()


def test_any_queue_cursor_is_a_page_or_a_400(investigator: TestClient) -> None:
    @PROPERTY
    @given(cursor=queue_cursors())
    def attempt(cursor: str) -> None:
        assert_page_or_refusal(investigator.get(QUEUE, params={"cursor": cursor}))

    attempt()


@pytest.mark.parametrize(("url", "longest"), [(REPORTS, 200), (QUEUE, 300)])
def test_a_cursor_longer_than_any_the_api_returns_is_refused_naming_it(
    records: TestClient, investigator: TestClient, url: str, longest: int
) -> None:
    """The documented maximum length is checked with the other parameters (422), still naming `cursor`."""
    client = investigator if url == QUEUE else records
    response = client.get(url, params={"cursor": "A" * (longest + 1)})
    assert response.status_code == 422, response.text
    assert [e["field"] for e in response.json()["errors"]] == ["cursor"]
