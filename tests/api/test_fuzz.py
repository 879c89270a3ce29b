"""Whatever a client sends to a write endpoint, the answer is a clean 4xx or a success, never a crash.

Property-based: arbitrary JSON values and strings (NUL bytes, lone surrogates, integers beyond 64 bits,
deep nesting, wrong types, unknown fields), raw bytes that are not UTF-8 or not JSON, and arbitrary
If-Match and Idempotency-Key headers. A refused request changes nothing in the database.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from sqlalchemy import Engine, select

from api.app import create_app
from registry.models import (
    IdempotencyKey,
    MissingPersonReport,
    RecordVersion,
    RegistryInstance,
    StatusEvent,
    UnidentifiedRemains,
)
from registry.schemas.remains import RemainsCreate
from registry.schemas.reports import ReportCreate
from registry.settings import Settings
from tests.builders import remains_payload, report_payload
from tests.live_server import live_server, signed_in

PROBLEM_JSON = "application/problem+json"
REPORTS = "/api/v1/reports"
REMAINS = "/api/v1/remains"

FUZZ = hypothesis_settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)


# --- what the database holds -------------------------------------------------------------------------


# The intake tables. Audit events are left out: recording a refusal is the audit trail's job.
INTAKE_MODELS = (MissingPersonReport, UnidentifiedRemains, RecordVersion, StatusEvent, IdempotencyKey, RegistryInstance)


def snapshot(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every intake table, in a stable order: equal snapshots mean nothing changed."""
    tables: dict[str, list[tuple[Any, ...]]] = {}
    with engine.connect() as conn:
        for model in INTAKE_MODELS:
            rows = conn.execute(select(model.__table__)).all()
            tables[model.__tablename__] = sorted((tuple(row) for row in rows), key=repr)
    return tables


@pytest.fixture
def clerk(client: TestClient) -> TestClient:
    signed_in(client.app)  # type: ignore[arg-type]
    return client


# --- what the client sends ---------------------------------------------------------------------------

huge_integers = st.integers(min_value=-(2**200), max_value=2**200) | st.sampled_from([2**63, -(2**63) - 1, 2**64])
nasty_text = st.text() | st.sampled_from(["\x00", "a\x00b", "\ud800", "x\udfffy", " ", "", "M", "ß" * 40, "²"])
json_scalars = st.none() | st.booleans() | huge_integers | st.floats() | nasty_text
json_values = st.recursive(
    json_scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(nasty_text, children, max_size=4),
    max_leaves=12,
)


def encode(value: Any, ascii_only: bool) -> bytes:
    """JSON as a client might send it: lone surrogates either escaped (\\ud800) or as raw, invalid UTF-8."""
    text = json.dumps(value, ensure_ascii=ascii_only, allow_nan=True)
    return text.encode("utf-8", "surrogatepass")


def deeply_nested(depth: int, closed: bool) -> bytes:
    return b"[" * depth + (b"]" * depth if closed else b"")


@st.composite
def bodies(draw: st.DrawFn, valid: dict[str, Any], fields: tuple[str, ...]) -> bytes:
    """A request body: arbitrary JSON, a valid body with one field spoiled or an unknown one, or raw bytes."""
    kind = draw(st.sampled_from(["any", "field", "unknown", "bytes", "nested"]))
    if kind == "any":
        return encode(draw(json_values), draw(st.booleans()))
    if kind == "field":
        name = draw(st.sampled_from(fields))
        return encode({**valid, name: draw(json_values)}, draw(st.booleans()))
    if kind == "unknown":
        extra = draw(st.dictionaries(nasty_text.filter(lambda k: k not in valid), json_values, min_size=1, max_size=3))
        return encode({**valid, **extra}, draw(st.booleans()))
    if kind == "bytes":
        return draw(st.binary(max_size=200))
    return deeply_nested(draw(st.integers(min_value=1, max_value=50_000)), draw(st.booleans()))


header_text = st.text(
    alphabet=st.characters(codec="latin-1", exclude_categories=["Cc"]), max_size=30
) | st.sampled_from(['"1"', 'W/"1"', '"1", "2"', '"99999999999999999999"', '"-1"', "*", '"²"'])


@dataclass
class Endpoint:
    name: str
    method: str
    collection: str
    action: str | None  # None: the record itself (PATCH) or the collection (create)
    valid: dict[str, Any]
    fields: tuple[str, ...]

    @property
    def creates(self) -> bool:
        return self.method == "POST" and self.action is None


