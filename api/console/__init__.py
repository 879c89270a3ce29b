"""The web console under /console: server-rendered pages over the API's own services and rules.

It is a sub-application mounted by `api.app.create_app`, sharing the API's state (engine, session
factories, live matching index, settings), so that a page and an API call read the same data the
same way. Its assets are files of this package: no build step, no CDN.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from urllib.parse import quote

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse
from fastapi.staticfiles import StaticFiles

from api.console import clerk, records, review, signing, training
from api.console import session as cookies
from api.console.deps import FormExpired, SignInRequired
from api.console.pages import render
from registry.errors import RegistryError
from registry.i18n import _

PREFIX = "/console"
# Pages show personal data: never cached, never framed, only this origin's scripts and styles.
SECURITY_HEADERS = {
    "Cache-Control": "no-store",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
}


def build_console(api: FastAPI) -> FastAPI:
    """The console application, sharing `api`'s state; mount it at PREFIX."""
    console = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)
    console.state = api.state
    console.mount("/static", StaticFiles(packages=[("api.console", "static")]), name="static")
    # Records last: its /{kind}/{record_id} would otherwise answer for the other pages.
    for router in (signing.router, review.router, clerk.router, training.router, records.router):
        console.include_router(router)

    @console.middleware("http")
    async def session_cookie(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        response = await call_next(request)
        renewed = getattr(request.state, "console_cookie", None)
        if renewed and not getattr(request.state, "signed_out", False):
            settings = request.app.state.settings
            cookies.set_cookie(response, request, cookies.COOKIE, renewed, cookies.idle_seconds(settings))
        if not request.url.path.startswith(f"{PREFIX}/static/"):
            for name, value in SECURITY_HEADERS.items():
                response.headers.setdefault(name, value)
        return response

    @console.exception_handler(SignInRequired)
    async def sign_in(request: Request, exc: SignInRequired) -> Response:
        target = request.url.path if request.method == "GET" else f"{PREFIX}/"
        if request.url.query and request.method == "GET":
            target += f"?{request.url.query}"
        url = f"{PREFIX}/login?next={quote(target, safe='')}" + ("&expired=1" if exc.expired else "")
        response = RedirectResponse(url, status_code=303)
        if exc.expired:
            cookies.clear_cookie(response, request, cookies.COOKIE)
        return response

    @console.exception_handler(FormExpired)
    async def form_expired(request: Request, exc: FormExpired) -> Response:
        message = _("this form has expired or did not come from this console; open the page again and resend it")
        return render(request, "error.html", status=403, title=_("Form refused"), message=message)

    @console.exception_handler(RegistryError)
    async def registry_error(request: Request, exc: RegistryError) -> Response:
        return render(request, "error.html", status=exc.status, title=_(exc.title), message=exc.detail)

    @console.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        fields = "; ".join(".".join(str(p) for p in e["loc"][1:]) + f": {e['msg']}" for e in exc.errors())
        return render(request, "error.html", status=422, title=_("Invalid request"), message=fields)

    return console
