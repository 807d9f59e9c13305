"""Drawer sessions: bank, paid-in/out, pickup, blind close, approval, reopen, reports."""

from __future__ import annotations

import datetime as dt

import pytest

from clerk_tui.db import Database
from clerk_tui.domain import audit, auth, clock
from clerk_tui.domain.cashier import (
    CountedItem,
    DrawerCount,
    SaleItem,
    Tender,
    approve_session,
    awaiting_approval,
    begin_balancing,
    current_session,
    format_report,
    new_idempotency_key,
    open_session,
    paid_in,
    paid_out,
    pickup,
    post_payment,
    refund_credit,
    reopen_session,
    resume_session,
    submit_count,
    void_receipt,
    x_report,
    z_report,
)
from clerk_tui.domain.errors import OverrideRequired, PermissionDenied, StateError, ValidationError

from .conftest import approve, book_total

BANK = {"twenties": 5, "tens": 2, "fives": 3, "ones": 5, "quarter_rolls": 1}  # $150.00


def pay(db, actor, acct, cents, tender=None):
    return post_payment(db, actor, new_idempotency_key(),
                        [SaleItem("account", acct.number, cents)],
                        [tender or Tender("cash", cents)]).receipt


def test_open_with_counted_bank_once_per_workstation(db: Database, make_clerk) -> None:
    clerk = make_clerk("csr1")
    s = open_session(db, clerk, DrawerCount(BANK))
    assert s.opening_bank_cents == 15000 and s.state == "open"
    with pytest.raises(StateError, match="already have a drawer"):
        open_session(db, clerk)
    lines = db.all("SELECT * FROM drawer_count_lines")
    assert sum(line["amount_cents"] for line in lines) == 15000
    other_ws = auth.clerk_actor(db, clerk.username, "ws-2")
    assert open_session(db, other_ws).opening_bank_cents == 15000  # default from authority.toml
    with pytest.raises(ValidationError, match="Unknown denomination"):
        open_session(db, make_clerk("csr2"), DrawerCount({"threes": 1}))


def test_paid_in_out_and_pickup(db: Database, clerk_with_drawer, supervisor) -> None:
    clerk = clerk_with_drawer("csr1")
    sid = current_session(db, clerk).id
    paid_in(db, clerk, 1000, "petty cash returned")
    with pytest.raises(ValidationError, match="Voucher"):
        paid_out(db, clerk, 500, "stamps", "")
    paid_out(db, clerk, 1500, "stamps", "PC-1")
    with pytest.raises(OverrideRequired, match="paid out limit"):
        paid_out(db, clerk, 2500, "courier", "PC-2")
    ov = approve(db, clerk, supervisor, "drawer.paid_out", 2500, "paid_out")
    m = paid_out(db, clerk, 2500, "courier", "PC-2", override=ov)
    assert m.override_by == "sup"
    pickup(db, clerk, 10000, bag="B-9")
    with pytest.raises(ValidationError, match="should hold only"):
        pickup(db, clerk, 100000)
    assert book_total(db, "drawer", drawer_session_id=sid) == 1000 - 1500 - 2500 - 10000
    assert db.scalar("SELECT count(*) FROM cash_movements") == 4
    assert db.scalar("SELECT count(*) FROM audit_log WHERE action LIKE 'drawer.p%'") == 4


def _day(db, clerk, account):
    """$150 bank; cash 100.00, check 250.00 #1001, money order 40.00, card 60.00; pickup 50."""
    acct = account(50000)
    pay(db, clerk, acct, 10000)
    pay(db, clerk, acct, 25000, Tender("check", 25000, number="1001"))
    pay(db, clerk, acct, 4000, Tender("money_order", 4000, number="M-1"))
    pay(db, clerk, acct, 6000, Tender("card", 6000, card_last4="4242", auth_code="X1"))
    pickup(db, clerk, 5000)
    return acct


def exact_count(extra: dict | None = None) -> DrawerCount:
    # expected cash: 150 + 100 - 50 = 200.00
    d = {"hundreds": 1, "fifties": 1, "twenties": 2, "fives": 2}
    d.update(extra or {})
    return DrawerCount(d, checks=[CountedItem("1001", 25000)],
                       money_orders=[CountedItem("M-1", 4000)])


