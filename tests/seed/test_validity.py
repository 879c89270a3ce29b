"""Every generated value follows the interchange rules; CURPs are valid unless mistyped on purpose."""

from __future__ import annotations

import json

from matching.curp import is_valid
from seed.columns import REMAINS_COLUMNS, REMAINS_EXTRA_COLUMNS, REPORT_COLUMNS, REPORT_EXTRA_COLUMNS
from seed.generator import RemainsRecord
from seed.reports import ReportRecord
from seed.validation import remains_problems, report_problems
from tests.seed.conftest import Sample

_KINDS = {"tattoo", "scar", "mole", "amputation", "implant", "other"}
_SIDES = {"left", "right", "centre", ""}


def test_report_rows_have_exactly_the_interchange_columns_and_extras(sample: Sample) -> None:
    expected = set(REPORT_COLUMNS) | set(REPORT_EXTRA_COLUMNS)
    for record in sample.reports:
        assert set(record.row) == expected
        assert all(isinstance(v, str) for v in record.row.values())


def test_remains_rows_have_exactly_the_interchange_columns_and_extras(sample: Sample) -> None:
    expected = set(REMAINS_COLUMNS) | set(REMAINS_EXTRA_COLUMNS)
    for record in sample.remains:
        assert set(record.row) == expected


def test_every_report_follows_the_interchange_rules(sample: Sample) -> None:
    problems = {r.row["folio"]: p for r in sample.reports if (p := report_problems(r.row, sample.config.today))}
    assert problems == {}


def test_every_remains_record_follows_the_interchange_rules(sample: Sample) -> None:
    problems = {r.row["folio"]: p for r in sample.remains if (p := remains_problems(r.row, sample.config.today))}
    assert problems == {}


def test_keys_are_unique_per_record_type(sample: Sample) -> None:
    report_keys = [(r.row["source"], r.row["folio"]) for r in sample.reports]
    remains_keys = [(r.row["source"], r.row["folio"]) for r in sample.remains]
    assert len(set(report_keys)) == len(report_keys) == sample.config.reports
    assert len(set(remains_keys)) == len(remains_keys) == sample.config.remains_count


def test_true_curps_are_valid(sample: Sample) -> None:
    curps = [p.curp for p in sample.persons.values() if p.curp]
    assert len(curps) > 0.8 * len(sample.persons)
    assert all(is_valid(c) for c in curps)


def test_reported_curps_are_valid_unless_mistyped(sample: Sample) -> None:
    written = [r for r in sample.reports if r.row["curp"]]
    mistyped = [r for r in written if "curp_mistyped" in r.applied]
    assert all(is_valid(r.row["curp"]) for r in written if r not in mistyped)
    assert mistyped, "the sample should hold some mistyped CURPs"
    assert sum(not is_valid(r.row["curp"]) for r in mistyped) > 0.7 * len(mistyped)


def test_structured_marks_match_the_text(sample: Sample) -> None:
    records: list[ReportRecord | RemainsRecord] = [*sample.reports, *sample.remains]
    for record in records:
        text, structured = record.row["distinguishing_marks"], record.row["marks_structured"]
        if not structured:
            assert text == ""
            continue
        marks = json.loads(structured)
        assert [m["description"] for m in marks] == text.split(";")
        assert all(m["kind"] in _KINDS and m["side"] in _SIDES and m["body_part"] for m in marks)


def test_no_placeholders_anywhere(sample: Sample) -> None:
    bad = {"N/A", "NA", "SIN DATO", "NULL", "NONE", "-", "?"}
    ages = {"age_years", "age_min", "age_max"}  # 0 is a real age (a baby), never a stand-in for unknown
    records: list[ReportRecord | RemainsRecord] = [*sample.reports, *sample.remains]
    for record in records:
        for column, value in record.row.items():
            assert value.upper() not in bad, (column, value)
            assert value != "0" or column in ages, (column, value)
