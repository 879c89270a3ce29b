"""An error echoes a bounded amount of what the client sent: a refusal stays small, and still names the problem."""

from __future__ import annotations

import json
from typing import Any

import httpx
from fastapi.testclient import TestClient

from tests.builders import report_payload

PROBLEM_JSON = "application/problem+json"
REPORTS = "/api/v1/reports"
MAX_PROBLEM_BYTES = 64 * 1024


def assert_small_problem(response: httpx.Response) -> dict[str, Any]:
    assert 400 <= response.status_code < 500, response.text[:500]
    assert response.headers["content-type"] == PROBLEM_JSON
    assert len(response.content) < MAX_PROBLEM_BYTES, len(response.content)
    problem: dict[str, Any] = response.json()
    return problem


def test_a_header_of_a_million_columns_is_refused_in_a_small_problem_naming_the_file(client: TestClient) -> None:
    header = ",".join(f"column_{n}" for n in range(1_000_000))
    files = {"file": ("export.csv", f"{header}\r\n".encode(), "text/csv")}
    problem = assert_small_problem(client.post("/api/v1/imports/missing", files=files))
    assert problem["errors"][0]["field"] == "file"
    assert "unknown column" in problem["detail"]


def test_a_huge_unknown_field_is_named_but_not_echoed_whole(client: TestClient) -> None:
    name = "x" * 900_000
    problem = assert_small_problem(client.post(REPORTS, json={**report_payload(), name: 1}))
    [error] = problem["errors"]
    assert error["field"].startswith("xxxx")
    assert error["field"].endswith("…")
    assert error["message"] == "is not a known field"
    assert len(problem["detail"]) <= 1_000


def test_a_body_with_sixty_thousand_errors_lists_a_hundred_and_counts_the_rest(client: TestClient) -> None:
    unknown = {f"field_{n}": 1 for n in range(60_000)}
    problem = assert_small_problem(client.post(REPORTS, json={**report_payload(), **unknown}))
    errors = problem["errors"]
    assert isinstance(errors, list)
    assert 0 < len(errors) <= 100
    assert errors[0] == {"field": "field_0", "message": "is not a known field"}
    assert problem["errors_omitted"] == 60_000 - len(errors)


def test_errors_whose_every_character_is_escaped_still_fit(client: TestClient) -> None:
    """Control characters take six bytes each in JSON (\\u0000): the listing is bounded in bytes, not only in count."""
    unknown = {"\x01" * 199 + chr(0x100 + n): 1 for n in range(100)}
    body = json.dumps({**report_payload(), **unknown}).encode()
    response = client.post(REPORTS, content=body, headers={"content-type": "application/json"})
    problem = assert_small_problem(response)
    assert problem["status"] == 422
    assert len(problem["errors"]) + problem.get("errors_omitted", 0) == 100
