"""`registry dedupe`, `link` and `evaluate` write and score exactly the interchange format's match outputs."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from api.cli.main import app
from registry.settings import get_settings
from seed.config import SeedConfig
from seed.files import write_truth
from seed.loader import load

CONFIG = SeedConfig(reports=400, remains=100, seed=3)


@pytest.fixture
def seeded(sessions: sessionmaker[Session], database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    load(sessions=sessions, config=CONFIG, batch_size=200)
    monkeypatch.setenv("REGISTRY_DATABASE_URL", database_url)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def _rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def test_dedupe_writes_each_unordered_pair_once(seeded: None, tmp_path: Path) -> None:
    out = tmp_path / "pairs.csv"
    result = CliRunner().invoke(app, ["dedupe", "--out", str(out), "--min-score", "0.5"])
    assert result.exit_code == 0, result.output
    header, rows = _rows(out)
    assert header[:5] == ["left_source", "left_folio", "right_source", "right_folio", "score"]
    assert rows
    pairs = [frozenset({(r["left_source"], r["left_folio"]), (r["right_source"], r["right_folio"])}) for r in rows]
    assert len(pairs) == len(set(pairs))
    assert all(len(p) == 2 for p in pairs)
    assert all(0.5 <= float(r["score"]) <= 1 for r in rows)


def test_link_ranks_at_most_k_reports_per_remains(seeded: None, tmp_path: Path) -> None:
    out = tmp_path / "links.csv"
    result = CliRunner().invoke(app, ["link", "--out", str(out), "--top", "3", "--min-score", "0"])
    assert result.exit_code == 0, result.output
    header, rows = _rows(out)
    assert header[:6] == ["remains_source", "remains_folio", "missing_source", "missing_folio", "score", "rank"]
    by_remains: dict[tuple[str, str], list[dict[str, str]]] = {}
    for row in rows:
        by_remains.setdefault((row["remains_source"], row["remains_folio"]), []).append(row)
    assert by_remains
    for ranked in by_remains.values():
        assert [int(r["rank"]) for r in ranked] == list(range(1, len(ranked) + 1))
        assert len(ranked) <= 3
        scores = [float(r["score"]) for r in ranked]
        assert scores == sorted(scores, reverse=True)


def test_evaluate_scores_against_the_ground_truth(seeded: None, tmp_path: Path) -> None:
    write_truth(CONFIG, tmp_path / "truth")
    result = CliRunner().invoke(app, ["evaluate", "--truth", str(tmp_path / "truth")])
    assert result.exit_code == 0, result.output
    for words in ("precision", "recall", "F1", "recall@10", "blocking recall"):
        assert words in result.output


def test_link_writes_the_top_candidates_of_every_remains_without_a_floor(seeded: None, tmp_path: Path) -> None:
    """`registry link` defaults to no score floor: `--top 3` gives three candidates whatever their score."""
    out = tmp_path / "links.csv"
    result = CliRunner().invoke(app, ["link", "--out", str(out), "--top", "3"])
    assert result.exit_code == 0, result.output
    _, rows = _rows(out)
    by_remains: dict[tuple[str, str], int] = {}
    for row in rows:
        key = (row["remains_source"], row["remains_folio"])
        by_remains[key] = by_remains.get(key, 0) + 1
    assert any(float(r["score"]) < get_settings().review_threshold for r in rows)
    assert sum(n == 3 for n in by_remains.values()) > len(by_remains) // 2


def test_link_help_says_there_is_no_floor_by_default() -> None:
    result = CliRunner().invoke(app, ["link", "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "no floor" in result.output
