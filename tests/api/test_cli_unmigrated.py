"""Commands pointed at a database nobody migrated yet: one clear line and a non-zero exit, never a traceback."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from api.cli.main import app
from registry.settings import get_settings
from tests.builders import report_payload
from tests.databases import scratch_database

REPORT_CSV = (
    "source,folio,given_names,first_surname,sex,last_seen_date,last_seen_state\n"
    "JAL,JAL-1,{given_names},{first_surname},{sex},{last_seen_date},{last_seen_state}\n"
).format(**report_payload())


@pytest.fixture
def unmigrated(database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    with scratch_database(database_url, tmp_path) as url:
        monkeypatch.setenv("REGISTRY_DATABASE_URL", url)
        get_settings.cache_clear()
        yield url
    get_settings.cache_clear()


@pytest.mark.parametrize(
    "command",
    [
        pytest.param(["import", "{csv}", "--kind", "missing", "--national"], id="import"),
        pytest.param(["import", "{csv}", "--kind", "missing", "--national", "--no-review"], id="import --no-review"),
        pytest.param(["seed", "--reports", "10"], id="seed"),
        pytest.param(["seed", "--reports", "10", "--review"], id="seed --review"),
    ],
)
def test_a_command_on_an_unmigrated_database_says_to_upgrade_it(
    unmigrated: str, tmp_path: Path, command: list[str]
) -> None:
    csv_file = tmp_path / "reports.csv"
    csv_file.write_text(REPORT_CSV, encoding="utf-8")

    result = CliRunner().invoke(app, [part.format(csv=csv_file) for part in command])

    assert result.exit_code != 0
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "registry db upgrade" in " ".join(result.output.split())  # the console wraps long lines
    assert "Traceback" not in result.output
