"""Which language a request is answered in, and the Content-Language header that says so.

The language is negotiated once, when the request arrives: an explicit ``?lang=`` first (a link to
the English OpenAPI page, a vocabulary in one language), then, once the caller is known, the
account's preferred language, then the client's ``Accept-Language`` (quality values honoured),
then the registry's default (REGISTRY_DEFAULT_LANGUAGE, es-MX on a new registry).
"""

from __future__ import annotations

from urllib.parse import parse_qs

from starlette.datastructures import Headers, MutableHeaders
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from registry.actor import Actor
from registry.i18n import current_language, language_scope, negotiate, set_language, supported

EXPLICIT = "language_explicit"


def requested_language(scope: Scope) -> str | None:
    """The supported language a ``?lang=`` query parameter names, if any."""
    query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
    values = query.get("lang") or []
    return supported(values[-1]) if values else None


def request_language(request: Request, default: str) -> str:
    """The language negotiated from a request alone (no account): for code that runs outside the scope."""
    explicit = requested_language(request.scope)
    return explicit or negotiate(request.headers.get("accept-language"), default=default)


class LanguageNegotiation:
    """Opens the request's language scope and labels every response with its Content-Language."""

    def __init__(self, app: ASGIApp, *, default: str) -> None:
        self.app = app
        self.default = default

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        explicit = requested_language(scope)
        chosen = explicit or negotiate(Headers(scope=scope).get("accept-language"), default=self.default)
        scope.setdefault("state", {})[EXPLICIT] = explicit is not None

        async def labelled(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers["Content-Language"] = current_language()
                headers.add_vary_header("Accept-Language")
            await send(message)

        with language_scope(chosen):
            await self.app(scope, receive, labelled)


def adopt_account_language(request: Request, actor: Actor) -> None:
    """The signed-in account's preferred language wins over Accept-Language (not over an explicit ?lang=)."""
    if actor.language and not request.scope.get("state", {}).get(EXPLICIT):
        set_language(actor.language)
