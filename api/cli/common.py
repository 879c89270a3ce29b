"""What every command shares: settings, the engine, and errors printed as sentences, not tracebacks."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import typer
from rich.console import Console
from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError

from registry.db import build_engine
from registry.errors import RegistryError
from registry.interchange import HeaderError
from registry.settings import Settings, get_settings

console = Console(stderr=True)


def settings() -> Settings:
    return get_settings()


def fail(message: str, code: int = 1) -> typer.Exit:
    console.print(f"[bold red]error:[/] {message}", highlight=False)
    return typer.Exit(code)


@contextmanager
def engine_for(url: str | None = None) -> Iterator[Engine]:
    """An engine for the command; every known failure becomes one clear line and a non-zero exit."""
    engine = build_engine(url or settings().database_url)
    try:
        yield engine
    except RegistryError as exc:
        raise fail(exc.detail) from None
    except HeaderError as exc:
        raise fail(f"the file cannot be imported: {exc}", 2) from None
    except OperationalError as exc:
        reason = type(exc.orig).__name__ if exc.orig else "OperationalError"
        raise fail(
            f"the database cannot be reached or used ({reason}); check REGISTRY_DATABASE_URL "
            "and that `registry db upgrade` has been run"
        ) from None
    finally:
        engine.dispose()
