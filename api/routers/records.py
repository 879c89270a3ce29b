"""The records API, built once for each record type (missing-person reports, unidentified remains).

No `from __future__ import annotations` here: FastAPI reads the endpoint annotations, which
refer to the schemas of the record type this router is built for.
"""

import json
import uuid
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field, create_model
from sqlalchemy.orm import Session

from api import cursors, security
from api.deps import ActorDep, GrantDep, SessionDep, SessionFactoryDep, SettingsDep
from api.etags import etag, expected_version
from matching.text import tokens
from registry import policy
from registry.actor import Actor
from registry.db import transaction
from registry.enums import RecordKind, Sex
from registry.record_types import Record, RecordType
from registry.repositories import records as repo
from registry.schemas.common import HistoryRead, Page, StatusChange, StatusEventRead, VersionRead, Withdrawal
from registry.schemas.review import AlertRead, ProposalRead
from registry.services import alerts, audit, idempotency, identities
from registry.services import records as service

IfMatch = Annotated[str | None, Header(description="The ETag of the version being changed (required)")]
IdempotencyKeyHeader = Annotated[
    str | None, Header(description="Makes a retried creation return the first response instead of a new record")
]
READ_RESTRICTED = "record.read_restricted"


def _without(body: dict[str, Any], hidden: frozenset[str]) -> dict[str, Any]:
    """The body with the hidden fields absent (not blank)."""
    return {k: v for k, v in body.items() if k not in hidden} if hidden else body


def _shows_restricted(rtype: RecordType, grant: security.Grant, record: Record) -> bool:
    """Whether this read hands restricted values to the caller (which makes it an audited read)."""
    fields = rtype_restricted(rtype) - grant.hidden_fields(rtype, record.source)
    return any(getattr(record, name, None) not in (None, "") for name in fields)


def rtype_restricted(rtype: RecordType) -> frozenset[str]:
    return policy.restricted_fields(rtype.kind)


def _saved_model(read_schema: type[BaseModel]) -> type[BaseModel]:
    return create_model(
        f"{read_schema.__name__.removesuffix('Read')}Saved",
        __base__=read_schema,
        warnings=(list[str], Field(default_factory=list, description="Accepted, but worth a second look")),
        alerts=(
            list[AlertRead],
            Field(
                default_factory=list,
                description="On create and correct: likely duplicates (or matches) above the alert threshold",
            ),
        ),
        proposals=(
            list[ProposalRead],
            Field(
                default_factory=list,
                description="On a report's status change: the same status proposed for the other reports of "
                "its identity (nothing is changed)",
            ),
        ),
    )


