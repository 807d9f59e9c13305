"""Every amount is capped in the domain ($9,999,999.99), not only where it is typed.

`parse_money` refuses "10000000.00" at the keyboard, but the domain took a payment of 2**62
cents from any other caller. Each domain entry that takes cents is called here with one cent
over the cap and with 2**62 cents: refused with `MoneyError` ("over $9,999,999.99") and not
one row written anywhere (every table's row count, and the ledger's sum, unchanged).

The cap is on amounts that enter the domain, not on totals the domain adds up itself: a
billing run's revenue line for a fund sums every account of the cycle and may pass it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

import pytest

from clerk_tui.db import Database
from clerk_tui.domain import auth, clock
from clerk_tui.domain.cashier import (
    CountedItem,
    DrawerCount,
    SaleItem,
    Tender,
    new_idempotency_key,
    open_session,
    paid_in,
    paid_out,
    pickup,
    post_payment,
    price_items,
    refund_credit,
    submit_count,
)
from clerk_tui.domain.cashier.tenders import plan
from clerk_tui.domain.money import MAX_CENTS, MoneyError, check_cents
from clerk_tui.domain.utility import adjustments, assistance, deposits, plans
from tests.domain.cashier.conftest import create_account

OVER = [MAX_CENTS + 1, 2**62]


def table_counts(db: Database) -> dict[str, int]:
    names = [r["name"] for r in db.all(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
    return {n: int(db.scalar(f'SELECT count(*) FROM "{n}"')) for n in names}


def ledger_state(db: Database) -> tuple[int, int]:
    return (int(db.scalar("SELECT count(*) FROM ledger_entries")),
            int(db.scalar("SELECT coalesce(sum(abs(amount_cents)), 0) FROM ledger_entries")))


@pytest.fixture
def world(db: Database) -> Iterator[dict]:
    """An admin (limits at the cap, so only the cap can refuse) with an open drawer, and an
    account owing $100."""
    clock.set_fixed(dt.datetime(2026, 3, 2, 10, 0, 0))
    admin = auth.clerk_actor(db, "admin", "ws-test")
    open_session(db, admin)
    yield {"admin": admin, "acct": create_account(db, 10000)}
    clock.set_fixed(None)


def _pay(db: Database, w: dict, item_cents: int | None, tender: Tender) -> object:
    return post_payment(db, w["admin"], new_idempotency_key(),
                        [SaleItem("account", w["acct"].number, item_cents)], [tender])


def _deposit(db: Database, w: dict, cents: int) -> object:
    with db.write():
        return deposits.charge_in_write(db, w["admin"], w["acct"].id, cents, "test")


ENTRIES: dict[str, Callable[[Database, dict, int], object]] = {
    "payment item": lambda db, w, c: _pay(db, w, c, Tender("cash", c)),
    "cash tendered (change)": lambda db, w, c: _pay(db, w, 1000, Tender("cash", c)),
    "check tendered": lambda db, w, c: _pay(db, w, 1000, Tender("check", c, number="101")),
    "money order tendered": lambda db, w, c: _pay(db, w, 1000, Tender("money_order", c,
                                                                      number="MO1")),
    "card tendered": lambda db, w, c: _pay(db, w, 1000, Tender("card", c, card_last4="1111",
                                                               auth_code="AB12")),
    "paid in": lambda db, w, c: paid_in(db, w["admin"], c, "Petty cash back"),
    "paid out": lambda db, w, c: paid_out(db, w["admin"], c, "Stamps", "V-1"),
    "pickup": lambda db, w, c: pickup(db, w["admin"], c, bag="B1"),
    "refund": lambda db, w, c: refund_credit(db, w["admin"], w["acct"].number, c, "Overpaid"),
    "counted check": lambda db, w, c: submit_count(db, w["admin"], DrawerCount(
        {"twenties": 10}, checks=[CountedItem("101", c)])),
    "counted money order": lambda db, w, c: submit_count(db, w["admin"], DrawerCount(
        {"twenties": 10}, money_orders=[CountedItem("MO1", c)])),
    "bill adjustment": lambda db, w, c: adjustments.adjust(db, w["admin"], w["acct"].id, "LEAK",
                                                           amount=c, note="leak"),
    "payment plan": lambda db, w, c: plans.create_plan(db, w["admin"], w["acct"].id,
                                                       amount_cents=c, installments=2),
    "extension": lambda db, w, c: plans.create_extension(
        db, w["admin"], w["acct"].id, amount_cents=c, pay_by=dt.date(2026, 3, 20)),
    "customer deposit": _deposit,
    "assistance income": lambda db, w, c: assistance.take(
        db, w["admin"], w["acct"].id, assistance.rules().programs[0].code, household_size=2,
        annual_income=c),
}


@pytest.mark.parametrize("cents", OVER, ids=["cap+1", "2**62"])
@pytest.mark.parametrize("entry", list(ENTRIES), ids=list(ENTRIES))
def test_every_entry_refuses_amounts_over_the_cap(db: Database, world: dict, entry: str,
                                                  cents: int) -> None:
    before, money = table_counts(db), ledger_state(db)
    with pytest.raises(MoneyError, match=r"over \$9,999,999\.99"):
        ENTRIES[entry](db, world, cents)
    assert table_counts(db) == before
    assert ledger_state(db) == money


def test_opening_bank_over_the_cap_is_refused(db: Database) -> None:
    """100,000 $100 bills (the most a count line takes) is one cent over the cap."""
    clock.set_fixed(dt.datetime(2026, 3, 2, 10, 0, 0))
    try:
        admin = auth.clerk_actor(db, "admin", "ws-test")
        before = table_counts(db)
        with pytest.raises(MoneyError, match=r"over \$9,999,999\.99"):
            open_session(db, admin, DrawerCount({"hundreds": 100_000, "pennies": 1}))
        assert table_counts(db) == before
    finally:
        clock.set_fixed(None)


def test_sale_total_and_tendered_sum_are_capped_too(db: Database, world: dict) -> None:
    """Two items (or two tenders) each under the cap may not add up past it."""
    half = MAX_CENTS // 2 + 1
    with pytest.raises(MoneyError, match="sale total"):
        price_items(db, [SaleItem("account", world["acct"].number, half)] * 2)
    with pytest.raises(MoneyError, match="tendered"):
        plan(1000, [Tender("cash", half), Tender("cash", half)])


def test_the_cap_itself_is_taken(db: Database, world: dict) -> None:
    assert check_cents(MAX_CENTS) == MAX_CENTS and check_cents(-MAX_CENTS) == -MAX_CENTS
    r = paid_in(db, world["admin"], MAX_CENTS, "Float from the safe")
    assert r.amount_cents == MAX_CENTS


@pytest.mark.parametrize("bad", [True, 1.5, "100", None])
def test_check_cents_refuses_what_is_not_whole_cents(bad: object) -> None:
    with pytest.raises(MoneyError, match="whole cents"):
        check_cents(bad)
