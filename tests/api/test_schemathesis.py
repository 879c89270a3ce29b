"""The published OpenAPI schema, exercised by schemathesis against the app in-process (ASGI).

For every operation, generated requests (valid and invalid) must never meet a server error, and
every response must be what the schema promises: its content type and its body.
"""

from __future__ import annotations

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, Phase
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance
from sqlalchemy import Engine

from api.app import create_app
from registry.settings import Settings
from tests.live_server import signed_in

# The schema is read from an app that never starts (no database is touched to build the document);
# each test then calls its own app, bound to the test database and signed in as a clerk.
# Only the fuzzing phase, bounded by max_examples: the coverage phase alone sends hundreds of requests per operation.
FUZZING_ONLY = SchemathesisConfig.from_dict({"phases": {"coverage": {"enabled": False}}})
schema = schemathesis.openapi.from_dict(create_app(Settings(database_url="sqlite://")).openapi(), config=FUZZING_ONLY)


@pytest.fixture
def app(engine: Engine, settings: Settings) -> FastAPI:
    return signed_in(create_app(settings, engine=engine))


FAST = hypothesis_settings(
    deadline=None,
    phases=[Phase.explicit, Phase.generate],  # no shrinking: the failing request is reported as sent
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)


@schema.parametrize()
@hypothesis_settings(FAST, max_examples=10)
def test_no_operation_meets_a_server_error_and_bodies_match_the_schema(app: FastAPI, case: schemathesis.Case) -> None:
    case.call_and_validate(
        app=app,
        base_url="http://testserver",
        checks=[not_a_server_error, response_schema_conformance],
        # The first DNA search of a process builds its family index (about 10 s on a loaded 2-core machine).
        timeout=120,
    )


@schema.parametrize()
@hypothesis_settings(FAST, max_examples=3)
def test_every_response_has_a_documented_content_type(app: FastAPI, case: schemathesis.Case) -> None:
    """Errors are application/problem+json: the schema must say so, or generated clients cannot read them."""
    case.call_and_validate(app=app, base_url="http://testserver", checks=[content_type_conformance], timeout=120)
