"""A token's signature is checked once, but its lifetime and the account behind it on every use."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlalchemy.orm import Session, sessionmaker

from registry.actor import SYSTEM
from registry.db import transaction, utcnow
from registry.errors import Unauthenticated
from registry.models import Role, User
from registry.services import auth
from registry.services import users as users_service
from registry.settings import Settings


def _actor(sessions: sessionmaker[Session], token: str, settings: Settings) -> str:
    with sessions() as session:
        return auth.actor_from_token(session=session, token=token, settings=settings).role


def test_a_token_used_again_expires_on_time(
    sessions: sessionmaker[Session], make_user: Callable[..., User], settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    token = auth.issue_token(user=make_user(), settings=settings)
    assert _actor(sessions, token, settings) == "clerk"
    assert _actor(sessions, token, settings) == "clerk"  # the second use is served by the checked token
    later = time.time() + settings.token_minutes * 60
    monkeypatch.setattr(auth.time, "time", lambda: later)
    with pytest.raises(Unauthenticated):
        _actor(sessions, token, settings)


def test_a_token_is_not_valid_before_it_was_issued(
    sessions: sessionmaker[Session], make_user: Callable[..., User], settings: Settings
) -> None:
    token = auth.issue_token(user=make_user(), settings=settings, now=utcnow() + timedelta(minutes=1))
    for _ in range(2):
        with pytest.raises(Unauthenticated):
            _actor(sessions, token, settings)


def test_a_checked_token_stops_with_its_account(
    sessions: sessionmaker[Session], make_user: Callable[..., User], settings: Settings
) -> None:
    user = make_user()
    token = auth.issue_token(user=user, settings=settings)
    assert _actor(sessions, token, settings) == "clerk"
    with transaction(sessions) as session:
        users_service.set_role(session=session, user=user, role=Role.investigator, jurisdiction=None, actor=SYSTEM)
    with pytest.raises(Unauthenticated):
        _actor(sessions, token, settings)
    with transaction(sessions) as session:
        users_service.disable_user(session=session, user=users_service.get_user(session=session, user_id=user.id),
                                   actor=SYSTEM)  # fmt: skip
    fresh = auth.issue_token(user=user, settings=settings)
    with pytest.raises(Unauthenticated):
        _actor(sessions, fresh, settings)


def test_a_token_signed_with_another_key_is_refused_even_after_a_good_one(
    sessions: sessionmaker[Session], make_user: Callable[..., User], settings: Settings
) -> None:
    user = make_user()
    token = auth.issue_token(user=user, settings=settings)
    assert _actor(sessions, token, settings) == "clerk"
    other = settings.model_copy(update={"secret_key": type(settings.secret_key)("another-key-" + "x" * 40)})
    with pytest.raises(Unauthenticated):
        _actor(sessions, token, other)
