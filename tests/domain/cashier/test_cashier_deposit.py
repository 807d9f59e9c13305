"""The bank deposit gathers only approved drawers; a closed business day takes no postings."""

from __future__ import annotations

import pytest

from clerk_tui.db import Database
from clerk_tui.domain import audit
from clerk_tui.domain.cashier import (
    CountedItem,
    DrawerCount,
    SaleItem,
    Tender,
    approve_session,
    close_business_day,
    create_deposit,
    current_session,
    new_idempotency_key,
    open_session,
    pickup,
    post_payment,
    render_deposit_slip,
    reopen_session,
    reverse_receipt,
    submit_count,
)
from clerk_tui.domain.errors import PermissionDenied, StateError

from .conftest import book_total


def pay(db, actor, acct, cents, tender=None):
    return post_payment(db, actor, new_idempotency_key(),
                        [SaleItem("account", acct.number, cents)],
                        [tender or Tender("cash", cents)]).receipt


def _drawer(db, clerk, acct, check_no: str) -> int:
    """Bank $150; cash $75.25, a $120 check, a $30 card; $50 picked up to the safe."""
    pay(db, clerk, acct, 7525)
    pay(db, clerk, acct, 12000, Tender("check", 12000, number=check_no))
    pay(db, clerk, acct, 3000, Tender("card", 3000, card_last4="0005", auth_code="OK"))
    pickup(db, clerk, 5000, bag="S-1")
    return current_session(db, clerk).id


COUNT = {"hundreds": 1, "fifties": 1, "tens": 1, "fives": 1, "quarter_rolls": 1,
         "pennies": 25}  # $175.25 = 150 + 75.25 - 50


def test_deposit_gathers_only_approved_sessions(db: Database, account, clerk_with_drawer,
                                                supervisor) -> None:
    acct = account(100000)
    a = clerk_with_drawer("csr2", "alice")
    b = clerk_with_drawer("csr2", "bob")
    c = clerk_with_drawer("csr2", "cyd")
    sa = _drawer(db, a, acct, "3001")
    sb = _drawer(db, b, acct, "3002")
    pay(db, c, acct, 100)
    for clerk, no in ((a, "3001"), (b, "3002")):
        res = submit_count(db, clerk, DrawerCount(COUNT, checks=[CountedItem(no, 12000)]))
        assert res.over_short_cents == 0
    approve_session(db, supervisor, sa)
    with pytest.raises(PermissionDenied):
        create_deposit(db, a)
    with pytest.raises(StateError, match="only approved"):
        create_deposit(db, supervisor, [sa, sb])
    slip = create_deposit(db, supervisor)
    assert slip.session_ids == (sa,)
    # cash: 175.25 counted - 150 bank + 50 pickup = 75.25; coin 10.25 stays, bank from bills
    assert (slip.currency_cents, slip.coin_cents) == (6500, 1025)
    assert slip.check_cents == 12000 and slip.total_cents == 19525
    assert [(i.kind, i.number, i.amount_cents) for i in slip.items] == [("check", "3001", 12000)]
    assert slip.card_cents == 3000
    assert book_total(db, "drawer", drawer_session_id=sa) == 0
    assert book_total(db, "clearing", gl_code="100-1020-SAFE") == 5000  # bob's pickup only
    assert book_total(db, "clearing", gl_code="100-1000-BANK") == 19525
    text = render_deposit_slip(slip, city="City of Example")
    assert "3001" in text and "$195.25" in text and "Currency" in text and "Coin" in text
    with pytest.raises(StateError, match="No approved drawers"):
        create_deposit(db, supervisor)
    with pytest.raises(StateError, match="bank deposit"):
        reopen_session(db, supervisor, sa, "recount")
    approve_session(db, supervisor, sb)
    assert create_deposit(db, supervisor).session_ids == (sb,)
    assert audit.verify(db).ok
    # The drawer reports leave a deposit out by its drawer entries' kind (issue 12): a drawer
    # entry is of kind 'deposit' exactly when its journal is the deposit.
    kinds = db.all("SELECT e.kind AS entry, j.kind AS journal FROM ledger_entries e "
                   "JOIN journals j ON j.id = e.journal_id WHERE e.book = 'drawer'")
    assert {"deposit", "receipt"} <= {k["journal"] for k in kinds}
    assert all((k["entry"] == "deposit") == (k["journal"] == "deposit") for k in kinds)


def test_close_business_day(db: Database, account, clerk_with_drawer, supervisor) -> None:
    acct = account(10000)
    clerk = clerk_with_drawer("csr2")
    r = pay(db, clerk, acct, 1000)
    with pytest.raises(StateError, match="not approved"):
        close_business_day(db, supervisor)
    res = submit_count(db, clerk, DrawerCount({"hundreds": 1, "fifties": 1, "tens": 1}))
    approve_session(db, supervisor, res.session_id)
    with pytest.raises(PermissionDenied):
        close_business_day(db, clerk)
    day = close_business_day(db, supervisor)
    assert day.business_date == "2026-03-02" and day.sessions == 1
    with pytest.raises(StateError, match="already closed"):
        close_business_day(db, supervisor)
    open_session(db, clerk)
    with pytest.raises(StateError, match="closed"):
        pay(db, clerk, acct, 500)
    with pytest.raises(StateError, match="closed"):
        reverse_receipt(db, supervisor, r.number, "DUP")
