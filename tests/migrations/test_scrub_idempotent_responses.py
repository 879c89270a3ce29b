"""Responses stored before the idempotency store kept references lose their restricted values on upgrade."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import text

from registry.db import build_engine
from tests.databases import migrate, scratch_database

CONTACTS = {"contact_phone": "3312345678", "contact_name": "Ana Pérez", "circumstances": "salió de casa"}


def test_upgrading_scrubs_restricted_values_from_stored_responses(database_url: str, tmp_path: Path) -> None:
    with scratch_database(database_url, tmp_path) as url:
        migrate(url, "0009")
        engine = build_engine(url)
        try:
            body = {"id": "3f1d7c1e-0000-4000-8000-000000000001", "folio": "JAL-1", **CONTACTS}
            with engine.begin() as conn:
                conn.execute(
                    text(
                        "INSERT INTO idempotency_keys (scope, key, fingerprint, completed, response_status, "
                        "response_body, created_at) VALUES ('create report u1', 'k1', 'f', :done, 201, :body, "
                        "CURRENT_TIMESTAMP)"
                    ),
                    {"done": True, "body": json.dumps(body)},
                )
            migrate(url, "0010")
            with engine.connect() as conn:
                stored = conn.execute(text("SELECT response_body FROM idempotency_keys")).scalar_one()
        finally:
            engine.dispose()
    stored = json.loads(stored) if isinstance(stored, str) else stored
    assert stored == {"id": body["id"], "folio": "JAL-1"}
