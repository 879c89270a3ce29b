"""An import's outcome as a sentence, the same on the command line and in the API's answer."""

from __future__ import annotations

from registry.i18n import _, format_number


def summary_line(*, created: int, updated: int, unchanged: int, rejected: int, foreign: int, dry_run: bool) -> str:
    """E.g. "created 120, updated 3, unchanged 0, rejected 2 (1 of another registry)"; a dry run says what would be."""
    counts = {
        "created": format_number(created),
        "updated": format_number(updated),
        "unchanged": format_number(unchanged),
        "rejected": format_number(rejected),
    }
    if dry_run:
        line = _(
            "dry run, nothing written: would be created {created}, would be updated {updated}, "
            "unchanged {unchanged}, would be rejected {rejected}",
            **counts,
        )
    else:
        line = _("created {created}, updated {updated}, unchanged {unchanged}, rejected {rejected}", **counts)
    if foreign:
        line += " " + _("({foreign} of another registry)", foreign=format_number(foreign))
    return line


def more_rejects(count: int, *, rejects_given: bool) -> str:
    """The line after the first rejects a dry run prints."""
    if rejects_given:
        return _("  … and {count} more", count=format_number(count))
    return _("  … and {count} more (--rejects FILE)", count=format_number(count))
