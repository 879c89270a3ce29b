"""`registry evaluate --dna-candidates`: DNA identification by reference configuration, false proposals."""

from __future__ import annotations

import csv
import math
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from api.cli.main import app
from matching.dna.decisions import proposal_threshold
from seed.dna_evaluation import (
    DnaCandidate,
    DnaTruth,
    ReferenceConfiguration,
    configuration_of,
    read_dna_search,
    read_dna_truth,
    score_dna,
)

C = ReferenceConfiguration
SEARCH_HEADER = [
    "remains_source", "remains_folio", "missing_source", "missing_folio", "log10_lr", "posterior", "rank",
    "references", "loci_compared",
]  # fmt: skip


@pytest.mark.parametrize(
    ("references", "configuration"),
    [
        ("direct", C.DIRECT),
        ("mother+direct", C.DIRECT),
        ("father+mother", C.BOTH_PARENTS),
        ("father+mother+full_sibling", C.BOTH_PARENTS),
        ("mother+full_sibling", C.PARENT_AND_SIBLING),
        ("father+full_sibling+full_sibling", C.PARENT_AND_SIBLING),
        ("mother", C.ONE_PARENT),
        ("father", C.ONE_PARENT),
        ("full_sibling+full_sibling", C.TWO_SIBLINGS),
        ("full_sibling", C.ONE_SIBLING),
        ("child+child_other_parent", C.CHILD_AND_OTHER_PARENT),
        ("child", C.CHILD_AND_OTHER_PARENT),
        ("grandparent", C.DISTANT_ONLY),
        ("aunt_uncle+cousin", C.DISTANT_ONLY),
        ("half_sibling_paternal", C.OTHER),
        ("mother+grandparent", C.OTHER),
    ],
)
def test_references_are_grouped_into_the_evaluation_rows(
    references: str, configuration: ReferenceConfiguration
) -> None:
    assert configuration_of(references) is configuration


RELATIONSHIPS = ["father", "mother", "full_sibling", "child", "child_other_parent", "grandparent", "cousin", "direct"]


@given(st.lists(st.sampled_from(RELATIONSHIPS), min_size=1, max_size=5))
def test_the_configuration_does_not_depend_on_the_order_references_are_named(parts: list[str]) -> None:
    assert configuration_of("+".join(parts)) is configuration_of("+".join(reversed(parts)))


def _truth() -> DnaTruth:
    return DnaTruth(
        links={
            ("JAL", "R1"): (("JAL", "M1"), "father+mother"),
            ("JAL", "R2"): (("JAL", "M2"), "father+mother"),
            ("JAL", "R3"): (("SON", "M3"), "mother"),
            ("JAL", "R4"): (("SON", "M4"), "full_sibling"),
            ("JAL", "R5"): (("CHH", "M5"), "mother"),  # a missing brother of M6: same family
        },
        candidates={
            ("JAL", "M1"): ("father+mother", "1"),
            ("JAL", "M2"): ("father+mother", "2"),
            ("SON", "M3"): ("mother", "3"),
            ("SON", "M4"): ("full_sibling", "4"),
            ("CHH", "M5"): ("mother", "5"),
            ("CHH", "M6"): ("mother", "5"),
        },
    )


def test_an_identification_is_the_true_person_first_with_an_lr_of_ten_thousand_at_least() -> None:
    search = {
        ("JAL", "R1"): [DnaCandidate(("JAL", "M1"), 9.2, 1), DnaCandidate(("SON", "M3"), 1.0, 2)],
        ("JAL", "R2"): [DnaCandidate(("JAL", "M2"), 3.9, 1)],  # first, but weaker than 10⁴
        ("JAL", "R3"): [DnaCandidate(("SON", "M4"), 4.5, 1), DnaCandidate(("SON", "M3"), 4.4, 2)],
        ("JAL", "R5"): [DnaCandidate(("CHH", "M6"), 6.0, 1), DnaCandidate(("CHH", "M5"), 6.0, 2)],
        # R4 was not searched (no candidate at all): a miss.
        ("JAL", "R9"): [DnaCandidate(("JAL", "M1"), 7.5, 1)],  # remains of someone nobody searches for
    }
    scores = score_dna(search, _truth())
    rows = {row.configuration: row for row in scores.by_configuration}
    assert (rows[C.BOTH_PARENTS].remains, rows[C.BOTH_PARENTS].identified) == (2, 1)
    assert rows[C.BOTH_PARENTS].rate == 0.5
    assert (rows[C.ONE_PARENT].remains, rows[C.ONE_PARENT].identified, rows[C.ONE_PARENT].sibling_first) == (2, 0, 1)
    assert (rows[C.ONE_SIBLING].remains, rows[C.ONE_SIBLING].identified) == (1, 0)
    assert C.DIRECT not in rows, "configurations without remains are left out"
    assert scores.candidates == 6
    assert scores.remains_searched == 5
    assert scores.comparisons == 30
    # At 10⁴: R3 → M4 (4.5), R5 → M6 (6.0), R9 → M1 (7.5). The threshold for 6 candidates is 10⁴.
    assert scores.threshold == proposal_threshold(6) == 1e4
    assert scores.false_at_identification == 3
    assert scores.false_proposals == 3
    assert scores.false_sibling_proposals == 1
    assert math.isclose(scores.false_per_million, 3 / 30 * 1e6)


