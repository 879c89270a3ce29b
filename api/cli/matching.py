"""`registry dedupe`, `registry link` and `registry evaluate`: matching at national scale, from the shell."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from api.cli.common import console, deferred, engine_for, say_if_built_in, settings
from registry.actor import Actor
from registry.csv_safety import SafeWriter

if TYPE_CHECKING:
    import matching
    from api import readiness
    from registry import db, i18n, record_types
    from registry.repositories import records
    from registry.services import matching as matching_service
    from seed import dna_evaluation, evaluation
else:  # imported when a command runs, not for --help (see api.cli.common)
    matching = deferred("matching")
    readiness = deferred("api.readiness")
    db = deferred("registry.db")
    record_types = deferred("registry.record_types")
    records = deferred("registry.repositories.records")
    matching_service = deferred("registry.services.matching")
    evaluation = deferred("seed.evaluation")
    dna_evaluation = deferred("seed.dna_evaluation")
    i18n = deferred("registry.i18n")

MATCH_ACTOR = Actor(id="matching", role="system", jurisdiction=None)

DEDUPE_COLUMNS = ["left_source", "left_folio", "right_source", "right_folio", "score", "parameters_version"]
LINK_COLUMNS = [
    "remains_source", "remains_folio", "missing_source", "missing_folio", "score", "rank", "parameters_version",
]  # fmt: skip

MinScore = Annotated[
    float | None, typer.Option(min=0.0, max=1.0, help="Lowest score written (default: the review threshold)")
]
LinkMinScore = Annotated[
    float,
    typer.Option(
        min=0.0, max=1.0,
        help="Lowest score written (default 0: no floor, every remains' --top best candidates are written)",
    ),
]  # fmt: skip


def _progress() -> Progress:
    return Progress(
        SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=console,
    )  # fmt: skip


@dataclass(slots=True)
class Prepared:
    index: matching.MatchIndex
    parameters_version: int
    seconds: float


@contextmanager
def prepared_index(progress: Progress) -> Iterator[Prepared]:
    """Loads every live record into an index and estimates (and stores) parameters from them."""
    started = time.perf_counter()
    with engine_for() as engine:
        readiness.check_ready(engine)
        sessions = db.session_factory(engine)
        with db.transaction(sessions) as session:
            total = records.count(session, record_types.REPORTS) + records.count(session, record_types.REMAINS)
            task = progress.add_task("loading records", total=total)
            index = matching.MatchIndex()
            for record in matching_service.live_records(session):
                index.add(record)
                progress.advance(task)
        estimating = progress.add_task("estimating parameters", total=None)
        with db.transaction(sessions) as session:
            version = matching_service.estimate_and_store(session, index, actor=MATCH_ACTOR)
        progress.update(estimating, total=1, completed=1)
        say_if_built_in(index.parameters.fallback_reason, version)
        yield Prepared(index, version, time.perf_counter() - started)


def _threshold(min_score: float | None) -> float:
    return settings().review_threshold if min_score is None else min_score


def _dedupe_rows(prepared: Prepared, threshold: float) -> Iterator[list[object]]:
    index = prepared.index
    for scored in index.dedupe(threshold):
        a, b = index.get(scored.key_a), index.get(scored.key_b)
        assert a is not None
        assert b is not None
        left, right = sorted([(a.record.source, a.record.folio), (b.record.source, b.record.folio)])
        yield [*left, *right, f"{scored.probability:.4f}", prepared.parameters_version]


def _link_rows(prepared: Prepared, top: int, threshold: float, progress: Progress) -> Iterator[list[object]]:
    index = prepared.index
    remains_total = sum(1 for p in index.records() if p.is_remains)
    task = progress.add_task("linking remains", total=remains_total)
    for remains_key, candidates in index.link(top, threshold):
        remains = index.get(remains_key)
        assert remains is not None
        for rank, candidate in enumerate(candidates, start=1):
            report = index.get(candidate.key)
            assert report is not None
            yield [
                remains.record.source, remains.record.folio, report.record.source, report.record.folio,
                f"{candidate.probability:.4f}", rank, prepared.parameters_version,
            ]  # fmt: skip
        progress.advance(task)


def _write(path: Path, header: list[str], rows: Iterator[list[object]]) -> int:
    written = 0
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = SafeWriter(handle)  # folios may begin with '=': never a formula
        writer.writerow(header)
        for row in rows:
            writer.writerow(row)
            written += 1
    return written


def dedupe(
    out: Annotated[Path, typer.Option(help="Write candidate pairs of reports here (interchange pair shape)")],
    min_score: MinScore = None,
) -> None:
    """Candidate pairs of missing-person reports that may be the same person, within and across registries."""
    with _progress() as progress, prepared_index(progress) as prepared:
        pairs = _write(out, DEDUPE_COLUMNS, _dedupe_rows(prepared, _threshold(min_score)))
        counts = prepared.index.blocking_counts()
    typer.echo(f"{pairs} candidate pairs written to {out} (parameters version {prepared.parameters_version})")
    typer.echo(f"blocking: {counts.summary()}")


def link(
    out: Annotated[Path, typer.Option(help="Write each remains' best candidate reports here")],
    top: Annotated[int, typer.Option(min=1, max=1000, help="Candidates per remains record")] = 10,
    min_score: LinkMinScore = 0.0,
) -> None:
    """For each unidentified-remains record, its best candidate missing-person reports, ranked.

    No score floor by default: an investigator ranking candidates for a body wants the list.
    """
    with _progress() as progress, prepared_index(progress) as prepared:
        rows = _write(out, LINK_COLUMNS, _link_rows(prepared, top, min_score, progress))
    typer.echo(f"{rows} candidate links written to {out} (parameters version {prepared.parameters_version})")


def evaluate(
    truth: Annotated[Path, typer.Option(help="Ground truth written by `registry seed --truth DIR`")],
    dedupe_file: Annotated[Path | None, typer.Option("--dedupe", help="Score this dedupe output")] = None,
    link_file: Annotated[Path | None, typer.Option("--link", help="Score this link output")] = None,
    min_score: MinScore = None,
    dna_file: Annotated[
        Path | None,
        typer.Option(
            "--dna-candidates",
            help="Score this `registry dna search` output by reference configuration (needs `seed --dna --truth`)",
        ),
    ] = None,
) -> None:
    """Precision, recall and F1 of duplicate detection, recall at 1 and 10 of linking, and blocking recall.

    With --dna-candidates, DNA identification by reference configuration (alone unless --dedupe/--link).
    """
    expected = evaluation.read_truth(truth)
    if dna_file:
        _echo_dna(dna_evaluation.score_dna(dna_evaluation.read_dna_search(dna_file), _dna_truth(truth), expected.links))
        if not (dedupe_file or link_file):
            return
    blocking: float | None = None
    if dedupe_file and link_file:
        predicted = evaluation.read_dedupe_output(dedupe_file)
        ranked = evaluation.read_link_output(link_file)
    else:
        with _progress() as progress, prepared_index(progress) as prepared:
            index = prepared.index
            predicted = [_pair_of(row) for row in _dedupe_rows(prepared, _threshold(min_score))]
            ranked = {}
            for row in _link_rows(prepared, 10, 0.0, progress):
                ranked.setdefault((str(row[0]), str(row[1])), []).append((str(row[2]), str(row[3])))
            blocking = _blocking_recall(index, expected.duplicates)
    pairs = evaluation.score_pairs(predicted, expected.duplicates)
    links = evaluation.score_links(ranked, expected.links)
    typer.echo(f"duplicate detection: precision {pairs.precision:.4f}  recall {pairs.recall:.4f}  F1 {pairs.f1:.4f}")
    typer.echo(f"  ({pairs.found} of {pairs.true} true pairs found; {pairs.predicted} pairs predicted)")
    typer.echo(
        f"remains to reports: recall@1 {links.recall_at_1:.4f}  recall@10 {links.recall_at_10:.4f}  "
        f"({links.remains_with_truth} remains belong to a reported person)"
    )
    if blocking is not None:
        typer.echo(f"blocking recall (duplicate pairs): {blocking:.4f}")


def _pair_of(row: list[object]) -> frozenset[tuple[str, str]]:
    return evaluation.pair((str(row[0]), str(row[1])), (str(row[2]), str(row[3])))


def _blocking_recall(index: matching.MatchIndex, truth: frozenset[frozenset[tuple[str, str]]]) -> float:
    natural = {p.key: (p.record.source, p.record.folio) for p in index.records()}
    blocked = {evaluation.pair(natural[a], natural[b]) for a, b in index.blocked_pairs()}
    return len(blocked & truth) / len(truth) if truth else 1.0


def _dna_truth(directory: Path) -> dna_evaluation.DnaTruth:
    if not (directory / dna_evaluation.DNA_LINKS_FILE).exists():
        raise typer.BadParameter(
            i18n._("{directory} holds no DNA truth: write it with `registry seed --dna --truth`", directory=directory),
            param_hint="--truth",
        )
    return dna_evaluation.read_dna_truth(directory)


def _echo_dna(scores: dna_evaluation.DnaScores) -> None:
    _ = i18n._
    typer.echo(_("DNA identification (rank 1 and LR ≥ 10⁴) by the references the family gave:"))
    typer.echo(
        f"  {_('references'):<24} {_('remains'):>8} {_('identified'):>11} {_('rate'):>7} "
        f"{_('missing sibling ranked first'):>29}"
    )
    for row in scores.by_configuration:
        typer.echo(
            f"  {row.configuration.value:<24} {row.remains:>8} {row.identified:>11} {row.rate:>7.4f} "
            f"{row.sibling_first:>29}"
        )
    typer.echo(
        _(
            "false proposals at the proposal threshold (LR ≥ {threshold} for {candidates} missing persons with "
            "references): {false} in {comparisons} comparisons ({per_million} per 10⁶; bound {bound} per 10⁶), "
            "{siblings} of them a missing sibling of the true person; false candidates with LR ≥ 10⁴: {false_4}",
            threshold=f"{scores.threshold:.3g}",
            candidates=scores.candidates,
            false=scores.false_proposals,
            comparisons=scores.comparisons,
            per_million=f"{scores.false_per_million:.3f}",
            bound=f"{scores.expected_per_million:.3g}",
            siblings=scores.false_sibling_proposals,
            false_4=scores.false_at_identification,
        )
    )
