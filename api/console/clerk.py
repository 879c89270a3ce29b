"""Clerks' screens: the report and remains forms (messages beside each field, the "possibly already
registered" alert before saving), correction against the version shown, and the import of a file."""

from __future__ import annotations

import csv
import io
import uuid
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse
from sqlalchemy.orm import Session

from api import security
from api.console import deps
from api.console.fields import label
from api.console.pages import render
from api.console.records import record_url, rtype_of
from api.deps import SessionDep, SessionFactoryDep
from api.importing import run_import
from api.routers.imports import MAX_LISTED_REJECTS
from registry import policy
from registry.enums import RecordKind, RemainsCondition, Sex
from registry.errors import DuplicateRecord, InvalidRecord, NotFound, StaleVersion
from registry.i18n import N_, _, translate
from registry.interchange import HeaderError
from registry.record_types import REMAINS, REPORTS, RecordType
from registry.services import alerts, audit, review
from registry.services import records as service
from registry.services.imports import ImportSummary, Rejected
from registry.services.matching import LiveIndex
from registry.services.validation import validate
from registry.services.values import jsonable
from registry.workbooks import WorkbookError

router = APIRouter()


@dataclass(frozen=True, slots=True)
class Input:
    """One field of a form: its name, what kind of input, its choices."""

    name: str
    kind: str = "text"  # text, date, number, textarea, select
    choices: tuple[tuple[str, str], ...] = ()
    required: bool = False


SEXES = ((Sex.female.value, N_("female")), (Sex.male.value, N_("male")), (Sex.unknown.value, N_("unknown")))
CONDITIONS = tuple((c.value, c.value) for c in RemainsCondition)
FORMS: dict[RecordKind, tuple[Input, ...]] = {
    RecordKind.report: (
        Input("source", required=True),
        Input("folio", required=True),
        Input("given_names"),
        Input("first_surname"),
        Input("second_surname"),
        Input("sex", "select", SEXES, required=True),
        Input("date_of_birth", "date"),
        Input("age_years", "number"),
        Input("curp"),
        Input("last_seen_date", "date", required=True),
        Input("last_seen_state", required=True),
        Input("last_seen_municipality"),
        Input("height_cm", "number"),
        Input("distinguishing_marks", "textarea"),
        Input("clothing", "textarea"),
        Input("circumstances", "textarea"),
        Input("investigation_file_number"),
        Input("contact_name"),
        Input("contact_phone"),
        Input("contact_email"),
        Input("contact_relationship"),
    ),
    RecordKind.remains: (
        Input("source", required=True),
        Input("folio", required=True),
        Input("found_date", "date", required=True),
        Input("found_state", required=True),
        Input("found_municipality"),
        Input("sex", "select", SEXES, required=True),
        Input("age_min", "number"),
        Input("age_max", "number"),
        Input("height_min_cm", "number"),
        Input("height_max_cm", "number"),
        Input("distinguishing_marks", "textarea"),
        Input("condition", "select", CONDITIONS),
        Input("forensic_service"),
        Input("storage_location"),
        Input("given_names"),
        Input("first_surname"),
        Input("second_surname"),
    ),
}
KEY_FIELDS = ("source", "folio")


def _inputs(rtype: RecordType, *, editing: bool) -> list[dict[str, Any]]:
    return [
        {
            "name": i.name,
            "label": label(i.name),
            "kind": i.kind,
            "required": i.required,
            "choices": [(v, translate(t)) for v, t in i.choices],
            "locked": editing and i.name in KEY_FIELDS,
        }
        for i in FORMS[rtype.kind]
    ]


def _values(form: Any, rtype: RecordType) -> dict[str, str]:
    return {i.name: str(form.get(i.name) or "").strip() for i in FORMS[rtype.kind]}


def _errors(exc: InvalidRecord) -> dict[str, str]:
    found: dict[str, str] = {}
    for error in exc.errors:
        field = str(error.get("field") or "form").split(".")[0]
        found.setdefault(field, str(error.get("message")))
    return found or {"form": exc.detail}


def _form(
    request: Request,
    rtype: RecordType,
    *,
    values: dict[str, str],
    errors: dict[str, str] | None = None,
    found: list[dict[str, Any]] | None = None,
    record_id: uuid.UUID | None = None,
    version: int | None = None,
    message: str | None = None,
    status: int = 200,
) -> Response:
    path = "reports" if rtype is REPORTS else "remains"
    action = f"/console/{path}/{record_id}/edit" if record_id else f"/console/{path}/new"
    return render(
        request,
        "record_form.html",
        status=status,
        rtype=rtype,
        inputs=_inputs(rtype, editing=record_id is not None),
        values=values,
        errors=errors or {},
        alerts=found or [],
        action=action,
        version=version,
        record_id=record_id,
        message=message,
        path=path,
    )