REPORT_FIELDS = tuple(ReportCreate.model_fields)
REMAINS_FIELDS = tuple(RemainsCreate.model_fields)
STATUS_FIELDS = ("status", "date", "note")
FOUND_ALIVE = {"status": "located_alive", "date": "2023-01-05"}
IDENTIFIED = {"status": "identified", "date": "2023-01-05"}
WITHDRAW_FIELDS = ("reason", "note")

ENDPOINTS = [
    Endpoint("create report", "POST", REPORTS, None, report_payload(folio="FUZZ-NEW"), REPORT_FIELDS),
    Endpoint("create remains", "POST", REMAINS, None, remains_payload(folio="FUZZ-NEW"), REMAINS_FIELDS),
    Endpoint("correct report", "PATCH", REPORTS, None, {"height_cm": 160}, REPORT_FIELDS),
    Endpoint("correct remains", "PATCH", REMAINS, None, {"age_max": 40}, REMAINS_FIELDS),
    Endpoint("report status", "POST", REPORTS, "status", FOUND_ALIVE, STATUS_FIELDS),
    Endpoint("remains status", "POST", REMAINS, "status", IDENTIFIED, STATUS_FIELDS),
    Endpoint("withdraw report", "POST", REPORTS, "withdraw", {"reason": "duplicate"}, WITHDRAW_FIELDS),
    Endpoint("withdraw remains", "POST", REMAINS, "withdraw", {"reason": "entered_in_error"}, WITHDRAW_FIELDS),
]


class Target:
    """The record a fuzzed PATCH, status change or withdrawal is aimed at; replaced once it is withdrawn."""

    def __init__(self, client: TestClient, collection: str) -> None:
        self.client = client
        self.collection = collection
        self.serial = 0
        self.url = self._create()

    def _create(self) -> str:
        self.serial += 1
        make = report_payload if self.collection == REPORTS else remains_payload
        response = self.client.post(self.collection, json=make(folio=f"FUZZ-TARGET-{self.serial}"))
        assert response.status_code == 201, response.text
        return f"{self.collection}/{response.json()['id']}"

    def current(self) -> tuple[str, str]:
        """The target's URL and ETag, after replacing a withdrawn target with a fresh one."""
        response = self.client.get(self.url)
        if response.json()["withdrawn_at"] is not None:
            self.url = self._create()
            response = self.client.get(self.url)
        return self.url, response.headers["etag"]


def assert_clean_answer(response: Any, before: dict[str, Any], after: dict[str, Any]) -> None:
    assert response.status_code < 500, response.text
    if response.status_code >= 400:
        assert response.headers["content-type"] == PROBLEM_JSON, response.headers
        assert len(response.content) < 64 * 1024, "a refusal echoed too much of the request"
        problem = response.json()
        assert problem["status"] == response.status_code
        assert problem["title"]
        assert isinstance(problem["detail"], str)
        for error in problem.get("errors", []):
            assert isinstance(error["field"], str)
            assert isinstance(error["message"], str)
            assert error["message"]
        assert after == before, "a refused request changed the database"
    else:
        assert response.headers["content-type"] == "application/json"
        assert response.headers["etag"]


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=[e.name for e in ENDPOINTS])
def test_a_write_endpoint_never_crashes_and_refuses_without_side_effects(
    clerk: TestClient, engine: Engine, endpoint: Endpoint
) -> None:
    client = clerk
    target = None if endpoint.creates else Target(client, endpoint.collection)

    @FUZZ
    @given(
        body=bodies(endpoint.valid, endpoint.fields),
        header=st.none() | header_text,
        content_type=st.sampled_from(["application/json", "application/json; charset=utf-8", "text/plain"]),
    )
    def attempt(body: bytes, header: str | None, content_type: str) -> None:
        headers = {"content-type": content_type}
        if target is None:
            url = endpoint.collection
            if header is not None:
                headers["idempotency-key"] = header
        else:
            url, etag = target.current()
            url = f"{url}/{endpoint.action}" if endpoint.action else url
            headers["if-match"] = etag if header is None else header
        before = snapshot(engine)
        response = client.request(endpoint.method, url, content=body, headers=_latin1(headers))
        assert_clean_answer(response, before, snapshot(engine))

    attempt()


def _latin1(headers: dict[str, str]) -> dict[str, bytes]:
    """Header values as the bytes on the wire (HTTP headers are latin-1)."""
    return {name: value.encode("latin-1") for name, value in headers.items()}


