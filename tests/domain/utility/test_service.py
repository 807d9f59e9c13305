"""Open, close and transfer service: deposits by rule, final bills, refunds, balances."""

from __future__ import annotations

import pytest

from clerk_tui.domain import account_numbers, accounts, audit, ledger
from clerk_tui.domain.errors import OverrideRequired, PermissionDenied, ValidationError
from clerk_tui.domain.utility import deposits, orders, reads, service
from tests.domain.utility.service_support import in_service, today  # noqa: F401

pytestmark = pytest.mark.usefixtures("today")


def _pay(db, actor, account_id, cents, on="2026-06-01"):
    with db.write():
        ledger.post(db, actor, "payment", [
            ledger.Entry(book="account", kind="payment", amount_cents=-cents,
                         account_id=account_id),
            ledger.Entry(book="clearing", kind="payment", amount_cents=cents)],
            business_date=on)
        audit.record(db, actor, "test.pay", f"account_id:{account_id}")


def test_open_commercial_charges_deposit_to_trust(db, make_clerk):
    csr2 = make_clerk("csr2")
    opened = service.open_service(db, csr2, name="Bean Cafe LLC", service_address="1 Main St",
                                  mailing_address="PO Box 9\nRiverton, CA 95901",
                                  services=("water", "sewer"), rate_class="commercial",
                                  cycle=3, meter_size='1"', requested_on="2026-06-16")
    a = opened.account
    assert (a.status, a.rate_class, a.services, a.cycle) == ("pending", "commercial",
                                                             ("water", "sewer"), 3)
    assert account_numbers.normalize_number(a.display_number) == a.number  # check digit holds
    assert db.scalar("SELECT mailing_address FROM accounts WHERE id = ?", [a.id]).startswith("PO")
    dep = opened.deposit
    assert (dep.amount_cents, dep.status, dep.paid) == (25000, "billed", False)
    assert ledger.account_balance(db, a.id) == 25000
    trust = db.scalar("SELECT sum(amount_cents) FROM ledger_entries WHERE book = 'trust' "
                      "AND journal_id = ?", [dep.charged_journal_id])
    assert trust == -25000
    _pay(db, csr2, a.id, 25000)
    assert deposits.list_deposits(db, a.id)[0].paid
    assert deposits.settle(db, csr2, a.id) == 1
    assert deposits.list_deposits(db, a.id)[0].status == "held"


def test_residential_deposit_only_with_a_bad_record(db, make_clerk):
    csr2 = make_clerk("csr2")
    first = service.open_service(db, csr2, name="Ann Lee", service_address="3 Pine St")
    assert first.deposit is None and first.deposit_reason == ""
    cust = first.account.customer_id
    with db.write():  # a completed shutoff for non-pay on her account
        oid = orders.insert_order(db, csr2, first.account.id, "shutoff_nonpay").id
        db.execute("UPDATE service_orders SET status = 'completed', completed_at = ? "
                   "WHERE id = ?", ["2026-03-01T10:00:00", oid])
    again = service.open_service(db, csr2, customer_id=cust, service_address="4 Pine St")
    assert again.deposit.amount_cents == 10000
    assert "shutoff" in again.deposit_reason
    with pytest.raises(PermissionDenied):
        service.open_service(db, csr2, customer_id=cust, service_address="5 Pine St",
                             waive_deposit=True)
    csr3 = make_clerk("csr3")
    waived = service.open_service(db, csr3, customer_id=cust, service_address="5 Pine St",
                                  waive_deposit=True)
    assert waived.deposit is None and waived.deposit_reason.startswith("waived")
    with pytest.raises(ValidationError, match="Rate class"):
        service.open_service(db, csr2, name="X", service_address="6 Pine", rate_class="palace")


