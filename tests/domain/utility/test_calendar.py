"""Business days: weekends and the holidays file; years the file does not cover are refused."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from clerk_tui.domain.errors import ValidationError
from clerk_tui.domain.utility import calendar
from clerk_tui.domain.utility.calendar import (
    add_business_days,
    business_days_between,
    is_business_day,
    next_business_day,
)

D = dt.date.fromisoformat


def test_weekends_and_holidays_are_not_business_days() -> None:
    assert is_business_day(D("2026-03-02"))  # Monday
    assert not is_business_day(D("2026-03-07"))  # Saturday
    assert not is_business_day(D("2026-03-08"))  # Sunday
    assert not is_business_day(D("2026-03-31"))  # Cesar Chavez Day (a Tuesday)
    assert not is_business_day(D("2026-07-03"))  # Independence Day observed (Friday)
    assert calendar.holidays().name(D("2026-11-27")) == "Day after Thanksgiving"


def test_add_business_days_skips_weekends() -> None:
    assert add_business_days(D("2026-03-02"), 7) == D("2026-03-11")  # Mon -> next Wed
    assert add_business_days(D("2026-03-06"), 1) == D("2026-03-09")  # Fri -> Mon
    assert add_business_days(D("2026-03-07"), 1) == D("2026-03-09")  # Sat -> Mon
    assert add_business_days(D("2026-03-02"), 0) == D("2026-03-02")


def test_add_business_days_skips_holidays() -> None:
    # Notice on Mon 23 Nov 2026: Thanksgiving (Thu 26) and the Friday after are closed.
    assert add_business_days(D("2026-11-23"), 7) == D("2026-12-04")
    # Notice on Fri 27 Mar 2026: Tue 31 Mar is Cesar Chavez Day.
    assert add_business_days(D("2026-03-27"), 7) == D("2026-04-08")
    # Across a year end: Christmas (Fri) and New Year's Day (Fri).
    assert add_business_days(D("2026-12-24"), 7) == D("2027-01-06")


def test_business_days_between_counts_after_start_through_end() -> None:
    sent = D("2026-11-23")
    assert business_days_between(sent, D("2026-12-03")) == 6
    assert business_days_between(sent, D("2026-12-04")) == 7
    assert business_days_between(sent, sent) == 0
    assert business_days_between(sent, D("2026-11-01")) == 0
    for n in range(0, 15):
        assert business_days_between(sent, add_business_days(sent, n)) == n


def test_next_business_day() -> None:
    assert next_business_day(D("2026-03-02")) == D("2026-03-02")
    assert next_business_day(D("2026-07-03")) == D("2026-07-06")  # holiday Fri -> Mon


def test_year_not_in_the_file_is_refused() -> None:
    with pytest.raises(ValidationError, match="no holidays for 2031"):
        add_business_days(D("2031-03-03"), 7)
    with pytest.raises(ValidationError, match="2028"):
        add_business_days(D("2027-12-29"), 7)


def test_holiday_file_must_list_its_years(tmp_path: Path) -> None:
    path = tmp_path / "h.toml"
    path.write_text('years = [2026]\n[[holiday]]\ndate = "2027-01-01"\nname = "x"\n')
    with pytest.raises(ValidationError, match="2027"):
        calendar.load_holidays(path)


def test_rule_set_is_chosen_by_date(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = tmp_path / "data" / "utility"
    data.mkdir(parents=True)
    (data / "collections.toml").write_text(
        '[[plans]]\neffective = "2020-01-01"\ngrace_days = 10\n'
        '[[plans]]\neffective = "2026-07-01"\ngrace_days = 15\n')
    monkeypatch.setenv("CLERK_TUI_DATA", str(tmp_path / "data"))
    calendar.reload()
    try:
        assert calendar.rule_set("plans", D("2026-06-30"))["grace_days"] == 10
        assert calendar.rule_set("plans", D("2026-07-01"))["grace_days"] == 15
        with pytest.raises(ValidationError, match="no \\[plans\\] rules"):
            calendar.rule_set("plans", D("2019-12-31"))
    finally:
        calendar.reload()
