"""Issue #12: a state's small first file (200 reports, all last seen the same day in one municipality)
goes through `registry import`, its scoring into the review queue, `registry review rematch` and
`registry dedupe` without a traceback. The stored parameter set is the built-in dedupe model and
says why; the reason is logged with counts only.
"""

from __future__ import annotations

import csv
import io
import random
from datetime import date, timedelta
from pathlib import Path
from typing import Protocol

from sqlalchemy import Engine
from typer.testing import CliRunner

from api.cli.main import app as cli
from matching import default_parameters
from registry.db import session_factory
from registry.services.matching import current_parameters

# Names the personal-data scan does not know, so that a leak of them would have to be searched for here.
GIVEN = ["Itzel", "Citlali", "Tonatiuh", "Xiadani", "Nayeli", "Yaretzi", "Cuauhtémoc", "Tenoch"]
SURNAMES = ["Ixtlahuac", "Zacarías", "Tlapale", "Mixcóatl", "Quetzal", "Ahuatl"]
HEADER = [
    "source", "folio", "given_names", "first_surname", "second_surname", "sex", "date_of_birth",
    "last_seen_date", "last_seen_state", "last_seen_municipality", "height_cm",
]  # fmt: skip


def one_day_one_place(rows: int) -> str:
    """A 200-report file of the kind in the issue: everyone last seen 2021-03-02 in Zapopan, Jalisco."""
    rng = random.Random(12)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    for i in range(rows):
        born = date(1970, 1, 1) + timedelta(days=rng.randrange(40 * 365))
        writer.writerow([
            "JAL", f"JAL-2021-{i:05d}", rng.choice(GIVEN), rng.choice(SURNAMES), rng.choice(SURNAMES),
            rng.choice(["female", "male"]), born.isoformat(), "2021-03-02", "JAL", "Zapopan", rng.randrange(145, 190),
        ])  # fmt: skip
    return out.getvalue()


class LogTexts(Protocol):
    """What the suite's `captured_logs` fixture gives: the test's application log lines."""

    def texts(self) -> list[str]: ...


def test_importing_200_reports_of_one_day_and_place_stores_the_built_in_model_and_says_why(
    registry_cli: CliRunner, engine: Engine, tmp_path: Path, captured_logs: LogTexts
) -> None:
    source = tmp_path / "jalisco-first-file.csv"
    source.write_text(one_day_one_place(200), encoding="utf-8")

    imported = registry_cli.invoke(cli, ["import", str(source), "--kind", "missing", "--national"])

    assert imported.exit_code == 0, imported.output
    assert "created 200, updated 0, unchanged 0, rejected 0" in imported.stdout
    assert "review queue:" in imported.stdout
    assert "use built-in matching parameters" in " ".join(imported.output.split())  # the operator is told
    with session_factory(engine)() as session:
        stored = current_parameters(session)
    assert stored.version is not None
    reason = stored.parameters.fallback_reason
    assert reason is not None
    assert "built-in parameters used" in reason
    assert "200 reports" in reason
    assert stored.parameters.dedupe.prior == default_parameters().dedupe.prior
    warnings = [t for t in captured_logs.texts() if "built-in parameters used" in t]
    assert len(warnings) == 1
    assert f"version {stored.version}" in warnings[0]

    rematched = registry_cli.invoke(cli, ["review", "rematch"])
    assert rematched.exit_code == 0, rematched.output
    assert f"parameters version {stored.version}" in rematched.stdout

    out = tmp_path / "pairs.csv"
    deduped = registry_cli.invoke(cli, ["dedupe", "--out", str(out)])
    assert deduped.exit_code == 0, deduped.output
    assert f"(parameters version {stored.version})" in deduped.stdout  # the same set: found, not stored again
