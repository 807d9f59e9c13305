"""Deposits: unpaid reversed at close, refunded after the run of on-time bills."""

from __future__ import annotations

import datetime as dt

import pytest

from clerk_tui.domain import audit, clock, ledger
from clerk_tui.domain.errors import StateError
from clerk_tui.domain.utility import deposits, service
from tests.domain.utility.service_support import NOW, today  # noqa: F401

pytestmark = pytest.mark.usefixtures("today")


def _bill(db, actor, account_id, cents, bill_date, due_date):
    with db.write():
        p = ledger.post(db, actor, "billing", [
            ledger.Entry(book="account", kind="bill", amount_cents=cents, account_id=account_id),
            ledger.Entry(book="revenue", kind="bill", amount_cents=-cents, fund="water",
                         gl_code="5100-4100")], business_date=bill_date)
        db.insert("bills", {"account_id": account_id, "journal_id": p.journal_id,
                            "bill_date": bill_date, "due_date": due_date,
                            "period_start": bill_date, "period_end": bill_date,
                            "amount_cents": cents})
        audit.record(db, actor, "test.bill", f"account_id:{account_id}")


def _pay(db, actor, account_id, cents, on):
    with db.write():
        ledger.post(db, actor, "payment", [
            ledger.Entry(book="account", kind="payment", amount_cents=-cents,
                         account_id=account_id),
            ledger.Entry(book="clearing", kind="payment", amount_cents=cents)], business_date=on)
        audit.record(db, actor, "test.pay", f"account_id:{account_id}")


def _commercial(db, actor):
    """Opened (and the deposit charged) on 2025-01-02."""
    clock.set_fixed(dt.datetime(2025, 1, 2, 9, 0))
    opened = service.open_service(db, actor, name="Shop Inc", service_address="9 Mill St",
                                  rate_class="commercial", requested_on="2025-01-02")
    clock.set_fixed(NOW)
    db.execute("UPDATE accounts SET status = 'active' WHERE id = ?", [opened.account.id])
    return opened.account.id, opened.deposit


def test_unpaid_deposit_is_reversed_at_close(db, make_clerk):
    csr2 = make_clerk("csr2")
    acct, dep = _commercial(db, csr2)
    closed = service.close_service(db, csr2, acct, final_reading=0)
    assert closed.deposit_applied_cents == 0
    d = deposits.get_deposit(db, dep.id)
    assert d.status == "waived" and d.closed_journal_id is not None
    assert ledger.account_balance(db, acct) == 0
    trust = db.scalar("SELECT sum(amount_cents) FROM ledger_entries WHERE book = 'trust' "
                      "AND journal_id IN (?, ?)", [dep.charged_journal_id, d.closed_journal_id])
    assert trust == 0


def test_refund_after_twelve_on_time_bills(db, make_clerk):
    csr2 = make_clerk("csr2")
    acct, dep = _commercial(db, csr2)
    _pay(db, csr2, acct, 25000, "2025-01-05")
    months = [f"2025-{m:02d}" for m in range(2, 13)] + ["2026-01", "2026-02"]
    for k, ym in enumerate(months):
        _bill(db, csr2, acct, 8000, f"{ym}-01", f"{ym}-21")
        late = k == 0  # the first bill paid a day late: it is outside the last 12
        _pay(db, csr2, acct, 8000, f"{ym}-{22 if late else 15}")
    assert deposits.on_time_run(db, acct, "2025-01-02", "2026-06-15") == 12
    cands = deposits.deposit_refund_candidates(db, "2026-06-15")
    assert [(c.account_id, c.amount_cents, c.on_time_bills) for c in cands] == [
        (acct, 25000, 12)]
    d = deposits.refund_deposit(db, csr2, dep.id)
    assert d.status == "refunded"
    assert ledger.account_balance(db, acct) == -25000  # a credit on the account
    with pytest.raises(StateError, match="nothing to refund"):
        deposits.refund_deposit(db, csr2, dep.id)


def test_a_late_bill_breaks_the_run(db, make_clerk):
    csr2 = make_clerk("csr2")
    acct, dep = _commercial(db, csr2)
    _pay(db, csr2, acct, 25000, "2025-01-05")
    for k, ym in enumerate([f"2025-{m:02d}" for m in range(2, 13)] + ["2026-01", "2026-02"]):
        _bill(db, csr2, acct, 8000, f"{ym}-01", f"{ym}-21")
        _pay(db, csr2, acct, 8000, f"{ym}-{25 if k == 10 else 15}")
    assert deposits.on_time_run(db, acct, "2025-01-02", "2026-06-15") == 2
    assert deposits.deposit_refund_candidates(db, "2026-06-15") == []
    with pytest.raises(StateError, match="Not yet: 2 of 12"):
        deposits.refund_deposit(db, csr2, dep.id)
    assert deposits.get_deposit(db, dep.id).status == "billed"
