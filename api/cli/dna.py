"""`registry dna import` and `registry dna search`: DNA samples in, kinship candidates out (docs/dna.md)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from api.cli.common import console, deferred, engine_for, fail, settings
from registry.actor import Actor

if TYPE_CHECKING:
    from api import readiness
    from matching.dna import frequencies
    from registry import db, policy
    from registry.services import audit, dna_families, dna_import, dna_results, dna_search, jurisdiction
else:  # imported when a command runs, not for --help (see api.cli.common)
    readiness = deferred("api.readiness")
    frequencies = deferred("matching.dna.frequencies")
    db = deferred("registry.db")
    policy = deferred("registry.policy")
    audit = deferred("registry.services.audit")
    dna_families = deferred("registry.services.dna_families")
    dna_import = deferred("registry.services.dna_import")
    dna_results = deferred("registry.services.dna_results")
    dna_search = deferred("registry.services.dna_search")
    jurisdiction = deferred("registry.services.jurisdiction")

app = typer.Typer(help="Import DNA samples and genotypes; search remains against the families who gave references.",
                  no_args_is_help=True, add_completion=False)  # fmt: skip
SEARCH_ACTOR = Actor(id="dna-search", role="system", jurisdiction=None, via="cli")


def _read(path: Path, file: dna_import.DnaFile) -> list[dna_import.DnaRow]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            return dna_import.read_rows(handle, file)
    except UnicodeDecodeError:
        raise fail(f"{path.name}: the file is not UTF-8", 2) from None
    except dna_import.DnaHeaderError as exc:
        raise fail(f"{path.name}: {exc.detail}", 2) from None


@app.command("import")
def import_dna(
    samples: Annotated[Path, typer.Argument(help="Samples CSV (shared/spec/dna.md)", exists=True, dir_okay=False)],
    genotypes: Annotated[Path, typer.Argument(help="Genotypes CSV", exists=True, dir_okay=False)],
    rejects: Annotated[
        Path | None, typer.Option(help="Write rejected rows here (file, line, column, value, error)")
    ] = None,
    user: Annotated[
        str | None, typer.Option("--user", help="Import as this account (a geneticist: samples of its registry)")
    ] = None,
    national: Annotated[
        bool, typer.Option(help="Import as the registry's operator, for every jurisdiction (audited as such)")
    ] = False,
) -> None:
    """Import SAMPLES and GENOTYPES: samples are created or updated by (lab, sample_id); invalid rows are listed."""
    if (user is None) == (not national):
        raise fail("say who imports: --user USERNAME (an account) or --national (the registry's operator)", 2)
    sample_rows = _read(samples, dna_import.DnaFile.samples)
    genotype_rows = _read(genotypes, dna_import.DnaFile.genotypes)
    with engine_for() as engine:
        readiness.check_ready(engine)
        factory = db.session_factory(engine)
        with db.transaction(factory) as session:
            if user is None:
                actor = Actor(id=f"dna-import:{samples.name[:80]}", role=jurisdiction.SYSTEM_ROLE, jurisdiction=None,
                              via="cli")  # fmt: skip
            else:
                actor = jurisdiction.account_actor(session, user, policy.Action.dna_submit)
            summary = dna_import.import_dna(session=session, samples=sample_rows, genotypes=genotype_rows, actor=actor)
    if rejects is not None:
        with rejects.open("w", newline="", encoding="utf-8") as handle:
            dna_import.write_rejects(handle, summary.rejects)
    typer.echo(
        f"samples: created {summary.created}, updated {summary.updated}, unchanged {summary.unchanged}, "
        f"rejected {summary.rejected}" + (f" ({summary.foreign} of another registry)" if summary.foreign else "")
    )
    typer.echo(f"genotypes: stored {summary.genotypes_stored}, rejected {summary.genotypes_rejected}")
    if summary.rejects and rejects is None:
        console.print("rows were rejected: pass --rejects FILE to see which and why")


@app.command("search")
def search(
    out: Annotated[Path, typer.Option(help="Write the candidates here (CSV, shared/spec/dna.md)", dir_okay=False)],
    min_log10_lr: Annotated[float, typer.Option(help="Lowest log10 likelihood ratio written")] = 0.0,
    top: Annotated[int, typer.Option(min=1, max=1000, help="Candidates per remains sample")] = 10,
    table: Annotated[
        str | None, typer.Option(help="Frequency table (default: the setting REGISTRY_DNA_FREQUENCY_TABLE)")
    ] = None,
    store: Annotated[
        bool, typer.Option(help="Keep the results with the candidate pairs (strong DNA evidence is queued first)")
    ] = True,
) -> None:
    """For each remains sample, its candidate missing persons ranked by the LR of all their references together."""
    kinship = dna_families.kinship_settings(settings(), table)
    try:
        frequencies.frequency_table(kinship.table)
    except KeyError as exc:
        raise fail(str(exc.args[0]), 2) from None
    with engine_for() as engine:
        readiness.check_ready(engine)
        factory = db.session_factory(engine)
        with console.status("building the family index"), db.transaction(factory) as session:
            built = dna_families.build_index(session, kinship)
        with console.status("searching"), db.transaction(factory) as session:
            result = dna_search.search(session, built, top=top, min_log10_lr=min_log10_lr)
            with out.open("w", newline="", encoding="utf-8") as handle:
                written = dna_results.write_search(session, handle, result)
            stored = (
                dna_results.store_on_pairs(session, result, review_threshold=settings().review_threshold)
                if store
                else None
            )
            audit.record(session, actor=SEARCH_ACTOR, action="dna.search",
                         detail={"remains": result.remains_searched, "families": len(built.families), "rows": written,
                                 "table": kinship.table.replace(" ", "_")})  # fmt: skip
    typer.echo(
        f"{result.remains_searched} remains samples against {len(built.families)} families "
        f"({kinship.table}, θ = {kinship.theta}): {written} candidates written to {out}"
    )
    if stored is not None:
        typer.echo(f"review: {stored.updated} pairs carry a DNA result, {stored.strong} of them queued first")
