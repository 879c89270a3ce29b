"""The `registry` command line."""

from api.cli.main import main

__all__ = ["main"]