def test_a_search_naming_the_person_by_another_of_their_reports_is_right() -> None:
    search = {("JAL", "R1"): [DnaCandidate(("FED", "M1-bis"), 8.0, 1)]}
    without = score_dna(search, _truth())
    with_reports = score_dna(search, _truth(), {("JAL", "R1"): frozenset({("JAL", "M1"), ("FED", "M1-bis")})})
    assert next(r for r in without.by_configuration if r.configuration is C.BOTH_PARENTS).identified == 0
    assert next(r for r in with_reports.by_configuration if r.configuration is C.BOTH_PARENTS).identified == 1
    assert without.false_proposals == 1
    assert with_reports.false_proposals == 0


def test_the_proposal_threshold_grows_with_the_number_of_candidates() -> None:
    truth = _truth()
    many = DnaTruth(truth.links, {**truth.candidates, **{("X", f"M{i}"): ("mother", f"x{i}") for i in range(30_000)}})
    search = {("JAL", "R3"): [DnaCandidate(("SON", "M4"), 6.0, 1)]}
    assert score_dna(search, truth).false_proposals == 1
    assert score_dna(search, many).threshold == proposal_threshold(30_006)
    assert score_dna(search, many).false_proposals == 0, "10⁶ is below the threshold for 30,006 candidates"
    assert score_dna(search, many).false_at_identification == 1


def _write(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


def _write_truth(directory: Path) -> None:
    directory.mkdir()
    _write(directory / "duplicates.csv", ["left_source", "left_folio", "right_source", "right_folio"], [])
    _write(
        directory / "links.csv",
        ["remains_source", "remains_folio", "missing_source", "missing_folio"],
        [["JAL", "R1", "JAL", "M1"], ["JAL", "R2", "JAL", "M2"]],
    )
    _write(
        directory / "dna_links.csv",
        ["remains_source", "remains_folio", "missing_source", "missing_folio", "references"],
        [["JAL", "R1", "JAL", "M1", "mother"], ["JAL", "R2", "JAL", "M2", "father+mother"]],
    )
    _write(
        directory / "dna_references.csv",
        ["missing_source", "missing_folio", "references", "family"],
        [["JAL", "M1", "mother", "1"], ["JAL", "M2", "father+mother", "2"]],
    )


def _write_search(path: Path) -> None:
    _write(
        path,
        SEARCH_HEADER,
        [
            ["JAL", "R1", "JAL", "M1", "5.5", "0.99", "1", "mother", "15"],
            ["JAL", "R1", "JAL", "M2", "0.5", "0.01", "2", "father+mother", "15"],
            ["JAL", "R2", "JAL", "M1", "4.2", "0.9", "1", "mother", "21"],
        ],
    )


def test_files_are_read_in_the_specified_shapes(tmp_path: Path) -> None:
    _write_truth(tmp_path / "truth")
    _write_search(tmp_path / "search.csv")
    truth = read_dna_truth(tmp_path / "truth")
    assert truth.links[("JAL", "R2")] == (("JAL", "M2"), "father+mother")
    assert truth.candidates[("JAL", "M1")] == ("mother", "1")
    search = read_dna_search(tmp_path / "search.csv")
    assert [c.rank for c in search[("JAL", "R1")]] == [1, 2]
    assert search[("JAL", "R2")][0] == DnaCandidate(("JAL", "M1"), 4.2, 1)


def test_evaluate_prints_dna_identification_by_configuration(tmp_path: Path) -> None:
    _write_truth(tmp_path / "truth")
    _write_search(tmp_path / "search.csv")
    result = CliRunner().invoke(
        app, ["evaluate", "--truth", str(tmp_path / "truth"), "--dna-candidates", str(tmp_path / "search.csv")]
    )
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    one_parent = next(line for line in lines if line.strip().startswith("one_parent"))
    both = next(line for line in lines if line.strip().startswith("both_parents"))
    assert one_parent.split()[1:4] == ["1", "1", "1.0000"]
    assert both.split()[1:4] == ["1", "0", "0.0000"]
    assert "1 in 4 comparisons" in result.output  # R2 → M1 at 10^4.2: the threshold for 2 candidates is 10^4


def test_evaluate_without_a_dna_truth_says_how_to_write_one(tmp_path: Path) -> None:
    _write_truth(tmp_path / "truth")
    (tmp_path / "truth" / "dna_links.csv").unlink()
    _write_search(tmp_path / "search.csv")
    result = CliRunner().invoke(
        app, ["evaluate", "--truth", str(tmp_path / "truth"), "--dna-candidates", str(tmp_path / "search.csv")]
    )
    assert result.exit_code == 2
    assert "--dna" in result.output
    assert "--truth" in result.output
