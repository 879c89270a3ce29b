"""What every command shares: settings, the engine, and errors printed as sentences, not tracebacks.

The command line must start fast (`registry --help` and any command's `--help` in well under a
second), while the database stack, the web framework and the matching engine take seconds to
import. So the modules of the `registry` commands name what they use at module level twice: once
for readers and the type checker (`if TYPE_CHECKING:`), once as a `deferred` module that is
imported the first time a command body touches it. Asking for help never does.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from contextlib import contextmanager
from types import ModuleType
from typing import TYPE_CHECKING, Any

import typer
from rich import console as rich_console

from registry.i18n import _

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlalchemy import exc as sa_exc

    from registry import db, errors, interchange
    from registry import settings as registry_settings
    from registry.settings import Settings


class _DeferredModule(ModuleType):
    """Stands for a module until an attribute is first read; then imports it and becomes a copy of it."""

    def __getattr__(self, attribute: str) -> Any:
        module = importlib.import_module(self.__name__)
        self.__dict__.update(vars(module))  # later reads find the attribute directly
        return getattr(module, attribute)


def deferred(name: str) -> Any:
    """The module `name`, imported at first use (the reason is in this module's docstring)."""
    return _DeferredModule(name)


if not TYPE_CHECKING:
    sa_exc = deferred("sqlalchemy.exc")
    db = deferred("registry.db")
    errors = deferred("registry.errors")
    interchange = deferred("registry.interchange")
    registry_settings = deferred("registry.settings")


# A real rich Console: other commands hand it to rich progress bars.
console = rich_console.Console(stderr=True)


def settings() -> Settings:
    return registry_settings.get_settings()


def fail(message: str, code: int = 1) -> typer.Exit:
    console.print(_("[bold red]error:[/] {message}", message=message), highlight=False)
    return typer.Exit(code)


def say_if_built_in(reason: str | None, version: int | None) -> None:
    """Tells the operator when the registry's records could not teach the matching model (and why)."""
    if reason:
        console.print(
            _(
                "note: parameters version {version} use built-in matching parameters ({reason}); scores are usable, "
                "and parameters are learned from the records once the registry is larger and more varied",
                version=version,
                reason=reason,
            ),
            highlight=False,
        )


@contextmanager
def engine_for(url: str | None = None) -> Iterator[Engine]:
    """An engine for the command; every known failure becomes one clear line and a non-zero exit."""
    engine = db.build_engine(url or settings().database_url)
    try:
        yield engine
    except errors.RegistryError as exc:
        raise fail(exc.detail) from None
    except interchange.HeaderError as exc:
        raise fail(_("the file cannot be imported: {exc}", exc=exc), 2) from None
    except sa_exc.OperationalError as exc:
        reason = type(exc.orig).__name__ if exc.orig else "OperationalError"
        raise fail(
            _(
                "the database cannot be reached or used ({reason}); check REGISTRY_DATABASE_URL and that `registry db"
                " upgrade` has been run",
                reason=reason,
            )
        ) from None
    finally:
        engine.dispose()
