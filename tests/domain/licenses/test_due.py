"""Amount due on a date is a pure function: tested on both sides of every month boundary from
the due date to past the cap; the penalty is on the tax only, never the state's CASp fee."""

from __future__ import annotations

import datetime as dt

import pytest

from clerk_tui.domain.licenses.due import Paid, TermCharges, amount_due, months_late
from clerk_tui.domain.licenses.rules import license_rules

G = license_rules().general_on(dt.date(2027, 1, 1))
TERM = TermCharges(2027, dt.date(2027, 1, 31), tax_cents=15000, casp_city_cents=360,
                   casp_state_cents=40, bid_cents=7500)

BOUNDARIES = [
    # (date, months late, penalty cents)
    (dt.date(2027, 1, 31), 0, 0),        # the due date itself: no penalty
    (dt.date(2027, 2, 1), 1, 1500),      # the day after: 10%
    (dt.date(2027, 2, 28), 1, 1500),     # Jan 31 + 1 month clamps to Feb 28
    (dt.date(2027, 3, 1), 2, 3000),
    (dt.date(2027, 3, 31), 2, 3000),
    (dt.date(2027, 4, 1), 3, 4500),
    (dt.date(2027, 4, 30), 3, 4500),
    (dt.date(2027, 5, 1), 4, 6000),
    (dt.date(2027, 5, 31), 4, 6000),
    (dt.date(2027, 6, 1), 5, 7500),      # 50%: the cap
    (dt.date(2027, 6, 30), 5, 7500),
    (dt.date(2027, 7, 1), 6, 7500),      # still 50%
    (dt.date(2028, 1, 31), 12, 7500),
]


@pytest.mark.parametrize(("on", "months", "penalty"), BOUNDARIES)
def test_penalty_at_each_month_boundary(on: dt.date, months: int, penalty: int) -> None:
    d = amount_due(TERM, Paid(), on, G)
    assert d.months_late == months
    assert d.parts.get("PEN", 0) == penalty
    # never on the state fee (or the city's share, or the BID assessment)
    assert d.parts["CASPS"] == 40 and d.parts["CASPC"] == 360 and d.parts["BID"] == 7500
    assert d.total_cents == 15000 + penalty + 400 + 7500


def test_months_late_mid_month_due_date() -> None:
    due = dt.date(2027, 3, 15)
    assert [months_late(due, dt.date(2027, m, d)) for m, d in
            [(3, 15), (3, 16), (4, 15), (4, 16), (5, 15), (5, 16)]] == [0, 1, 1, 2, 2, 3]


def test_what_is_paid_is_not_due_and_penalty_stops_when_the_tax_is_paid() -> None:
    paid = Paid({"TAX": 15000, "CASPC": 360, "CASPS": 40, "PEN": 1500},
                tax_paid_on=dt.date(2027, 2, 10))
    later = amount_due(TERM, paid, dt.date(2027, 9, 1), G)
    assert later.parts == {"BID": 7500}  # the penalty froze at one month, already paid


def test_partly_paid_tax_keeps_growing_penalty_on_the_whole_tax() -> None:
    paid = Paid({"TAX": 5000})
    d = amount_due(TERM, paid, dt.date(2027, 3, 1), G)
    assert d.parts["TAX"] == 10000 and d.parts["PEN"] == 3000


def test_over_payment_is_never_negative_due() -> None:
    d = amount_due(TERM, Paid({"TAX": 99999, "CASPC": 360, "CASPS": 40, "BID": 7500},
                              tax_paid_on=dt.date(2027, 1, 2)), dt.date(2027, 8, 1), G)
    assert d.parts == {} and d.total_cents == 0


def test_due_date_of_a_term_and_of_a_new_business() -> None:
    from clerk_tui.domain.licenses.records import new_term_due

    jan1 = dt.date(2027, 1, 1)
    assert new_term_due(G, jan1) == dt.date(2027, 1, 31)
    assert new_term_due(G, jan1, dt.date(2027, 1, 10)) == dt.date(2027, 2, 9)
    assert new_term_due(G, jan1, dt.date(2027, 3, 2)) == dt.date(2027, 4, 1)  # a month to pay
    assert new_term_due(G, jan1, dt.date(2027, 12, 20)) == dt.date(2027, 12, 31)
