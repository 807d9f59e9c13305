"""The license tax as the ordinance computes it: every base, the out-of-town multiplier, the
minimum, new-business proration, the CASp split and the BID formula (pure functions)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from clerk_tui.domain.errors import ValidationError
from clerk_tui.domain.licenses import tax
from clerk_tui.domain.licenses.rules import license_rules, load_license_rules

ON = dt.date(2026, 3, 2)
R = license_rules()
G = R.general_on(ON)


def cls(code: str):
    return R.class_on(code, ON)


def test_flat_tax() -> None:
    assert tax.annual_tax(cls("238"), G, location="in_city") == 15000


def test_per_employee_tax() -> None:
    # $100 base + $25 per employee
    assert tax.annual_tax(cls("541"), G, location="in_city", employees=0) == 10000
    assert tax.annual_tax(cls("541"), G, location="in_city", employees=7) == 27500


@pytest.mark.parametrize(("receipts", "expected"), [
    (0, 15000),                       # first bracket
    (100_000_00, 15000),              # exactly the top of the first bracket
    (100_000_01, 40000),              # one cent more: the next
    (2_000_000_00, 120000),           # exactly the top bracket
    (2_000_000_01, 120075),           # a cent over: one $1,000 (or part) at $0.75
    (2_001_000_00, 120075),           # exactly $1,000 over
    (2_001_000_01, 120150),           # part of a second $1,000
    (3_000_000_00, 120000 + 1000 * 75),
])
def test_gross_receipts_brackets_and_rate_above_top(receipts: int, expected: int) -> None:
    assert tax.annual_tax(cls("722"), G, location="in_city",
                          gross_receipts_cents=receipts) == expected


def test_out_of_town_multiplier() -> None:
    assert tax.annual_tax(cls("238"), G, location="out_of_town") == 22500  # 150%
    assert tax.annual_tax(cls("541"), G, location="out_of_town", employees=1) == 18750


def test_minimum_tax_after_proration() -> None:
    # $60 flat, a new business starting in Q4 pays 25% = $15, raised to the $50 minimum
    assert tax.term_tax(cls("453"), G, location="home", year=2026, start=dt.date(2026, 11, 3),
                        new_business=True) == 5000


@pytest.mark.parametrize(("month", "expected"), [
    (1, 15000), (3, 15000), (4, 11250), (6, 11250), (7, 7500), (9, 7500), (10, 5000),
    (12, 5000)])
def test_new_business_proration_by_quarter(month: int, expected: int) -> None:
    assert tax.term_tax(cls("238"), G, location="in_city", year=2026,
                        start=dt.date(2026, month, 15), new_business=True) == expected


def test_no_proration_for_renewal_or_earlier_start() -> None:
    c = cls("238")
    assert tax.term_tax(c, G, location="in_city", year=2026, start=dt.date(2026, 10, 1),
                        new_business=False) == 15000
    assert tax.term_tax(c, G, location="in_city", year=2026, start=dt.date(2025, 10, 1),
                        new_business=True) == 15000


def test_monthly_proration_rule() -> None:
    g = replace(G, proration="month")
    assert tax.term_tax(cls("238"), g, location="in_city", year=2026, start=dt.date(2026, 12, 1),
                        new_business=True) == 5000  # 1/12 of $150 = $12.50 -> minimum $50
    assert tax.term_tax(cls("722"), g, location="in_city", year=2026, start=dt.date(2026, 5, 9),
                        new_business=True, gross_receipts_cents=3_000_000_00) == 130000


def test_missing_or_bad_facts_are_refused() -> None:
    with pytest.raises(ValidationError, match="gross receipts"):
        tax.annual_tax(cls("722"), G, location="in_city")
    with pytest.raises(ValidationError, match="employees"):
        tax.annual_tax(cls("541"), G, location="in_city")
    with pytest.raises(ValidationError, match="Employees must be"):
        tax.annual_tax(cls("541"), G, location="in_city", employees=-1)
    with pytest.raises(ValidationError, match="Gross receipts"):
        tax.annual_tax(cls("722"), G, location="in_city", gross_receipts_cents=-5)


def test_casp_fee_split_city_90_state_10() -> None:
    split = tax.casp_split(G)
    assert (split.city_cents, split.state_cents, split.total_cents) == (360, 40, 400)
    odd = tax.casp_split(replace(G, casp_fee_cents=401, casp_city_percent=70))
    assert odd.city_cents + odd.state_cents == 401  # never a cent lost to rounding


def test_bid_zone_and_formula() -> None:
    zones = R.zones_on(ON)
    z = tax.bid_zone_for("120 Main St", zones)
    assert z is not None and z.code == "DTN"
    assert tax.bid_zone_for("120 main st.", zones) is z
    assert tax.bid_zone_for("950 Main St", zones) is None      # past the range
    assert tax.bid_zone_for("120 Elm St", zones) is None
    assert tax.bid_zone_for("no number", zones) is None
    assert tax.bid_assessment(z, 15000) == 7500                # 50% of the tax
    assert tax.bid_assessment(z, 5000) == 5000                 # the $50 minimum
    assert tax.bid_assessment(z, 400000) == 50000              # the $500 maximum


def test_a_bad_rules_file_is_refused_with_where(tmp_path) -> None:
    import shutil

    from clerk_tui.paths import reference_data_dir

    shutil.copytree(reference_data_dir() / "licenses", tmp_path / "licenses")
    path = tmp_path / "licenses" / "tax.toml"
    path.write_text(path.read_text().replace('base = "flat"', 'base = "vibes"', 1))
    with pytest.raises(ValidationError, match=r"class #1: base must be"):
        load_license_rules(tmp_path / "licenses")
