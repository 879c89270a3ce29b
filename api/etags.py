"""ETags carry a record's version; If-Match makes every update conditional."""

from __future__ import annotations

from registry.errors import PreconditionRequired, StaleVersion
from registry.i18n import _


def etag(version: int) -> str:
    return f'"{version}"'


def expected_version(if_match: str | None, current_version: int | None = None) -> int:
    """The version the client last saw, from If-Match; 428 without it, 412 if it is not one of ours."""
    if not if_match:
        raise PreconditionRequired(_("send If-Match with the ETag of the record you are changing"))
    candidates = [tag.strip().removeprefix("W/").strip('"') for tag in if_match.split(",")]
    versions = [int(tag) for tag in candidates if tag.isascii() and tag.isdigit() and len(tag) < 10]
    if not versions:
        raise StaleVersion(_("If-Match does not hold an ETag of this record; reload it and try again"))
    if current_version is not None and current_version in versions:
        return current_version
    return versions[0]
