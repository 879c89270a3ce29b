"""Small builders of valid payloads; a test overrides only what it is about."""

from __future__ import annotations

from datetime import date
from typing import Any

from matching.curp import CurpFacts, build


def report_payload(**overrides: Any) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "source": "JAL",
        "folio": "JAL-2021-00123",
        "given_names": "María Guadalupe",
        "first_surname": "Hernández",
        "second_surname": "García",
        "sex": "female",
        "date_of_birth": "1990-05-17",
        "last_seen_date": "2021-03-02",
        "last_seen_state": "JAL",
        "last_seen_municipality": "Zapopan",
        "height_cm": 158,
        "distinguishing_marks": "tatuaje de rosa en antebrazo derecho",
    }
    payload.update(overrides)
    return payload


def valid_curp_for(payload: dict[str, Any], birth_state_curp_code: str = "JC") -> str:
    curp = build(
        CurpFacts(
            payload.get("given_names"),
            payload.get("first_surname"),
            payload.get("second_surname"),
            date.fromisoformat(payload["date_of_birth"]),
            payload["sex"],
            birth_state_curp_code,
        )
    )
    assert curp is not None
    return curp


def remains_payload(**overrides: Any) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "source": "JAL",
        "folio": "SEMEFO-JAL-2022-0045",
        "found_date": "2022-06-10",
        "found_state": "JAL",
        "found_municipality": "Tlajomulco de Zúñiga",
        "sex": "female",
        "age_min": 25,
        "age_max": 35,
        "height_min_cm": 150,
        "height_max_cm": 165,
        "distinguishing_marks": "TATUAJE EN ANTEBRAZO DERECHO CON FIGURA DE ROSA",
        "condition": "partial",
    }
    payload.update(overrides)
    return payload