def test_close_final_bill_deposit_applied_credit_refunded_by_check(db, make_clerk):
    csr2 = make_clerk("csr3")  # refund limit $250
    acct = in_service(db, csr2, rate_class="commercial", services="water",
                      readings=(("2026-05-01", 1010),), meter_size='1"')
    _pay(db, csr2, acct, 25000)  # deposit paid
    orders.create_order(db, csr2, acct, "leak_check", priority="routine",
                        requested_on="2026-06-20", reason="")
    closed = service.close_service(db, csr2, acct, final_reading=1015, read_on="2026-06-14",
                                   refund="check")
    assert closed.final_read.kind == "final"
    fb = closed.final_bill
    # 1" base + 15 HCF since the turn-on read (10 in tier 1, 5 in tier 2)
    assert fb.amount_cents == 4120 + 10 * 412 + 5 * 503
    assert db.scalar("SELECT kind FROM bills WHERE id = ?", [fb.bill_id]) == "final"
    assert closed.deposit_applied_cents == 25000
    assert closed.refund.amount_cents == 25000 - fb.amount_cents
    assert closed.refund.method == "check" and closed.balance_cents == 0
    assert closed.account.status == "closed" and closed.cancelled_orders == 1
    assert deposits.list_deposits(db, acct)[0].status == "applied"
    assert ledger.account_balance(db, acct) == 0


def test_close_refuses_a_doubtful_final_read_and_changes_nothing(db, make_clerk):
    csr2 = make_clerk("csr2")
    acct = in_service(db, csr2, readings=(("2026-05-01", 1010),))
    before = (len(reads.list_reads(db, acct, 50)), ledger.account_balance(db, acct))
    with pytest.raises(ValidationError, match="Final read not accepted: Reading 900 is lower"):
        service.close_service(db, csr2, acct, final_reading=900)
    assert (len(reads.list_reads(db, acct, 50)), ledger.account_balance(db, acct)) == before
    assert orders.list_orders(db, account_id=acct) == []
    assert accounts.get_account(db, acct).status == "active"
    closed = service.close_service(db, csr2, acct, final_reading=900, confirmed=True)
    assert closed.account.status == "closed" and closed.final_bill is not None
    bill = db.one("SELECT * FROM bills WHERE id = ?", [closed.final_bill.bill_id])
    assert bill["consumption"] == 0  # a confirmed lower read bills no use


def test_close_refund_over_limit_needs_an_override(db, make_clerk):
    csr2 = make_clerk("csr2")  # refund limit $100
    acct = in_service(db, csr2, readings=(("2026-05-01", 1010),))
    _pay(db, csr2, acct, 50000)
    with pytest.raises(OverrideRequired) as e:
        service.close_service(db, csr2, acct, final_reading=1012, refund="check")
    assert e.value.permission == "refund.credit"
    assert accounts.get_account(db, acct).status == "active"
    left = service.close_service(db, csr2, acct, final_reading=1012, refund="leave")
    assert left.refund is None and left.balance_cents < 0


def test_transfer_moves_deposit_and_balance(db, make_clerk):
    csr2 = make_clerk("csr2")
    acct = in_service(db, csr2, rate_class="commercial", services="water,sewer",
                      readings=(("2026-05-01", 1010),))
    _pay(db, csr2, acct, 25000)
    moved = service.transfer_service(db, csr2, acct, final_reading=1014,
                                     new_service_address="77 River Rd",
                                     requested_on="2026-06-17")
    old = accounts.get_account(db, acct)
    new = moved.opened.account
    assert old.status == "closed" and new.status == "pending"
    assert new.customer_id == old.customer_id and new.rate_class == "commercial"
    assert db.scalar("SELECT transferred_to_account_id FROM accounts WHERE id = ?",
                     [acct]) == new.id
    assert moved.deposit_moved_cents == 25000 and moved.opened.deposit is None
    assert [d.status for d in deposits.list_deposits(db, acct)] == ["transferred"]
    assert [(d.status, d.amount_cents) for d in deposits.list_deposits(db, new.id)] == [
        ("held", 25000)]
    assert ledger.account_balance(db, acct) == 0
    assert ledger.account_balance(db, new.id) == moved.balance_moved_cents
    assert moved.closed.final_bill is not None
    assert moved.opened.turn_on_order.requested_on == "2026-06-17"


def test_deposit_alert_unpaid_then_held(db, make_clerk):
    csr2 = make_clerk("csr2")
    opened = service.open_service(db, csr2, name="Dep Co", service_address="8 Mill St",
                                  rate_class="commercial")
    alerts = {a.code: a.message for a in accounts.load_account(db, opened.account.id).alerts}
    assert alerts["deposit_unpaid"] == "Deposit $250.00 billed, not yet paid."
    _pay(db, csr2, opened.account.id, 25000, on="2026-06-15")
    alerts = {a.code: a.message for a in accounts.load_account(db, opened.account.id).alerts}
    assert alerts["deposit"] == "Deposit $250.00 held." and "deposit_unpaid" not in alerts
