"""Request dependencies as Annotated aliases: the session (the transaction owner), the actor, the grant, settings."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session, sessionmaker

from api import security
from registry.actor import Actor
from registry.settings import Settings


# Dependencies that do no I/O are async so that FastAPI runs them inline, not in a worker thread.
async def get_settings_dep(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def get_session_factory(request: Request) -> sessionmaker[Session]:
    factory: sessionmaker[Session] = request.app.state.sessions
    return factory


def get_session(request: Request) -> Iterator[Session]:
    """The request's unit of work: committed when the handler returns, rolled back if it raises."""
    session = request.app.state.sessions()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


SettingsDep = Annotated[Settings, Depends(get_settings_dep)]
SessionFactoryDep = Annotated[sessionmaker[Session], Depends(get_session_factory)]
# scope="function": the commit happens before the response is sent, so a 2xx means it is stored.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]


def get_actor(
    request: Request,
    session: SessionDep,
    token: Annotated[str | None, Depends(security.bearer_scheme)],
    api_key: Annotated[str | None, Depends(security.api_key_scheme)],
) -> Actor:
    """The authenticated caller (401 otherwise), reloaded from the database on every request."""
    return security.authenticate(request, session, token=token, api_key=api_key)


ActorDep = Annotated[Actor, Depends(get_actor)]


def get_grant(request: Request, session: SessionDep, actor: ActorDep) -> security.Grant:
    """The route's access rule applied to the caller (403 if it grants nothing)."""
    return security.authorize_route(request, session, actor)


GrantDep = Annotated[security.Grant, Depends(get_grant)]
# Put on every protected router: no route is reachable without passing its rule.
AUTHORIZED = Depends(get_grant)
