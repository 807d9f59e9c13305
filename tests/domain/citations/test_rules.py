"""The rules files: effective-dated rows picked by date, and a bad row refuses the file with
the file and row named (never a silent skip)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from clerk_tui.domain.citations.rules import citation_rules, load
from clerk_tui.domain.errors import NotFound, ValidationError
from clerk_tui.paths import reference_data_dir

DATA = reference_data_dir() / "citations"


def test_fine_by_issue_date() -> None:
    r = citation_rules()
    assert r.violation("mc10.12.040", dt.date(2026, 6, 30)).fine_cents == 4000
    assert r.violation("MC10.12.040", dt.date(2026, 7, 1)).fine_cents == 4500
    with pytest.raises(NotFound, match="no fine before"):
        r.violation("MC10.12.040", dt.date(2024, 6, 30))
    with pytest.raises(NotFound, match="No violation code"):
        r.violation("NOPE", dt.date(2026, 7, 1))


def test_every_number_names_its_source() -> None:
    r = citation_rules()
    assert all(v.source for v in r.violations) and all(p.source for p in r.penalties)
    assert all(x.source for x in (*r.deadlines_rows, *r.fees_rows, *r.plan_rows))


@pytest.mark.parametrize("old,new,message", [
    ('fine = "60.00"', 'fine = "sixty"', "violation #1"),
    ('fine = "60.00"', 'fine = "0.00"', "a fine over \\$0"),
    ('code = "22514"', 'code = "22500(E)"', "two fines from"),
])
def test_a_bad_violation_row_refuses_the_file(tmp_path: Path, old: str, new: str,
                                              message: str) -> None:
    bad = tmp_path / "violations.toml"
    bad.write_text((DATA / "violations.toml").read_text().replace(old, new, 1))
    with pytest.raises(ValidationError, match=message):
        load(violations_path=bad)


@pytest.mark.parametrize("old,new,message", [
    ('processing_fee = "5.00"', 'processing_fee = "6.00"', "over processing_fee_cap"),
    ("notice_after_days = 21", "notice_after_days = 0", "notice_after_days"),
    ('after = "issue"', 'after = "payday"', "penalty #1"),
])
def test_a_bad_rules_row_refuses_the_file(tmp_path: Path, old: str, new: str,
                                          message: str) -> None:
    bad = tmp_path / "rules.toml"
    bad.write_text((DATA / "rules.toml").read_text().replace(old, new, 1))
    with pytest.raises(ValidationError, match=message):
        load(rules_path=bad)