def build_router(rtype: RecordType, read_schema: type[BaseModel], prefix: str, tag: str) -> APIRouter:
    router = APIRouter(prefix=prefix, tags=[tag])
    saved_schema = _saved_model(read_schema)
    create_schema = rtype.create_schema
    update_schema = rtype.update_schema
    status_enum = rtype.status_enum
    page_schema = Page[read_schema]  # type: ignore[valid-type]

    def render(
        saved: service.SavedRecord,
        status: int = 200,
        location: bool = False,
        hidden: frozenset[str] = frozenset(),
        extra: dict[str, Any] | None = None,
    ) -> JSONResponse:
        body = _without(saved_schema.model_validate(saved.record).model_dump(mode="json"), hidden)
        body["warnings"] = saved.warnings
        body.update(extra or {})
        headers = {"ETag": etag(saved.record.version)}
        if location:
            headers["Location"] = f"/api/v1{prefix}/{saved.record.id}"
        return JSONResponse(body, status_code=status, headers=headers)

    @router.post(
        "",
        status_code=201,
        response_model=saved_schema,
        summary=f"Create a {rtype.label}",
        responses={409: {"description": "(source, folio) exists, or the idempotent request is in flight"}},
    )
    def create(
        body: create_schema,  # type: ignore[valid-type]
        session: SessionDep,
        sessions: SessionFactoryDep,
        actor: ActorDep,
        grant: GrantDep,
        request: Request,
        idempotency_key: IdempotencyKeyHeader = None,
    ) -> Response:
        source = body.source  # type: ignore[attr-defined]
        if not grant.covers(source):
            raise security.outside_jurisdiction(request, grant, rtype, source)
        settings = request.app.state.settings
        pending = alerts.before_create(
            session, request.app.state.live_index, rtype, body,
            review_threshold=settings.review_threshold, top=settings.review_candidates_per_record,
        )  # fmt: skip
        if idempotency_key is None:
            saved = created(session, body, actor, request)
            return render(saved, 201, True, extra=alerts_for(session, request, saved, pending))
        return _idempotent_create(body, session, sessions, grant, idempotency_key, request, pending)

    def created(session: Session, body: BaseModel, actor: Actor, request: Request) -> service.SavedRecord:
        saved = service.create_record(session=session, rtype=rtype, data=body, actor=actor)
        audit.record(session, actor=actor, action=policy.Action.record_create.value, record_kind=rtype.kind.value,
                     record_id=str(saved.record.id), request_id=security.request_id(request))  # fmt: skip
        return saved

    def alerts_for(
        session: Session, request: Request, saved: service.SavedRecord, pending: alerts.Pending
    ) -> dict[str, Any]:
        """The record's candidate pairs, stored; the strongest above the alert threshold, for the clerk."""
        settings = request.app.state.settings
        found = alerts.after_write(
            session, request.app.state.live_index, pending, saved.record.id,
            alert_threshold=settings.alert_threshold, limit=settings.alert_limit,
        )  # fmt: skip
        return {"alerts": [AlertRead.model_validate(a, from_attributes=True).model_dump(mode="json") for a in found]}

    def _idempotent_create(
        body: BaseModel,
        session: Session,
        sessions: Any,
        grant: security.Grant,
        key: str,
        request: Request,
        pending: alerts.Pending,
    ) -> Response:
        actor = grant.actor
        key = idempotency.check_key(key)
        scope = f"create {rtype.kind.value} {actor.id}"
        # The request has only read so far; end that transaction so that its next one sees the claim
        # (on SQLite a transaction that read before another connection wrote can no longer write).
        session.commit()
        with transaction(sessions) as claim_session:
            replay = idempotency.claim(
                claim_session, scope=scope, key=key, fingerprint=idempotency.fingerprint(body.model_dump(mode="json"))
            )
        if replay is not None:
            return replayed(session, replay, grant, request)
        try:
            saved = created(session, body, actor, request)
            response = render(saved, 201, True, extra=alerts_for(session, request, saved, pending))
            stored = idempotency.StoredResponse(
                response.status_code,
                # The store keeps no restricted value: a replay reads them from the record, audited.
                _without(saved_body(response), rtype_restricted(rtype)),
                {k: v for k, v in response.headers.items() if k in ("etag", "location")},
            )
            idempotency.complete(session, scope=scope, key=key, response=stored)
            return response
        except BaseException:
            session.rollback()  # first: on SQLite our uncommitted write would block the release
            with transaction(sessions) as release_session:
                idempotency.release(release_session, scope=scope, key=key)
            raise

    def replayed(
        session: Session, replay: idempotency.StoredResponse, grant: security.Grant, request: Request
    ) -> JSONResponse:
        """The first response again, audited like the original; its restricted values read from the record now."""
        body = dict(replay.body)
        record = service.get_record(session=session, rtype=rtype, record_id=uuid.UUID(body["id"]))
        current = saved_schema.model_validate(record).model_dump(mode="json")
        shown = rtype_restricted(rtype) - grant.hidden_fields(rtype, record.source)
        body.update({name: current[name] for name in shown if name in current})
        audit.record(session, actor=grant.actor, action=policy.Action.record_create.value,
                     record_kind=rtype.kind.value, record_id=str(record.id), detail={"replay": True},
                     request_id=security.request_id(request))  # fmt: skip
        if _shows_restricted(rtype, grant, record):
            audit.record(session, actor=grant.actor, action=READ_RESTRICTED, record_kind=rtype.kind.value,
                         record_id=str(record.id), request_id=security.request_id(request))  # fmt: skip
        return JSONResponse(body, status_code=replay.status, headers=replay.headers)

    @router.get("", response_model=page_schema, summary=f"List and search {rtype.label}s")
    def search(
        session: SessionDep,
        settings: SettingsDep,
        grant: GrantDep,
        request: Request,
        source: Annotated[str | None, Query(max_length=3, description="Registry code")] = None,
        state: Annotated[str | None, Query(max_length=3, description=f"State code ({rtype.state_field})")] = None,
        status: Annotated[status_enum | None, Query(description="Current status")] = None,  # type: ignore[valid-type]
        sex: Annotated[Sex | None, Query(description="female, male or unknown")] = None,
        date_from: Annotated[date | None, Query(description=f"{rtype.date_field} on or after")] = None,
        date_to: Annotated[date | None, Query(description=f"{rtype.date_field} on or before")] = None,
        age_min: Annotated[int | None, Query(ge=0, le=120)] = None,
        age_max: Annotated[int | None, Query(ge=0, le=120)] = None,
        name: Annotated[str | None, Query(max_length=200, description="Words of a name, any order")] = None,
        include_withdrawn: bool = False,
        cursor: Annotated[str | None, Query(max_length=200)] = None,
        limit: Annotated[int, Query(ge=1, le=1000)] = 50,
    ) -> Any:
        flt = repo.RecordFilter(
            source=source.upper() if source else None,
            state=state.upper() if state else None,
            status=status.value if status else None,  # type: ignore[attr-defined]
            sex=sex.value if sex else None,
            date_from=date_from,
            date_to=date_to,
            age_min=age_min,
            age_max=age_max,
            name_tokens=tuple(tokens(name)),
            include_withdrawn=include_withdrawn,
        )
        size = min(limit, settings.page_size_max)
        rows = service.search_records(
            session=session, rtype=rtype, flt=flt, after=cursors.decode(cursor), limit=size + 1
        )
        items: list[Record] = list(rows[:size])
        next_cursor = cursors.encode(items[-1].created_at, items[-1].id) if len(rows) > size else None
        bodies = [
            _without(read_schema.model_validate(r).model_dump(mode="json"), grant.hidden_fields(rtype, r.source))
            for r in items
        ]
        audit.append(
            session,
            actor=grant.actor,
            entries=[
                audit.Entry(READ_RESTRICTED, record_kind=rtype.kind.value, record_id=str(r.id))
                for r in items
                if _shows_restricted(rtype, grant, r)
            ],
            request_id=security.request_id(request),
        )
        return JSONResponse({"items": bodies, "next_cursor": next_cursor})

    def render_read(record: Record, hidden: frozenset[str]) -> Response:
        """What `render` gives for a record with no warnings, serialised by pydantic in one step."""
        body = saved_schema.model_validate(record).model_dump_json(exclude=set(hidden) or None)
        return Response(body, media_type="application/json", headers={"ETag": etag(record.version)})

    @router.get("/{record_id}", response_model=read_schema, summary=f"Read a {rtype.label}")
    def read(record_id: uuid.UUID, session: SessionDep, grant: GrantDep, request: Request) -> Response:
        record = service.get_record(session=session, rtype=rtype, record_id=record_id)
        if _shows_restricted(rtype, grant, record):
            audit.record(session, actor=grant.actor, action=READ_RESTRICTED, record_kind=rtype.kind.value,
                         record_id=str(record.id), request_id=security.request_id(request))  # fmt: skip
        return render_read(record, grant.hidden_fields(rtype, record.source))

    def writable(session: Session, grant: security.Grant, request: Request, record_id: uuid.UUID) -> None:
        """Another jurisdiction's record answers exactly like a record that does not exist."""
        record = service.get_record(session=session, rtype=rtype, record_id=record_id)
        if not grant.covers(record.source):
            raise security.foreign_record(request, grant, rtype, record_id)

    def written(
        session: Session,
        grant: security.Grant,
        request: Request,
        saved: service.SavedRecord,
        extra: dict[str, Any] | None = None,
    ) -> Response:
        if saved.changed:
            audit.record(session, actor=grant.actor, action=grant.action.value, record_kind=rtype.kind.value,
                         record_id=str(saved.record.id), request_id=security.request_id(request))  # fmt: skip
        return render(saved, hidden=grant.hidden_fields(rtype, saved.record.source), extra=extra)

    @router.patch("/{record_id}", response_model=saved_schema, summary=f"Correct a {rtype.label}")
    def update(
        record_id: uuid.UUID,
        body: update_schema,  # type: ignore[valid-type]
        session: SessionDep,
        actor: ActorDep,
        grant: GrantDep,
        request: Request,
        if_match: IfMatch = None,
    ) -> Response:
        version = expected_version(if_match)
        writable(session, grant, request, record_id)
        settings = request.app.state.settings
        pending = alerts.before_update(
            session, request.app.state.live_index, rtype, record_id, body,
            review_threshold=settings.review_threshold, top=settings.review_candidates_per_record,
        )  # fmt: skip
        saved = service.update_record(
            session=session, rtype=rtype, record_id=record_id, patch=body, expected_version=version, actor=actor
        )
        extra = alerts_for(session, request, saved, pending) if saved.changed else None
        return written(session, grant, request, saved, extra)

    @router.post("/{record_id}/status", response_model=saved_schema, summary="Change status, with its date")
    def change_status(
        record_id: uuid.UUID,
        body: StatusChange,
        session: SessionDep,
        actor: ActorDep,
        grant: GrantDep,
        request: Request,
        if_match: IfMatch = None,
    ) -> Response:
        version = expected_version(if_match)
        writable(session, grant, request, record_id)
        saved = service.change_status(
            session=session, rtype=rtype, record_id=record_id, change=body, expected_version=version, actor=actor
        )
        return written(session, grant, request, saved, proposals_for(session, saved))

    def proposals_for(session: Session, saved: service.SavedRecord) -> dict[str, Any]:
        """A report marked located proposes the same for the other reports of its identity (changing none)."""
        if rtype.kind is not RecordKind.report or saved.record.status not in identities.LOCATED:
            return {}
        found = identities.proposals(session, [saved.record.id])
        reads = [ProposalRead.model_validate(p, from_attributes=True) for p in found]
        return {"proposals": [r.model_dump(mode="json") for r in reads]}

    @router.post("/{record_id}/withdraw", response_model=saved_schema, summary="Withdraw with a reason")
    def withdraw(
        record_id: uuid.UUID,
        body: Withdrawal,
        session: SessionDep,
        actor: ActorDep,
        grant: GrantDep,
        request: Request,
        if_match: IfMatch = None,
    ) -> Response:
        version = expected_version(if_match)
        writable(session, grant, request, record_id)
        saved = service.withdraw_record(
            session=session, rtype=rtype, record_id=record_id, withdrawal=body, expected_version=version, actor=actor
        )
        return written(session, grant, request, saved)

    @router.get("/{record_id}/history", response_model=HistoryRead, summary="Every version and status event")
    def history(record_id: uuid.UUID, session: SessionDep, grant: GrantDep, request: Request) -> HistoryRead:
        record = service.get_record(session=session, rtype=rtype, record_id=record_id)
        versions, events = service.record_history(session=session, rtype=rtype, record_id=record_id)
        hidden = grant.hidden_fields(rtype, record.source)
        shown = [VersionRead.model_validate(v) for v in versions]
        for version in shown:
            version.changes = _without(version.changes, hidden)
        if any(set(v.changes) & rtype_restricted(rtype) for v in shown):
            audit.record(session, actor=grant.actor, action=READ_RESTRICTED, record_kind=rtype.kind.value,
                         record_id=str(record_id), detail={"history": True},
                         request_id=security.request_id(request))  # fmt: skip
        return HistoryRead(
            record_id=record_id,
            versions=shown,
            status_events=[StatusEventRead.model_validate(e) for e in events],
        )

    return router


def saved_body(response: JSONResponse) -> Any:
    return json.loads(bytes(response.body))
