"""The catalogs: every message in Spanish and English, placeholders intact, and nothing marked left out."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from registry.i18n import N_, _, format_date, format_number, gettext, translate, use_language
from tests.i18n.spanish import catalog, placeholders

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("locale", ["es_MX", "en"])
def test_every_message_has_a_translation(locale: str) -> None:
    missing = [message_id for message_id, text in catalog(locale).items() if not text.strip()]
    assert missing == []


def test_every_spanish_translation_keeps_the_placeholders_of_its_message() -> None:
    broken = {m: s for m, s in catalog("es_MX").items() if placeholders(m) != placeholders(s)}
    assert broken == {}


def test_the_english_catalog_is_the_message_ids() -> None:
    assert {m: s for m, s in catalog("en").items() if m != s} == {}


def test_every_marked_message_of_the_code_is_in_the_catalogs(tmp_path: Path) -> None:
    """A message added to the code without running `pybabel extract/update` shows in English to a clerk."""
    template = tmp_path / "messages.pot"
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg", "-k", "N_", "-k", "translate",
         "--no-location", "-o", str(template), "."],
        cwd=ROOT, check=True, capture_output=True,
    )  # fmt: skip
    from babel.messages.pofile import read_po

    with template.open("rb") as handle:
        extracted = {str(m.id) for m in read_po(handle) if m.id}
    assert sorted(extracted - set(catalog("es_MX"))) == []


def test_placeholders_are_filled_after_translation() -> None:
    with use_language("es-MX"):
        assert _("no record with id {record_id}", record_id="abc") == "no hay un registro con id abc"
        assert translate(N_("{field}: {message}"), field="Fecha", message="es obligatorio") == "Fecha: es obligatorio"
    with use_language("en"):
        assert _("no record with id {record_id}", record_id="abc") == "no record with id abc"


def test_a_message_without_an_entry_is_shown_as_written() -> None:
    assert gettext("a text no catalog has", "es-MX") == "a text no catalog has"


def test_dates_and_numbers_in_prose_are_written_as_in_mexico() -> None:
    from datetime import date

    with use_language("es-MX"):
        assert format_date(date(1990, 5, 17)) == "17/05/1990"
        assert format_number(1234.5) == "1,234.5"
        assert format_number(0.97312, digits=2) == "0.97"
    with use_language("en"):
        assert format_date(date(1990, 5, 17)) == "1990-05-17"
