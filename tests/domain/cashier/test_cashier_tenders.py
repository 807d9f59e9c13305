"""Split tender and change arithmetic (property-based), and the tender rules."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clerk_tui.domain.cashier.tenders import Tender, plan
from clerk_tui.domain.errors import ValidationError

NUMBERS = {"cash": {}, "check": {"number": "101"}, "money_order": {"number": "MO1"},
           "card": {"card_last4": "1234", "auth_code": "OK1"}}


def t(kind: str, cents: int) -> Tender:
    return Tender(kind, cents, **NUMBERS[kind])


tender_st = st.builds(t, st.sampled_from(list(NUMBERS)), st.integers(1, 50_000))


@settings(max_examples=400, deadline=None)
@given(total=st.integers(1, 100_000), tenders=st.lists(tender_st, min_size=1, max_size=5),
       limit=st.sampled_from([0, 2000]))
def test_split_tender_arithmetic(total: int, tenders: list[Tender], limit: int) -> None:
    limits = {"check": limit, "money_order": 0, "card": 0}
    tendered = sum(x.amount_cents for x in tenders)
    try:
        p = plan(total, tenders, over_tender_limits=limits)
    except ValidationError:
        # refused only when short, or a non-cash tender over what was left beyond its limit
        left, over = total, False
        for x in tenders:
            if x.kind != "cash":
                use = min(x.amount_cents, left)
                over |= x.amount_cents - use > limits[x.kind]
                left -= use
        assert tendered < total or over
        return
    assert p.tendered_cents == tendered
    assert p.change_cents == tendered - total >= 0
    assert sum(line.applied_cents for line in p.lines) == total
    assert all(0 <= line.applied_cents <= line.tendered_cents for line in p.lines)
    assert sum(e.amount_cents for e in p.drawer_entries(1)) == total
    non_cash_over = sum(line.tendered_cents - line.applied_cents for line in p.lines
                        if line.kind != "cash")
    cash_back = sum(line.tendered_cents - line.applied_cents for line in p.lines
                    if line.kind == "cash")
    assert non_cash_over + cash_back == p.change_cents
    if limit == 0:
        assert non_cash_over == 0  # without a rule only cash gives change


@given(total=st.integers(1, 100_000), extra=st.integers(0, 100_000))
def test_cash_over_total_gives_change(total: int, extra: int) -> None:
    p = plan(total, [t("cash", total + extra)])
    assert p.change_cents == extra
    assert [e.amount_cents for e in p.drawer_entries(1)] == [total]


@pytest.mark.parametrize("kind", ["check", "money_order", "card"])
def test_non_cash_over_tender_refused(kind: str) -> None:
    with pytest.raises(ValidationError, match="cannot be over-tendered"):
        plan(5000, [t(kind, 5001)])
    with pytest.raises(ValidationError, match="cannot be over-tendered"):
        plan(5000, [t("cash", 4000), t(kind, 5500)])  # non-cash is applied first
    assert plan(5000, [t(kind, 3000), t("cash", 2500)]).change_cents == 500
    assert plan(5000, [t("cash", 4000), t(kind, 2000)]).change_cents == 1000  # cash change


def test_check_over_tender_within_configured_limit_gives_cash_back() -> None:
    p = plan(5000, [t("check", 6000)], over_tender_limits={"check": 2000})
    assert p.change_cents == 1000
    entries = {e.tender: e.amount_cents for e in p.drawer_entries(1)}
    assert entries == {"check": 6000, "cash": -1000}
    with pytest.raises(ValidationError):
        plan(5000, [t("check", 7001)], over_tender_limits={"check": 2000})


def test_short_tender_refused() -> None:
    with pytest.raises(ValidationError, match=r"\$0.01 is still due"):
        plan(5000, [t("cash", 4999)])


@pytest.mark.parametrize("bad", [
    Tender("card", 100, card_last4="4111111111111111", auth_code="A1"),
    Tender("card", 100, card_last4="1111", auth_code="4111 1111 1111 1111"),
    Tender("check", 100, number="4111-1111-1111-1111"),
])
def test_full_card_number_never_accepted(bad: Tender) -> None:
    with pytest.raises(ValidationError, match="full card number"):
        plan(100, [bad])


@pytest.mark.parametrize("bad,msg", [
    (Tender("card", 100, card_last4="123", auth_code="A1"), "last four"),
    (Tender("card", 100, card_last4="1234"), "approval code"),
    (Tender("check", 100), "check number"),
    (Tender("money_order", 100), "serial"),
    (Tender("cash", 100, number="1"), "no number"),
    (Tender("cash", 0), "more than"),
    (Tender("bitcoin", 100), "Unknown tender"),
])
def test_tender_fields(bad: Tender, msg: str) -> None:
    with pytest.raises(ValidationError, match=msg):
        plan(100, [bad])


def test_no_checks_flag_and_allowed_tenders() -> None:
    with pytest.raises(ValidationError, match="takes no checks"):
        plan(100, [t("check", 100)], no_checks=True)
    assert plan(100, [t("money_order", 100)], no_checks=True).change_cents == 0
    with pytest.raises(ValidationError, match="not accepted"):
        plan(100, [t("card", 100)], allowed=("check", "money_order"))
