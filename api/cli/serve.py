"""`registry serve`: the HTTP API under uvicorn, after saying what it serves and what is unsafe about it."""

from __future__ import annotations

import ipaddress
from typing import TYPE_CHECKING, Annotated

import typer

from api.cli.common import console, deferred, engine_for, settings

if TYPE_CHECKING:
    import uvicorn
    from sqlalchemy import engine as sa_engine

    from api import logging as api_logging
    from api import readiness
    from registry import db, record_types
    from registry.repositories import records as records_repo
    from registry.services import instance
    from registry.settings import Settings
else:  # imported when the command runs, not for --help (see api.cli.common)
    uvicorn = deferred("uvicorn")
    sa_engine = deferred("sqlalchemy.engine")
    api_logging = deferred("api.logging")
    readiness = deferred("api.readiness")
    db = deferred("registry.db")
    record_types = deferred("registry.record_types")
    records_repo = deferred("registry.repositories.records")
    instance = deferred("registry.services.instance")

LOOPBACK_NAMES = {"localhost"}
LONGEST_SAFE_TOKEN_MINUTES = 60
LONGEST_SAFE_SESSION_HOURS = 24


def displayed_url(url: str) -> str:
    """The database URL as it may be printed: the password masked."""
    return str(sa_engine.make_url(url).render_as_string(hide_password=True))


def _is_loopback(host: str) -> bool:
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def startup_warnings(config: Settings, *, host: str, workers: int, sandbox: bool) -> list[str]:
    """Settings that would be unsafe (or wasteful) for a registry of real records, in words an operator acts on."""
    warnings = []
    sqlite = db.is_sqlite(config.database_url)
    if sqlite and not sandbox:
        warnings.append(
            "the database is SQLite and holds real records: use PostgreSQL in production (several API processes "
            "writing at once, pg_dump backups, point-in-time recovery; docs/deploy.md)"
        )
    if sqlite and workers > 1:
        warnings.append(f"{workers} workers on SQLite take turns at one write lock; PostgreSQL serves them in parallel")
    if not _is_loopback(host) and not config.trusted_proxies:
        warnings.append(
            f"listening on {host} with no reverse proxy named (REGISTRY_TRUSTED_PROXIES is empty): serve the API "
            "only behind a proxy that terminates TLS (docs/deploy.md), and name it there so that sign-in limits "
            "count real clients, not the proxy"
        )
    if any(ipaddress.ip_network(p, strict=False).prefixlen == 0 for p in config.trusted_proxies):
        warnings.append("REGISTRY_TRUSTED_PROXIES trusts every address: any client can claim any address")
    if config.token_minutes > LONGEST_SAFE_TOKEN_MINUTES:
        warnings.append(
            f"access tokens last {config.token_minutes} minutes and cannot be revoked before they run out: keep "
            "REGISTRY_TOKEN_MINUTES short (15); refresh tokens keep people at work signed in"
        )
    if config.refresh_idle_minutes >= config.refresh_absolute_hours * 60:
        warnings.append(
            "REGISTRY_REFRESH_IDLE_MINUTES is not shorter than REGISTRY_REFRESH_ABSOLUTE_HOURS: an idle session "
            "is never signed out before its end"
        )
    if config.refresh_absolute_hours > LONGEST_SAFE_SESSION_HOURS:
        warnings.append(f"sign-in sessions last {config.refresh_absolute_hours} hours: more than a working day")
    if config.audit_key is None and not sandbox:
        warnings.append("REGISTRY_AUDIT_KEY is not set: audit anchors are unsigned (docs/access.md)")
    return warnings


def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on")] = 8000,
    workers: Annotated[int, typer.Option(help="Worker processes")] = 1,
) -> None:
    """Serve the API (its OpenAPI page is at /docs)."""
    config = settings()
    with engine_for() as engine:
        readiness.check_ready(engine)
        readiness.check_secret_key(engine, config)
        with db.transaction(db.session_factory(engine)) as session:
            reports = records_repo.count(session, record_types.REPORTS)
            remains = records_repo.count(session, record_types.REMAINS)
            sandbox = instance.is_sandbox(session)
    # One line per fact (soft_wrap: never folded at the terminal's width), for people and log collectors alike.
    say = console.print
    say(
        f"database: {displayed_url(config.database_url)}{' (sandbox)' if sandbox else ''}",
        highlight=False,
        soft_wrap=True,
    )
    say(f"records: {reports} missing-person reports, {remains} unidentified remains", highlight=False, soft_wrap=True)
    plural = "s" if workers != 1 else ""
    say(f"address: http://{host}:{port} ({workers} worker{plural}; each logs its matching index's build time)",
        highlight=False, soft_wrap=True)  # fmt: skip
    for warning in startup_warnings(config, host=host, workers=workers, sandbox=sandbox):
        say(f"[bold yellow]warning:[/] {warning}", highlight=False, soft_wrap=True)
    # uvicorn's loop="auto" and http="auto" pick uvloop and httptools (both project dependencies).
    # Its access log stays off: it writes full paths and query strings; api.logging writes one without them.
    uvicorn.run(
        "api.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="info",
        log_config=api_logging.uvicorn_log_config(),
        access_log=False,
        # Which proxies' X-Forwarded-For to believe is the app's decision (REGISTRY_TRUSTED_PROXIES,
        # none by default): uvicorn's own would believe any peer on 127.0.0.1.
        proxy_headers=False,
    )