def likely_duplicates(request: Request, pending: alerts.Pending) -> list[dict[str, Any]]:
    """The candidates worth a clerk's look before saving: where each is filed, the score, the reasons."""
    live: LiveIndex = request.app.state.live_index
    threshold = request.app.state.settings.alert_threshold
    shown = []
    for candidate in sorted(pending.candidates, key=lambda c: -c.probability):
        described = live.describe(candidate.key)
        if candidate.probability < threshold or described is None:
            continue
        kind, source, folio = described
        shown.append(
            {
                "kind": kind,
                "source": source,
                "folio": folio,
                "registry": alerts.registry_name(source),
                "score": candidate.probability,
                "summary": review.short_reasons(candidate.explanation),
                "url": record_url(kind, candidate.key),
            }
        )
    return shown[: request.app.state.settings.alert_limit]


def _payload(values: dict[str, str]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v != ""}


@router.get("/{kind}/new")
def new_form(kind: str, request: Request, grant: deps.Create) -> Response:
    rtype = rtype_of(kind)
    values = {i.name: "" for i in FORMS[rtype.kind]}
    values["source"] = grant.actor.jurisdiction or ""
    return _form(request, rtype, values=values)


@router.post("/{kind}/new")
async def create(kind: str, request: Request, session: SessionDep, grant: deps.Create, _c: deps.Checked) -> Response:
    rtype = rtype_of(kind)
    form = await request.form()
    values = _values(form, rtype)
    try:
        body = validate(rtype.create_schema, _payload(values))
    except InvalidRecord as exc:
        return _form(request, rtype, values=values, errors=_errors(exc), status=422)
    source = body.source  # type: ignore[attr-defined]
    if not grant.covers(source):
        security.audit_denied(
            request, actor=grant.actor, action=grant.action.value, reason="jurisdiction", record_kind=rtype.kind.value
        )
        message = _("you may file records for {allowed} only", allowed=grant.actor.jurisdiction or "—")
        return _form(request, rtype, values=values, errors={"source": message}, status=403)
    settings = request.app.state.settings
    live: LiveIndex = request.app.state.live_index
    pending = await run_in_threadpool(
        alerts.before_create,
        session,
        live,
        rtype,
        body,
        review_threshold=settings.review_threshold,
        top=settings.review_candidates_per_record,
    )
    found = likely_duplicates(request, pending)
    if found and form.get("confirmed") != "yes":
        message = _("this person is possibly already registered: look at the records below before saving")
        return _form(request, rtype, values=values, found=found, message=message)
    try:
        saved = service.create_record(session=session, rtype=rtype, data=body, actor=grant.actor)
    except DuplicateRecord:
        message = _("a record with this registry and folio already exists")
        return _form(request, rtype, values=values, errors={"folio": message}, status=409)
    audit.record(
        session,
        actor=grant.actor,
        action=policy.Action.record_create.value,
        record_kind=rtype.kind.value,
        record_id=str(saved.record.id),
        request_id=security.request_id(request),
    )
    alerts.after_write(
        session, live, pending, saved.record.id, alert_threshold=settings.alert_threshold, limit=settings.alert_limit
    )
    return RedirectResponse(record_url(rtype.kind, saved.record.id) + "?saved=1", status_code=303)


def _editable(request: Request, session: Session, grant: security.Grant, rtype: RecordType, record_id: str) -> Any:
    """The record, if this person may correct it; another registry's record is answered as missing (as the API)."""
    parsed = deps.parse_uuid(record_id)
    if parsed is None:
        raise NotFound(_("no record with this id"))
    record = service.get_record(session=session, rtype=rtype, record_id=parsed)
    if not grant.covers(record.source):
        raise security.foreign_record(request, grant, rtype, parsed)
    return record


def _stored_values(rtype: RecordType, record: Any) -> dict[str, str]:
    current = jsonable(service.current_values(rtype, record))
    return {i.name: "" if current.get(i.name) is None else str(current.get(i.name)) for i in FORMS[rtype.kind]}


@router.get("/{kind}/{record_id}/edit")
def edit_form(kind: str, record_id: str, request: Request, session: SessionDep, grant: deps.Update) -> Response:
    rtype = rtype_of(kind)
    record = _editable(request, session, grant, rtype, record_id)
    return _form(request, rtype, values=_stored_values(rtype, record), record_id=record.id, version=record.version)


