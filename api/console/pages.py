"""Rendering console pages: one Jinja2 environment over the package's templates, every text through `_`."""

from __future__ import annotations

from datetime import date, datetime
from functools import cache
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, select_autoescape

from api.console import deps
from api.console.session import CSRF_FIELD, ConsoleSession
from registry import policy
from registry.i18n import _, current_language, translate


def _shown(value: object) -> str:
    """A stored value as a person reads it: dates as ISO dates, lists joined, nothing for nothing."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M UTC")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list | tuple):
        return "; ".join(_shown(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_shown(v)}" for k, v in value.items() if v not in (None, ""))
    return str(value)


@cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("api.console", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(_=_, translate=translate, CSRF_FIELD=CSRF_FIELD, Action=policy.Action)
    env.filters["shown"] = _shown
    return env


def render(request: Request, template: str, *, status: int = 200, **context: Any) -> HTMLResponse:
    """A page: the signed-in person (if any), their menu, the sandbox banner, the page's own context."""
    current: ConsoleSession | None = getattr(request.state, "console", None)
    menu = {action: deps.may(current, action) for action in policy.Action} if current else {}
    page = (
        environment()
        .get_template(template)
        .render(request=request, current=current, may=menu, language=current_language().split("-")[0], **context)
    )
    return HTMLResponse(page, status_code=status)