def test_blind_close_within_tolerance(db: Database, account, clerk_with_drawer,
                                      supervisor) -> None:
    clerk = clerk_with_drawer("csr2")
    _day(db, clerk, account)
    s = begin_balancing(db, clerk)
    assert s.state == "balancing"
    with pytest.raises(StateError, match="being counted"):  # the count stays blind
        x_report(db, clerk)
    res = submit_count(db, clerk, exact_count({"ones": 3}))  # $3 over: within $5
    assert res.state == "balanced" and not res.needs_approval
    assert res.expected == {"cash": 20000, "check": 25000, "money_order": 4000}
    assert res.counted["cash"] == 20300 and res.over_short_cents == 300
    assert res.card_cents == 6000 and res.missing_checks == () == res.unexpected_checks
    with pytest.raises(StateError, match="no drawer open"):  # one count per session
        submit_count(db, clerk, exact_count())
    # the drawer book now holds what was counted (bank aside)
    assert book_total(db, "drawer", drawer_session_id=s.id, tender="cash") == 20300 - 15000
    with pytest.raises(PermissionDenied):
        approve_session(db, clerk, s.id)
    assert approve_session(db, supervisor, s.id).state == "approved"


def test_blind_close_beyond_tolerance_needs_supervisor(db: Database, account, make_clerk,
                                                       clerk_with_drawer, supervisor) -> None:
    clerk = clerk_with_drawer("csr2")
    _day(db, clerk, account)
    count = DrawerCount({"hundreds": 1, "fifties": 1, "twenties": 2},  # $10 short
                        checks=[CountedItem("1002", 25000)],  # wrong number written down
                        money_orders=[CountedItem("M-1", 4000)])
    res = submit_count(db, clerk, count)
    assert res.over_short_cents == -1000 and res.needs_approval and res.state == "balancing"
    assert res.missing_checks == ("1001",) and res.unexpected_checks == ("1002",)
    assert [s.id for s in awaiting_approval(db)] == [res.session_id]
    with pytest.raises(StateError):  # still balancing: no new drawer here, no payments
        open_session(db, clerk)
    with pytest.raises(PermissionDenied):
        approve_session(db, make_clerk("csr3"), res.session_id, "ok")
    with pytest.raises(ValidationError, match="why"):
        approve_session(db, supervisor, res.session_id)
    s = approve_session(db, supervisor, res.session_id, "counted twice, $10 short")
    assert s.state == "approved"
    events = [r["to_state"] for r in db.all(
        "SELECT to_state FROM drawer_session_events WHERE drawer_session_id = ? ORDER BY id",
        [s.id])]
    assert events == ["open", "balancing", "balancing", "balanced", "approved"]
    assert audit.verify(db).ok


def test_over_short_above_supervisor_limit_needs_admin(db: Database, account,
                                                       clerk_with_drawer, supervisor) -> None:
    clerk = clerk_with_drawer("csr2")
    res = submit_count(db, clerk, DrawerCount({"hundreds": 3}))  # $150 over
    with pytest.raises(OverrideRequired, match="over short limit"):
        approve_session(db, supervisor, res.session_id, "found money")
    admin = auth.clerk_actor(db, "admin", "ws-test")
    ov = approve(db, supervisor, admin, "drawer.over_short", 15000, "over_short")
    assert approve_session(db, supervisor, res.session_id, "found money",
                           override=ov).state == "approved"


def test_reopen_reverses_over_short_and_takes_payments(db: Database, account,
                                                       clerk_with_drawer, supervisor) -> None:
    clerk = clerk_with_drawer("csr2")
    acct = account(1000)
    res = submit_count(db, clerk, DrawerCount({"hundreds": 1}))  # $50 short
    with pytest.raises(ValidationError, match="Reason"):
        reopen_session(db, supervisor, res.session_id, "")
    s = reopen_session(db, supervisor, res.session_id, "recount")
    assert s.state == "open"
    assert book_total(db, "drawer", drawer_session_id=s.id) == 0
    pay(db, clerk, acct, 1000)
    res2 = submit_count(db, clerk, DrawerCount({"hundreds": 1, "fifties": 1, "tens": 1}))
    assert res2.over_short_cents == 0 and res2.state == "balanced"


