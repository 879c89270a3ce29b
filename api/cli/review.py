"""`registry review`: export the review queue, import judgements in bulk, re-match every record."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from api.cli.common import deferred, engine_for, fail, say_if_built_in, settings
from registry.actor import CLI, Actor
from registry.enums import PairStatus
from registry.i18n import _

if TYPE_CHECKING:
    from api import readiness
    from registry import csv_safety, db
    from registry.repositories import review as review_repo
    from registry.services import audit, matching, review
else:  # imported when a command runs, not for --help (see api.cli.common)
    readiness = deferred("api.readiness")
    csv_safety = deferred("registry.csv_safety")
    db = deferred("registry.db")
    review_repo = deferred("registry.repositories.review")
    audit = deferred("registry.services.audit")
    matching = deferred("registry.services.matching")
    review = deferred("registry.services.review")

app = typer.Typer(help="Review candidate pairs: export the queue, import judgements, re-match.", no_args_is_help=True)

REMATCH_ACTOR = Actor(id="review-rematch", role="system", jurisdiction=None, via="cli")
EXPORT_COLUMNS = [
    "pair_id", "kind", "left_kind", "left_source", "left_folio", "left_state", "right_source", "right_folio",
    "right_state", "score", "status", "reopened", "minor", "vulnerable", "case_date", "parameters_version", "summary",
]  # fmt: skip
PAGE = 1_000


@app.command("export")
def export_queue(
    out: Annotated[Path, typer.Option(help="Write the queue here (CSV)", dir_okay=False)],
    status: Annotated[list[PairStatus] | None, typer.Option(help="Pair status (repeatable; default pending)")] = None,
) -> None:
    """The review queue as CSV, most urgent first (score, minors and vulnerable people, oldest case)."""
    flt = review_repo.QueueFilter(statuses=tuple(status) if status else (PairStatus.pending,))
    written = 0
    with engine_for() as engine, db.transaction(db.session_factory(engine)) as session:
        with out.open("w", newline="", encoding="utf-8") as handle:
            writer = csv_safety.SafeWriter(handle)  # folios and names may begin with '=': never a formula
            writer.writerow(EXPORT_COLUMNS)
            after: review_repo.QueuePosition | None = None
            while True:
                page = review.queue(session=session, flt=flt, after=after, limit=PAGE)
                for p in page:
                    writer.writerow([
                        p.id, p.kind.value, p.left_kind.value, p.left_source, p.left_folio, p.left_state,
                        p.right_source, p.right_folio, p.right_state, f"{p.score:.4f}", p.status.value,
                        int(p.reopened), int(p.minor), int(p.vulnerable), p.case_date.isoformat(),
                        "" if p.parameters_version is None else p.parameters_version, p.summary,
                    ])  # fmt: skip
                written += len(page)
                if len(page) < PAGE:
                    break
                last = page[-1]
                after = review_repo.QueuePosition(
                    last.score, last.priority, last.case_date, last.id, bool(last.dna_strong)
                )
        audit.record(session, actor=CLI, action="review.export", detail={"pairs": written})
    typer.echo(_("{written} candidate pairs written to {out}", written=written, out=out))


@app.command("import")
def import_judgements(
    file: Annotated[Path, typer.Argument(help="CSV: left_source,left_folio,right_source,right_folio,decision,reason")],
    reviewer: Annotated[str, typer.Option(help="Username of the investigator the judgements are recorded for")],
) -> None:
    """Records judgements in bulk (same, not_same, unsure, undone). All rows or none: any bad row is named."""
    with file.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in review.IMPORT_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise fail(_("the file lacks the columns {join}", join=", ".join(missing)), 2)
        rows = list(reader)
    with engine_for() as engine:
        readiness.check_ready(engine)
        sessions = db.session_factory(engine)
        with db.transaction(sessions) as session:
            actor = review.reviewer_actor(session, reviewer)
            stored = matching.current_parameters(session)
            index = matching.build_index(session, stored.parameters)
            result = review.import_judgements(
                session=session, rows=rows, actor=actor, index=index, threshold=settings().review_threshold,
                parameters_version=stored.version,
            )  # fmt: skip
            if result.errors:
                for error in result.errors[:50]:
                    typer.echo(error, err=True)
                raise fail(_("{len} rows refused; nothing was recorded", len=len(result.errors)))
            audit.record(session, actor=actor, action="review.import", detail={"judgements": result.judged})
    typer.echo(_("{judged} judgements recorded", judged=result.judged))


def version_mark(url: str) -> int:
    """The end of the version log now: pass it to `score_into_queue` after writing.

    Taken before the command's own work, so it checks first that the database is there and migrated.
    """
    with engine_for(url) as engine:
        readiness.check_ready(engine)
        with db.transaction(db.session_factory(engine)) as session:
            return review.version_mark(session)


def score_into_queue(url: str, since: int, *, top: int = 10) -> review.RematchResult:
    """Scores the records changed after a point of the version log (an import, a seeding) into the review
    queue, in one transaction. Scores use the stored parameters; a registry that has none yet gets them
    estimated from its records first (and stored), as `registry dedupe` does."""
    with engine_for(url) as engine, db.transaction(db.session_factory(engine)) as session:
        stored = matching.current_parameters(session)
        index = matching.build_index(session, stored.parameters)
        version = stored.version
        if version is None:
            version = matching.estimate_and_store(session, index, actor=REMATCH_ACTOR)
            say_if_built_in(index.parameters.fallback_reason, version)
        result = review.rescore_since(
            session, index, since, parameters_version=version, threshold=settings().review_threshold, top=top
        )
        audit.record(session, actor=REMATCH_ACTOR, action="review.rescore",
                     detail={"scored": result.scored, "added": result.added, "reopened": result.reopened,
                             "retired": result.retired})  # fmt: skip
    return result


def describe(result: review.RematchResult) -> str:
    return (
        f"{result.scored} candidate pairs ({result.added} new, {result.reopened} back in review, "
        f"{result.retired} retired; parameters version {result.parameters_version or 'built-in'})"
    )


@app.command("rematch")
def rematch(
    top: Annotated[int, typer.Option(min=1, max=100, help="Candidate reports kept per remains record")] = 10,
) -> None:
    """Recomputes every candidate pair from the current records and stores them; judgements last."""
    with engine_for() as engine:
        readiness.check_ready(engine)
        with db.transaction(db.session_factory(engine)) as session:
            stored = matching.current_parameters(session)
            index = matching.build_index(session, stored.parameters)
            result = review.rematch(
                session, index, parameters_version=stored.version, threshold=settings().review_threshold, top=top
            )
            audit.record(session, actor=REMATCH_ACTOR, action="review.rematch",
                         detail={"scored": result.scored, "added": result.added, "reopened": result.reopened,
                                 "retired": result.retired})  # fmt: skip
    typer.echo(describe(result))