@pytest.fixture
def live_http(engine: Engine, settings: Settings) -> Iterator[httpx.Client]:
    """The app under uvicorn: header bytes reach it exactly as sent (the TestClient re-encodes them as UTF-8)."""
    with (
        live_server(signed_in(create_app(settings, engine=engine))) as base_url,
        httpx.Client(base_url=base_url, timeout=30, trust_env=False) as http,
    ):
        yield http


@pytest.mark.parametrize("action", ["", "/status", "/withdraw"])
def test_an_if_match_with_non_ascii_digits_is_refused_not_a_crash(
    live_http: httpx.Client, engine: Engine, action: str
) -> None:
    """Latin-1 superscripts (¹ ² ³) count as digits for str.isdigit() but are no ETag of ours: 412, not 500."""
    created = live_http.post(REPORTS, json=report_payload())
    url = f"{REPORTS}/{created.json()['id']}{action}"
    body = {"": {"height_cm": 160}, "/status": {"status": "located_alive", "date": "2023-01-05"}}.get(
        action, {"reason": "duplicate"}
    )
    for if_match in ('"²"', '"¹"', 'W/"1³"'):
        before = snapshot(engine)
        response = live_http.request(
            "PATCH" if not action else "POST", url, json=body, headers=_latin1({"if-match": if_match})
        )
        assert response.status_code == 412, (if_match, response.text)
        assert_clean_answer(response, before, snapshot(engine))


def _text_fields(schema: type[ReportCreate] | type[RemainsCreate]) -> list[tuple[str, int]]:
    """Free-text properties and the longest value the published schema allows for each."""
    codes = {"source", "folio", "curp", "last_seen_state", "found_state", "birth_state"}
    found = []
    for name, prop in schema.model_json_schema()["properties"].items():
        for option in prop.get("anyOf", [prop]):
            text = option.get("type") == "string" and "maxLength" in option and "format" not in option
            if text and name not in codes:
                found.append((name, option["maxLength"]))
    return found


TEXT_FIELDS = [(REPORTS, *field) for field in _text_fields(ReportCreate)] + [
    (REMAINS, *field) for field in _text_fields(RemainsCreate)
]


@pytest.mark.parametrize(
    ("collection", "field", "length"), TEXT_FIELDS, ids=[f"{c.rsplit('/', 1)[1]}.{f}" for c, f, _ in TEXT_FIELDS]
)
def test_text_of_the_longest_documented_length_is_stored(
    clerk: TestClient, collection: str, field: str, length: int
) -> None:
    """The OpenAPI schema tells clerks how long each text may be; a text that long must be kept, not a 500."""
    client = clerk
    value = "Á" * length
    make = report_payload if collection == REPORTS else remains_payload
    response = client.post(collection, json=make(**{field: value}))
    assert response.status_code == 201, response.text
    assert client.get(f"{collection}/{response.json()['id']}").json()[field] == value


@pytest.mark.parametrize("curp", ["ß" * 32, "ﬃ" * 32, "ŉ" * 20], ids=["sharp-s", "ffi-ligature", "n-apostrophe"])
def test_a_curp_that_grows_when_upper_cased_is_kept_or_refused_not_a_crash(clerk: TestClient, curp: str) -> None:
    """A CURP is kept as written, upper-cased; some letters grow when upper-cased (ß → SS)."""
    client = clerk
    response = client.post(REPORTS, json=report_payload(curp=curp))
    assert response.status_code in (201, 422), response.text
    if response.status_code == 201:
        stored = client.get(f"{REPORTS}/{response.json()['id']}").json()
        assert stored["curp"] == response.json()["curp"]
        assert "malformed" in stored["curp_problems"]


@pytest.mark.parametrize(
    ("collection", "field", "length"), TEXT_FIELDS, ids=[f"{c.rsplit('/', 1)[1]}.{f}" for c, f, _ in TEXT_FIELDS]
)
def test_a_blank_text_means_unknown(clerk: TestClient, collection: str, field: str, length: int) -> None:
    """The interchange rule (an empty value is unknown) holds for every text field of the API too."""
    make = report_payload if collection == REPORTS else remains_payload
    payload = make(**{field: ""})
    if field in ("given_names", "first_surname", "second_surname"):
        payload["given_names" if field != "given_names" else "first_surname"] = "Hernández"
    response = clerk.post(collection, json=payload)
    assert response.status_code == 201, response.text
    assert response.json()[field] is None
