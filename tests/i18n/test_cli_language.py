"""The command line speaks the operator's language: --lang, else LANG, else the registry's default."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner

from api.cli.main import app as cli

HEADER = "Registro,Folio,Nombre(s),Primer apellido,Sexo,Fecha de desaparición,Entidad\r\n"
ROWS = "JAL,JAL-CLI-1,Ana,Pérez,Mujer,02/03/2021,JAL\r\nJAL,JAL-CLI-2,Luz,Soto,Mujer,31/02/2021,JAL\r\n"


@pytest.fixture
def spanish_export(tmp_path: Path) -> Path:
    path = tmp_path / "jalisco.csv"
    path.write_text(HEADER + ROWS, encoding="utf-8")
    return path


def test_lang_option_gives_the_import_report_in_spanish(
    registry_cli: CliRunner, engine: Engine, spanish_export: Path
) -> None:
    result = registry_cli.invoke(
        cli, ["--lang", "es-MX", "import", str(spanish_export), "--kind", "missing", "--national", "--dry-run"]
    )
    assert result.exit_code == 0, result.output
    assert "simulacro, no se escribió nada: se crearían 1" in result.stdout
    assert "se rechazarían 1" in result.stdout
    assert "Fecha de desaparición: " in result.stdout
    assert "use DD/MM/AAAA o AAAA-MM-DD" in result.stdout


def test_lang_follows_the_posix_locale_and_the_option_wins(
    registry_cli: CliRunner, engine: Engine, spanish_export: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LANG", "es_MX.UTF-8")
    spanish = registry_cli.invoke(cli, ["import", str(spanish_export), "--kind", "missing"])
    assert spanish.exit_code == 2
    assert "indique quién importa" in spanish.stderr
    english = registry_cli.invoke(cli, ["--lang", "en", "import", str(spanish_export), "--kind", "missing"])
    assert "say who imports" in english.stderr


def test_the_default_setting_speaks_when_the_locale_names_no_language(
    registry_cli: CliRunner, engine: Engine, spanish_export: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    monkeypatch.setenv("REGISTRY_DEFAULT_LANGUAGE", "es-MX")
    result = registry_cli.invoke(cli, ["import", str(spanish_export), "--kind", "missing"])
    assert "indique quién importa" in result.stderr


def test_a_language_the_registry_does_not_speak_is_refused(registry_cli: CliRunner) -> None:
    result = registry_cli.invoke(cli, ["--lang", "fr", "import"])
    assert result.exit_code == 2
    assert "use es-MX or en" in result.stderr
