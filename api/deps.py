"""Request dependencies as Annotated aliases: the session (the transaction owner), the actor, the grant, settings.

Every dependency is async, so that FastAPI runs it inline on the event loop; the ones that talk to
the database hand that work to a worker thread, one hop each. A sync dependency costs a hop of its
own (a generator two: to open and to close), and each hop is a hand-over to another thread and
back (60-80 µs here, more on a busy machine): reading a record took five, it now takes two (the
caller's account, the endpoint; a read has nothing to commit).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from functools import partial
from typing import Annotated

from anyio import CancelScope, CapacityLimiter, to_thread
from fastapi import Depends, Request
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool

from api import security
from api.language import adopt_account_language
from registry.actor import Actor
from registry.db import holds_open_transaction
from registry.settings import Settings


async def get_settings_dep(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def get_session_factory(request: Request) -> sessionmaker[Session]:
    factory: sessionmaker[Session] = request.app.state.sessions
    return factory


_READS = frozenset({"GET", "HEAD"})


def _end(session: Session, *, commit: bool) -> None:
    """Commits (or rolls back) and closes the session: the end of the request's unit of work."""
    try:
        if commit:
            session.commit()
        else:
            session.rollback()
    except DBAPIError as error:
        session.rollback()  # discards the lost connection: the pool gets it back marked invalid
        # The database itself ends the transaction of a connection it lost, so a rollback that failed
        # for that reason has done its job: the request's own error (a 404, a 422…) is the answer.
        if commit or not error.connection_invalidated:
            raise
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


async def _end_in_thread(session: Session, *, commit: bool) -> None:
    # Shielded, so that a cancelled request still gives its connection back; with a limiter of its
    # own (as FastAPI does for the exit of a sync dependency), so that ending a unit of work never
    # waits for a worker thread held by requests that are themselves waiting for a connection.
    with CancelScope(shield=True):
        await to_thread.run_sync(partial(_end, session, commit=commit), limiter=CapacityLimiter(1))


async def get_session(request: Request) -> AsyncIterator[Session]:
    """The request's unit of work: committed when the handler returns, rolled back if it raises.

    A new session does no I/O (it takes a connection at its first statement), so it is made
    inline; its end runs in one worker-thread hop, unless there is nothing to commit. A GET reads
    (at most it audits what it showed), so its session opens a transaction only at its first
    write: a plain read sends no BEGIN and no COMMIT, and ends without a hop.
    """
    factory = request.app.state.reading_sessions if request.method in _READS else request.app.state.sessions
    session: Session = factory()
    try:
        yield session
    except BaseException:
        await _end_session(session, commit=False)
        raise
    await _end_session(session, commit=True)


async def _end_session(session: Session, *, commit: bool) -> None:
    if holds_open_transaction(session):
        await _end_in_thread(session, commit=commit)
    else:
        _end(session, commit=commit)  # nothing to send to the database: no thread hop


SettingsDep = Annotated[Settings, Depends(get_settings_dep)]
SessionFactoryDep = Annotated[sessionmaker[Session], Depends(get_session_factory)]
# scope="function": the commit happens before the response is sent, so a 2xx means it is stored.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]


async def get_actor(
    request: Request,
    session: SessionDep,
    token: Annotated[str | None, Depends(security.bearer_scheme)],
    api_key: Annotated[str | None, Depends(security.api_key_scheme)],
) -> Actor:
    """The authenticated caller (401 otherwise), its account read again from the database on every request."""
    actor = await run_in_threadpool(security.authenticate, request, session, token=token, api_key=api_key)
    adopt_account_language(request, actor)
    return actor


ActorDep = Annotated[Actor, Depends(get_actor)]


async def get_grant(request: Request, session: SessionDep, actor: ActorDep) -> security.Grant:
    """The route's access rule applied to the caller (403 if it grants nothing).

    The rule is a table lookup, done inline; the database is asked (in a worker thread) only when
    the answer depends on it (a trainer: is this a sandbox?) or a refusal has to be audited.
    """
    grant = security.grant_from_rules(request, actor)
    if grant is not None:
        return grant
    return await run_in_threadpool(security.authorize_route, request, session, actor)


GrantDep = Annotated[security.Grant, Depends(get_grant)]
# Put on every protected router: no route is reachable without passing its rule.
AUTHORIZED = Depends(get_grant)