def test_x_and_z_totals_equal_the_ledger(db: Database, account, clerk_with_drawer,
                                         supervisor) -> None:
    clerk = clerk_with_drawer("csr2")
    acct = _day(db, clerk, account)
    r = pay(db, clerk, acct, 700)
    void_receipt(db, clerk, r.number, "KEY")
    paid_out(db, clerk, 1200, "postage", "PC-7")
    sid = current_session(db, clerk).id
    x = x_report(db, clerk)
    assert x.kind == "X" and x.receipt_count == 5
    assert {t.tender: t.amount_cents for t in x.by_tender} == {
        "cash": 10000 - 5000 - 1200, "check": 25000, "money_order": 4000, "card": 6000}
    assert x.drawer_total_cents == book_total(db, "drawer", drawer_session_id=sid)
    assert sum(f.amount_cents for f in x.by_fund) == x.drawer_total_cents
    assert [(v.number, v.kind) for v in x.voids] == [(r.number, "void")]
    assert len(x.movements) == 2
    assert current_session(db, clerk).state == "open"  # X changes nothing
    with pytest.raises(StateError, match="Count the drawer first"):
        z_report(db, clerk)
    submit_count(db, clerk, DrawerCount(
        {"hundreds": 1, "fifties": 1, "twenties": 1, "fives": 3, "ones": 3},  # $188.00
        checks=[CountedItem("1001", 25000)], money_orders=[CountedItem("M-1", 4000)]))
    z = z_report(db, clerk)
    assert z.kind == "Z" and z.count.over_short_cents == 0
    assert z.drawer_total_cents == book_total(db, "drawer", drawer_session_id=sid)
    assert sum(f.amount_cents for f in z.by_fund) == z.drawer_total_cents
    assert z.audit_head == audit.head(db) and audit.verify(db).ok
    text = format_report(z)
    assert text.rstrip().endswith(z.audit_head) and "Money order" in text


def test_reports_of_other_clerks_need_permission(db: Database, clerk_with_drawer,
                                                 make_clerk) -> None:
    a = clerk_with_drawer("csr2", "alice")
    sid = current_session(db, a).id
    with pytest.raises(PermissionDenied):
        x_report(db, make_clerk("csr2", "bob"), sid)
    assert x_report(db, make_clerk("csr3", "cat"), sid).session.id == sid


def test_refund_credit_within_authority(db: Database, account, clerk_with_drawer,
                                        supervisor) -> None:
    clerk = clerk_with_drawer("csr1")
    acct = account(0)
    pay(db, clerk, acct, 6000)  # a $60 credit
    with pytest.raises(ValidationError, match="credit is only"):
        refund_credit(db, clerk, acct.number, 7000, "moving")
    r = refund_credit(db, clerk, acct.number, 2000, "moving")
    assert r.new_balance_cents == -4000 and r.override_by is None
    with pytest.raises(OverrideRequired):
        refund_credit(db, clerk, acct.number, 4000, "moving", method="check")
    ov = approve(db, clerk, supervisor, "refund.credit", 4000, "refund")
    r2 = refund_credit(db, clerk, acct.number, 4000, "moving", method="check", override=ov)
    assert r2.new_balance_cents == 0 and r2.override_by == "sup"
    sid = current_session(db, clerk).id
    assert book_total(db, "drawer", drawer_session_id=sid) == 6000 - 2000


def test_resume_before_counting(db: Database, account, clerk_with_drawer) -> None:
    clerk = clerk_with_drawer("csr2")
    begin_balancing(db, clerk)
    assert resume_session(db, clerk).state == "open"
    pay(db, clerk, account(100), 100)
    submit_count(db, clerk, DrawerCount({"hundreds": 1, "fifties": 1, "ones": 1}))
    with pytest.raises(StateError):
        resume_session(db, clerk)


def test_yesterdays_drawer_takes_no_payments(db: Database, account, clerk_with_drawer,
                                            fixed_clock) -> None:
    clerk = clerk_with_drawer("csr2")
    clock.set_fixed(fixed_clock + dt.timedelta(days=1))
    with pytest.raises(StateError, match="opened on 2026-03-02"):
        pay(db, clerk, account(100), 100)
