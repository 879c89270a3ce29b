"""The command line starts fast: `registry --help` and a command's `--help` load neither the database stack,
the web framework nor the matching engine; the lazily loaded commands say what they really are."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from api.cli import audit as audit_command
from api.cli import users as users_command
from api.cli.main import COMMANDS, load_command
from registry.models import Role
from registry.services import audit as audit_service

HEAVY = ("sqlalchemy", "fastapi", "uvicorn", "alembic", "numpy", "matching", "registry.db", "pydantic_settings")
# Every command: their modules defer their heavy imports (api.cli.common.deferred);
# benchmarks/bench_cli_startup.py measures how long each one's --help takes.
FAST_HELP = [
    [],
    ["db"], ["db", "upgrade"], ["users"], ["users", "create"], ["users", "bootstrap-admin"], ["audit"],
    ["audit", "export"], ["review"], ["review", "export"], ["serve"], ["backup"], ["restore"], ["import"],
    ["export"], ["dedupe"], ["link"], ["evaluate"], ["seed"], ["demo"], ["dna"], ["dna", "import"],
    ["dna", "search"],
]  # fmt: skip

PROBE = """
import io, json, sys
from contextlib import redirect_stdout
from api.cli.main import main
sys.argv = ["registry", *json.loads(sys.argv[1]), "--help"]
out = io.StringIO()
try:
    with redirect_stdout(out):
        main()
except SystemExit as exit:
    code = exit.code
print(json.dumps({"code": code, "help": out.getvalue(), "loaded": sorted(sys.modules)}))
"""


@pytest.mark.parametrize("command", FAST_HELP, ids=lambda c: " ".join(c) or "registry")
def test_help_loads_nothing_heavy(command: list[str]) -> None:
    result = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(command)], capture_output=True, text=True, check=True, timeout=120
    )
    probe = json.loads(result.stdout)
    assert probe["code"] in (0, None)
    assert "Usage: registry" in probe["help"]
    loaded = [m for m in probe["loaded"] if m.split(".")[0] in HEAVY or m in HEAVY]
    assert loaded == []


def test_top_level_help_lists_every_command_without_loading_it() -> None:
    result = subprocess.run(
        [sys.executable, "-c", PROBE, "[]"], capture_output=True, text=True, check=True, timeout=120
    )
    probe = json.loads(result.stdout)
    for name in COMMANDS:
        assert f"  {name} " in probe["help"]
    assert not [m for m in probe["loaded"] if m.startswith("api.cli.") and m not in ("api.cli.main",)]


@pytest.mark.parametrize("name", list(COMMANDS))
def test_the_listed_summary_is_the_commands_own(name: str) -> None:
    command = load_command(name)
    assert command.name == name
    assert (command.help or "").strip().splitlines()[0] == COMMANDS[name].summary


def test_the_choices_spelled_out_for_fast_help_match_the_domain() -> None:
    assert [r.value for r in users_command.RoleName] == [r.value for r in Role]
    assert [f.value for f in audit_command.ExportFormat] == [f.value for f in audit_service.ExportFormat]
