"""The dependency arrows stay honest: api → registry → matching; seed → registry; matching is pure."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("api", "registry", "matching", "seed", "migrations")

# What each package may import from the project's own packages.
ALLOWED = {
    "matching": {"matching"},
    "registry": {"registry", "matching"},
    "seed": {"seed", "registry", "matching"},
    "api": {"api", "registry", "matching", "seed", "migrations"},
    "migrations": {"migrations", "registry"},
}
# Third-party libraries matching/ may use: it stays fast and testable on its own.
MATCHING_THIRD_PARTY = {"rapidfuzz", "numpy"}
WEB_AND_DB = {"fastapi", "starlette", "uvicorn", "sqlalchemy", "alembic", "psycopg", "typer", "rich"}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def _modules(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


@pytest.mark.parametrize("package", PACKAGES)
def test_project_imports_point_one_way(package: str) -> None:
    offenders = []
    for path in _modules(package):
        for name in _imports(path) & set(PACKAGES):
            if name not in ALLOWED[package]:
                offenders.append(f"{path.relative_to(ROOT)} imports {name}")
    assert offenders == []


def test_matching_is_pure() -> None:
    stdlib = set(sys.stdlib_module_names) | {"__future__"}
    offenders = []
    for path in _modules("matching"):
        for name in _imports(path):
            if name not in stdlib and name not in MATCHING_THIRD_PARTY and name != "matching":
                offenders.append(f"{path.relative_to(ROOT)} imports {name}")
    assert offenders == []


def test_registry_knows_nothing_of_the_web() -> None:
    offenders = [
        f"{path.relative_to(ROOT)} imports {name}"
        for path in _modules("registry")
        for name in _imports(path) & {"fastapi", "starlette", "uvicorn", "typer"}
    ]
    assert offenders == []


def test_no_imports_inside_functions() -> None:
    """A function-level import hides a cycle: the code belongs in another module."""
    offenders = []
    for package in PACKAGES:
        for path in _modules(package):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                    for inner in ast.walk(node):
                        if isinstance(inner, ast.Import | ast.ImportFrom):
                            offenders.append(f"{path.relative_to(ROOT)}:{inner.lineno}")
    assert offenders == []


def test_matching_imports_no_web_or_database_library() -> None:
    offenders = [
        f"{path.relative_to(ROOT)} imports {name}"
        for path in _modules("matching")
        for name in _imports(path) & WEB_AND_DB
    ]
    assert offenders == []
