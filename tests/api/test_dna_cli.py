"""`registry dna import` and `registry dna search` on files, as a laboratory and an operator run them."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from api.cli.main import app as cli
from matching.dna.simulate import Configuration
from registry.models import CandidatePair, Role, User
from tests.dna_builders import GENOTYPES_HEADER, SAMPLES_HEADER, DnaCase, family_case

SPEC_COLUMNS = ["remains_source", "remains_folio", "missing_source", "missing_folio", "log10_lr", "posterior", "rank",
                "references", "loci_compared"]  # fmt: skip


def _write(path: Path, header: list[str], rows: list[dict[str, str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=header)
        writer.writeheader()
        writer.writerows(rows)
    return path


def _files(tmp_path: Path, cases: list[DnaCase]) -> tuple[Path, Path]:
    samples = [row for case in cases for row in case.samples]
    genotypes = [row for case in cases for row in case.genotypes]
    return (_write(tmp_path / "samples.csv", SAMPLES_HEADER, samples),
            _write(tmp_path / "genotypes.csv", GENOTYPES_HEADER, genotypes))  # fmt: skip


def test_import_then_search_ranks_the_true_family_first(
    registry_cli: CliRunner, sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    cases = [
        family_case(sessions, seed=11, configuration=Configuration.BOTH_PARENTS),
        family_case(sessions, seed=12, configuration=Configuration.PARENT_AND_SIBLING),
        family_case(sessions, seed=13, configuration=Configuration.ONE_PARENT, true_remains=False),
    ]
    samples, genotypes = _files(tmp_path, cases)
    result = registry_cli.invoke(cli, ["dna", "import", str(samples), str(genotypes), "--national"])
    assert result.exit_code == 0, result.output
    assert "created 8" in result.output
    again = registry_cli.invoke(cli, ["dna", "import", str(samples), str(genotypes), "--national"])
    assert "unchanged 8" in again.output

    out = tmp_path / "candidates.csv"
    result = registry_cli.invoke(cli, ["dna", "search", "--out", str(out), "--top", "3"])
    assert result.exit_code == 0, result.output
    with out.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0])[: len(SPEC_COLUMNS)] == SPEC_COLUMNS
    best = {row["remains_folio"]: row for row in rows if row["rank"] == "1"}
    for seed in (11, 12):
        row = best[f"SEMEFO-JAL-{seed}"]
        assert row["missing_folio"] == f"JAL-DNA-{seed}"
        assert float(row["log10_lr"]) > 4
        assert float(row["posterior"]) > 0.99
        assert row["decision"] in {"undisputed", "proposed"}
    assert best["SEMEFO-JAL-11"]["references"] == "father+mother"
    assert int(best["SEMEFO-JAL-11"]["loci_compared"]) >= 20
    # Unrelated remains: nobody proposed.
    assert all(r["decision"] not in {"undisputed", "proposed"} for r in rows if r["remains_folio"] == "SEMEFO-JAL-13")
    with sessions() as session:
        strong = session.scalars(select(CandidatePair).where(CandidatePair.dna_strong.is_(True))).all()
        assert {p.left_folio for p in strong} == {"SEMEFO-JAL-11", "SEMEFO-JAL-12"}
        assert all(p.active and p.dna and "genotype" not in str(p.dna) for p in strong)


def test_rejects_file_names_line_column_and_value(
    registry_cli: CliRunner, sessions: sessionmaker[Session], make_user: Callable[..., User], tmp_path: Path
) -> None:
    own = family_case(sessions, seed=21, source="JAL")
    foreign = family_case(sessions, seed=22, source="SIN")
    own.genotypes[0]["allele_1"] = "nine"
    samples, genotypes = _files(tmp_path, [own, foreign])
    geneticist = make_user(Role.geneticist, "JAL")
    rejects = tmp_path / "rejects.csv"
    result = registry_cli.invoke(cli, ["dna", "import", str(samples), str(genotypes), "--user", geneticist.username,
                                       "--rejects", str(rejects)])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "of another registry" in result.output
    with rejects.open(encoding="utf-8") as handle:
        found = list(csv.DictReader(handle))
    assert {"file": "genotypes", "line": "2", "column": "allele_1", "value": "nine"} in [
        {key: r[key] for key in ("file", "line", "column", "value")} for r in found
    ]
    assert {r["column"] for r in found if r["file"] == "samples"} == {"record_source"}


def test_an_unknown_column_stops_the_import_naming_it(registry_cli: CliRunner, tmp_path: Path) -> None:
    samples = _write(tmp_path / "s.csv", [*SAMPLES_HEADER, "colour"], [])
    genotypes = _write(tmp_path / "g.csv", GENOTYPES_HEADER, [])
    result = registry_cli.invoke(cli, ["dna", "import", str(samples), str(genotypes), "--national"])
    assert result.exit_code == 2
    assert "colour" in result.output


def test_search_names_the_table_it_used_and_refuses_an_unknown_one(
    registry_cli: CliRunner, sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    samples, genotypes = _files(tmp_path, [family_case(sessions, seed=14)])
    registry_cli.invoke(cli, ["dna", "import", str(samples), str(genotypes), "--national"])
    out = tmp_path / "candidates.csv"
    result = registry_cli.invoke(cli, ["dna", "search", "--out", str(out), "--table", "US Hispanic", "--no-store"])
    assert result.exit_code == 0, result.output
    with out.open(encoding="utf-8") as handle:
        assert {row["frequency_table"] for row in csv.DictReader(handle)} == {"US Hispanic"}
    refused = registry_cli.invoke(cli, ["dna", "search", "--out", str(out), "--table", "Mars"])
    assert refused.exit_code == 2
    assert "SW Hispanic" in refused.output
