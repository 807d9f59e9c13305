"""The day report over the ledger: its totals are the drawers' X/Z figures, every way summed."""

from __future__ import annotations

import pytest

from clerk_tui.db import Database
from clerk_tui.domain import audit, ledger
from clerk_tui.domain.actor import SYSTEM
from clerk_tui.domain.cashier import (
    CountedItem,
    DrawerCount,
    SaleItem,
    Tender,
    approve_session,
    create_deposit,
    current_session,
    new_idempotency_key,
    pickup,
    post_payment,
    refund_credit,
    submit_count,
    void_receipt,
    x_report,
)
from clerk_tui.domain.cashier.rules import rules as cashier_rules
from clerk_tui.domain.errors import PermissionDenied, ValidationError
from clerk_tui.domain.office.day import check_day, day_report, format_day_report

DAY = "2026-03-02"


def pay(db, actor, acct, cents, tender=None):
    return post_payment(db, actor, new_idempotency_key(),
                        [SaleItem("account", acct.number, cents)],
                        [tender or Tender("cash", cents)]).receipt


def a_day(db: Database, account, clerk_with_drawer, supervisor) -> dict[str, int]:
    """Two drawers: cash, check, card, a void, a cash refund, a city check, a pickup, one
    drawer counted $1.00 short and approved, then deposited; a third drawer still open."""
    acct = account(50000)
    credit = account(0)
    a = clerk_with_drawer("csr2", "alice")
    b = clerk_with_drawer("csr2", "bob")
    c = clerk_with_drawer("csr2", "cyd")
    pay(db, a, acct, 7525)
    pay(db, a, acct, 12000, Tender("check", 12000, number="3001"))
    pay(db, a, acct, 3000, Tender("card", 3000, card_last4="0005", auth_code="OK"))
    voided = pay(db, a, acct, 999)
    void_receipt(db, a, voided.number, "KEY", "keyed wrong")
    pickup(db, a, 5000, bag="S-1")
    pay(db, b, credit, 9000)  # overpaid: a credit of $90
    refund_credit(db, b, credit.number, 1500, "moved away", method="cash")
    refund_credit(db, b, credit.number, 2500, "closed account", method="check")
    pay(db, c, acct, 400, Tender("money_order", 400, number="MO-1"))
    sa = current_session(db, a).id
    sb = current_session(db, b).id
    res = submit_count(db, a, DrawerCount(
        {"hundreds": 1, "fifties": 1, "tens": 1, "fives": 1, "quarter_rolls": 1, "pennies": 25},
        checks=[CountedItem("3001", 12000)]))
    assert res.over_short_cents == 0
    # bob: bank 150 + 90 - 15 = 225 expected; counts 224 (a dollar short)
    res = submit_count(db, b, DrawerCount({"hundreds": 2, "twenties": 1, "ones": 4}))
    assert res.over_short_cents == -100
    approve_session(db, supervisor, sa)
    approve_session(db, supervisor, sb, "short a dollar, counted twice")
    create_deposit(db, supervisor)
    return {"a": sa, "b": sb, "c": current_session(db, c).id, "voided": voided.number}


def test_day_report_totals_are_the_drawers_x_and_z_figures(db: Database, account,
                                                           clerk_with_drawer,
                                                           supervisor) -> None:
    ids = a_day(db, account, clerk_with_drawer, supervisor)
    r = day_report(db, supervisor, DAY)
    # every way of summing the day gives the same collected total
    assert r.collected_cents == sum(t.total_cents for t in r.by_tender)
    assert r.collected_cents == sum(f.amount_cents for f in r.by_fund)
    # each drawer line is that drawer's X report: taken, and the book with the over/short
    drawers = {d.session_id: d for d in r.drawers}
    assert set(drawers) == {ids["a"], ids["b"], ids["c"]}
    for sid, d in drawers.items():
        x = x_report(db, supervisor, sid)
        assert d.taken_cents == sum(t.amount_cents for t in x.taken)
        assert d.taken_cents + d.over_short_cents == x.drawer_total_cents
    # all the drawer money of the day is the drawers' X figures summed
    assert sum(t.drawer_cents for t in r.by_tender) == sum(
        x_report(db, supervisor, sid).drawer_total_cents for sid in drawers)
    assert drawers[ids["b"]].over_short_cents == -100
    # known figures: a took 75.25 + 120 + 30 - 50 pickup; b 90 - 15; c 4.00
    assert drawers[ids["a"]].taken_cents == 7525 + 12000 + 3000 - 5000
    assert drawers[ids["b"]].taken_cents == 9000 - 1500
    assert [(v.receipt, v.kind) for v in r.voids] == [(ids["voided"], "void")]
    assert r.city_checks == 1 and r.city_checks_cents == 2500
    assert len(r.deposits) == 1 and r.deposits[0].sessions == f"{ids['a']}, {ids['b']}"
    sources = {(s.source, s.drawer): s for s in r.by_source}
    assert sources[("receipt", True)].journals == 6
    assert sources[("over_short", True)].amount_cents == -100
    assert dict(r.no_money)["refund"] == 1  # the city check moved no money today
    text = format_day_report(r)
    assert max(len(line) for line in text.splitlines()) <= 78
    assert f"{r.audit_seq}:{r.audit_hash}" in text
    assert "$1.00" in text and "City checks to issue (refunds payable): 1  $25.00" in text
    assert audit.verify(db, [audit.Anchor(r.audit_seq, r.audit_hash)]).ok


def test_a_new_kind_of_posting_shows_without_code(db: Database, account,
                                                  supervisor) -> None:
    """A posting of a kind no one wrote the report for (a mail batch: checks received with
    no drawer, to clearing with a tender) is its own source line, by tender too."""
    acct = account(20000)
    with db.write():
        ledger.post(db, SYSTEM, "mail_batch", [
            ledger.Entry(book="clearing", kind="batch", amount_cents=12345, tender="check",
                         gl_code=cashier_rules().gl["bank_deposit"]),
            ledger.Entry(book="account", kind="payment", amount_cents=-12345,
                         account_id=acct.id, fund="510", gl_code="510-1210")], memo="batch 1")
        audit.record(db, SYSTEM, "test.batch", "batch:1")
    r = day_report(db, supervisor, DAY)
    assert [(s.source, s.drawer, s.amount_cents) for s in r.by_source] == [
        ("mail_batch", False, 12345)]
    assert [(t.tender, t.drawer_cents, t.other_cents) for t in r.by_tender] == [
        ("check", 0, 12345)]
    assert [(f.book, f.gl_code, f.amount_cents) for f in r.by_fund] == [
        ("account", "510-1210", 12345)]


def test_day_report_needs_the_role_and_a_real_date(db: Database, clerk_with_drawer,
                                                   supervisor) -> None:
    clerk = clerk_with_drawer("csr2")
    with pytest.raises(PermissionDenied):
        day_report(db, clerk, DAY)
    for bad in ("2026-02-30", "yesterday", "2026-3-2", "\x1b[2J"):
        with pytest.raises(ValidationError, match="YYYY-MM-DD"):
            check_day(bad)
    before = db.scalar("SELECT count(*) FROM audit_log")
    with pytest.raises(ValidationError):
        day_report(db, supervisor, "2026-13-01")
    assert db.scalar("SELECT count(*) FROM audit_log") == before