@router.post("/{kind}/{record_id}/edit")
async def correct(
    kind: str, record_id: str, request: Request, session: SessionDep, grant: deps.Update, _c: deps.Checked
) -> Response:
    rtype = rtype_of(kind)
    record = _editable(request, session, grant, rtype, record_id)
    form = await request.form()
    values = _values(form, rtype)
    values.update({k: getattr(record, k) for k in KEY_FIELDS})
    try:
        version = int(str(form.get("version") or ""))
    except ValueError:
        version = 0
    stored = _stored_values(rtype, record)
    changed = {k: (v or None) for k, v in values.items() if k not in KEY_FIELDS and v != stored.get(k, "")}
    try:
        patch = validate(rtype.update_schema, changed)
        settings = request.app.state.settings
        live: LiveIndex = request.app.state.live_index
        pending = await run_in_threadpool(
            alerts.before_update,
            session,
            live,
            rtype,
            record.id,
            patch,
            review_threshold=settings.review_threshold,
            top=settings.review_candidates_per_record,
        )
        saved = service.update_record(
            session=session, rtype=rtype, record_id=record.id, patch=patch, expected_version=version, actor=grant.actor
        )
    except InvalidRecord as exc:
        return _form(
            request, rtype, values=values, errors=_errors(exc), record_id=record.id, version=version, status=422
        )
    except StaleVersion:
        session.rollback()
        current = service.get_record(session=session, rtype=rtype, record_id=record.id)
        message = _(
            "someone else saved this record after you opened it (now version {version}); your changes were "
            "not saved: compare them with the record's page and send them again",
            version=current.version,
        )
        return _form(
            request, rtype, values=values, record_id=record.id, version=current.version, message=message, status=412
        )
    if saved.changed:
        audit.record(
            session,
            actor=grant.actor,
            action=policy.Action.record_update.value,
            record_kind=rtype.kind.value,
            record_id=str(record.id),
            request_id=security.request_id(request),
        )
        alerts.after_write(
            session, live, pending, record.id, alert_threshold=settings.alert_threshold, limit=settings.alert_limit
        )
    return RedirectResponse(record_url(rtype.kind, record.id) + "?saved=1", status_code=303)


# --- import -------------------------------------------------------------------------------------


class _Rejects:
    def __init__(self) -> None:
        self.rows: list[Rejected] = []

    def write(self, rejected: Rejected) -> None:
        if len(self.rows) < MAX_LISTED_REJECTS:
            self.rows.append(rejected)


def rejects_csv(rows: list[Rejected]) -> str:
    """The rejected rows as a CSV to correct and send again: the line, the reason, then the row as it was."""
    columns: list[str] = []
    for row in rows:
        columns.extend(c for c in row.values if c not in columns)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["line", "error", *columns])
    for row in rows:
        writer.writerow([row.line, row.error, *(row.values.get(c, "") for c in columns)])
    return out.getvalue()


@router.get("/import")
def import_form(request: Request, grant: deps.Upload) -> Response:
    return render(request, "import.html", result=None, errors={}, kind="missing", dry_run=True)


@router.post("/import")
async def import_file(
    request: Request, session: SessionDep, sessions: SessionFactoryDep, grant: deps.Upload, _c: deps.Checked
) -> Response:
    form = await request.form()
    kind = str(form.get("kind") or "missing")
    dry_run = form.get("dry_run") == "yes"
    upload = form.get("file")
    rtype = REMAINS if kind == "remains" else REPORTS
    if upload is None or isinstance(upload, str) or not upload.filename:
        errors = {"file": _("choose a file to import")}
        return render(request, "import.html", status=422, result=None, errors=errors, kind=kind, dry_run=dry_run)
    collector = _Rejects()
    settings = request.app.state.settings
    since = review.version_mark(session)
    batches = (
        sessions
        if dry_run
        else audit.audited_sessions(
            sessions,
            actor=grant.actor,
            action="import.batch",
            record_kind=rtype.kind.value,
            request_id=security.request_id(request),
        )
    )

    def work() -> ImportSummary:
        return run_import(
            sessions=batches,
            rtype=rtype,
            handle=upload.file,
            actor=grant.actor,
            batch_size=settings.import_batch_size,
            rejects=lambda _h: collector,
            dry_run=dry_run,
        )

    try:
        summary = await run_in_threadpool(work)
    except (HeaderError, WorkbookError) as exc:
        return render(
            request, "import.html", status=422, result=None, errors={"file": str(exc)}, kind=kind, dry_run=dry_run
        )
    if not dry_run:
        await run_in_threadpool(
            review.rescore_with_live_index,
            session,
            request.app.state.live_index,
            since,
            threshold=settings.review_threshold,
            top=settings.review_candidates_per_record,
        )
    audit.record(
        session,
        actor=grant.actor,
        action="import.dry_run" if dry_run else "import.run",
        record_kind=rtype.kind.value,
        request_id=security.request_id(request),
        detail={
            "created": summary.created,
            "updated": summary.updated,
            "unchanged": summary.unchanged,
            "rejected": summary.rejected,
            "foreign": summary.foreign,
        },
    )
    return render(
        request,
        "import.html",
        result=summary,
        rejects=collector.rows,
        rejects_csv=rejects_csv(collector.rows) if collector.rows else "",
        errors={},
        kind=kind,
        dry_run=dry_run,
    )


@router.post("/import/rejects.csv")
async def download_rejects(request: Request, grant: deps.Upload, _c: deps.Checked) -> Response:
    """The dry run's rejects as a file: the page sends back the CSV it showed (nothing is kept on the server)."""
    form = await request.form()
    text = str(form.get("rejects") or "")
    return Response(
        text,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="rechazos.csv"'},
    )
