"""Parsing of the compact pipe-separated tables that the data modules are written in."""

from __future__ import annotations


def rows(table: str) -> list[list[str]]:
    """The non-empty, non-comment lines of a table, split on "|" and stripped."""
    parsed: list[list[str]] = []
    for line in table.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        parsed.append([cell.strip() for cell in line.split("|")])
    return parsed
