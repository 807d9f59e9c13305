"""Rate tables: tier edges, sewer cap, refuse by class, effective dates, discounts."""

from __future__ import annotations

import pytest

from clerk_tui.domain.errors import ValidationError
from clerk_tui.domain.utility import rates

OLD, NEW = "2026-06-30", "2027-01-01"  # the 2027 row takes effect on its date


@pytest.mark.parametrize("hcf,expected", [
    (0, 2450), (1, 2450 + 412), (10, 2450 + 10 * 412), (11, 2450 + 10 * 412 + 503),
    (25, 2450 + 10 * 412 + 15 * 503), (26, 2450 + 10 * 412 + 15 * 503 + 611),
    (40, 2450 + 10 * 412 + 15 * 503 + 15 * 611)])
def test_water_tiers_at_their_edges(hcf, expected):
    assert rates.water_charge(hcf, '5/8"', OLD) == expected


def test_rate_change_applies_from_its_effective_date():
    assert rates.water_charge(12, '5/8"', "2026-12-31") == 2450 + 10 * 412 + 2 * 503
    assert rates.water_charge(12, '5/8"', NEW) == 2575 + 10 * 433 + 2 * 528
    assert rates.water_rate(NEW).effective.isoformat() == NEW
    with pytest.raises(ValidationError, match="No water rate in effect on 2019-12-31"):
        rates.water_charge(1, '5/8"', "2019-12-31")
    with pytest.raises(ValidationError, match='No water base charge for a 6" meter'):
        rates.water_charge(1, '6"', OLD)


def test_sewer_cap_and_refuse_by_class():
    assert rates.sewer_charge(15, "residential", OLD) == 3175 + 15 * 298
    assert rates.sewer_charge(16, "residential", OLD) == 3175 + 15 * 298  # capped
    assert rates.sewer_charge(40, "commercial", OLD) == 3175 + 40 * 298
    assert rates.sewer_charge(40, "irrigation", OLD) == 0
    assert rates.refuse_charge("residential", OLD) == 2895
    assert rates.refuse_charge("commercial", OLD) == 8450
    assert rates.refuse_charge("irrigation", OLD) == 0


def test_charges_with_discount_keep_the_fund_of_what_they_reduce():
    plain = rates.charges(12, '5/8"', "residential", ("water", "sewer", "refuse"), OLD)
    assert [c.service for c in plain] == ["water", "sewer", "refuse"]
    disc = rates.charges(12, '5/8"', "residential", ("water", "sewer", "refuse"), OLD,
                         ("lifeline", "no-such-programme"))
    cuts = [c for c in disc if c.service == "discount"]
    water, sewer = plain[0].amount_cents, plain[1].amount_cents
    assert [c.amount_cents for c in cuts] == [-(water * 20 // 100), -(sewer * 20 // 100)]
    assert [c.gl_code for c in cuts] == ["5100-4100", "5200-4100"]
    best = rates.charges(12, '5/8"', "residential", ("water", "refuse"), OLD,
                         ("lifeline", "senior"))
    assert [c.amount_cents for c in best if c.service == "discount"] == [
        -(plain[0].amount_cents * 20 // 100), -(2895 * 15 // 100)]


def test_late_fee_and_deposit_rules_are_data():
    lf = rates.late_fee_rule(OLD)
    assert (lf.percent, lf.minimum_cents, lf.max_days_past_due) == (10, 500, 30)
    dep = rates.deposit_rule(OLD)
    assert dep.amounts_cents["commercial"] == 25000 and "commercial" in dep.always_required
    assert rates.read_rule(OLD).high_factor == 3.0
