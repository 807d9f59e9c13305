"""Billing runs: register == ledger (sandbox data), skips, finalize rules, late fees."""

from __future__ import annotations

import datetime as dt

import pytest

from clerk_tui.domain import audit, auth, clock, demo, ledger
from clerk_tui.domain.errors import OverrideRequired, StateError
from clerk_tui.domain.scanlines import parse_scan
from clerk_tui.domain.utility import billing, rates, reads
from tests.domain.utility.service_support import in_service, today  # noqa: F401

pytestmark = pytest.mark.usefixtures("today")

ADMIN = auth.shell_actor("admin", "ws-test")  # issued: the domain refuses hand-built actors


def test_run_over_demo_data_register_equals_ledger(tmp_path):
    from clerk_tui.db import open_database

    clock.set_fixed(dt.datetime(2026, 5, 12, 9, 0))
    try:
        db = open_database(tmp_path / "sandbox.db", create=True, migrate=True)
        demo.generate(db, 300, seed=11, as_of=dt.date(2026, 5, 1), history_months=7)
        accounts = db.all("SELECT id FROM accounts WHERE status = 'active' AND cycle = 2")
        for k, a in enumerate(accounts):
            last = reads.list_reads(db, a["id"], 1)[0]
            use = -50 if k == 0 else 5 + k % 20  # one doubtful read: skipped with its reason
            value = (last.reading + use) % 100000
            reads.record_read(db, ADMIN, a["id"], value, read_on="2026-05-08")
        reg = billing.create_run(db, ADMIN, 2, period_end="2026-05-08", bill_date="2026-05-10")
        flagged = {r["account_id"] for r in db.all(
            "SELECT m.account_id FROM meter_reads mr JOIN meters m ON m.id = mr.meter_id "
            "WHERE mr.read_on = '2026-05-08' AND mr.flagged = 1")}
        assert accounts[0]["id"] in flagged
        assert len(reg.lines) == len(accounts)
        assert {ln.account_id for ln in reg.skipped} == flagged
        assert all("flagged" in ln.skipped for ln in reg.skipped)
        text = billing.format_register(reg)
        assert "PRELIMINARY BILLING REGISTER" in text and "SKIPPED" in text
        assert max(len(line) for line in text.splitlines()) <= 80
        assert db.scalar("SELECT count(*) FROM bills WHERE billing_run_id = ?",
                         [reg.run.id]) == 0  # nothing posted yet
        fin = billing.finalize_run(db, ADMIN, reg.run.id)
        j = fin.run.journal_id
        books = {r["book"]: r["s"] for r in db.all(
            "SELECT book, sum(amount_cents) AS s FROM ledger_entries WHERE journal_id = ? "
            "GROUP BY book", [j])}
        assert books["account"] == reg.total_cents == fin.total_cents == fin.run.total_cents
        assert books["revenue"] == -reg.total_cents
        t = reg.totals()
        by_gl = {r["gl_code"]: -r["s"] for r in db.all(
            "SELECT gl_code, sum(amount_cents) AS s FROM ledger_entries WHERE journal_id = ? "
            "AND book = 'revenue' GROUP BY gl_code", [j])}
        assert sum(by_gl.values()) == t["water"] + t["sewer"] + t["refuse"] + t["discount"]
        assert by_gl["5300-4100"] == t["refuse"]
        bills = db.all("SELECT * FROM bills WHERE billing_run_id = ?", [reg.run.id])
        assert len(bills) == len(reg.billed)
        assert sum(b["amount_cents"] for b in bills) == reg.total_cents
        lines_total = db.scalar("SELECT sum(amount_cents) FROM bill_lines WHERE bill_id IN "
                                "(SELECT id FROM bills WHERE billing_run_id = ?)", [reg.run.id])
        assert lines_total == reg.total_cents
        b = bills[0]
        scan = parse_scan(b["scanline"]).value
        assert scan.amount_cents == max(0, ledger.account_balance(db, b["account_id"]))
        with pytest.raises(StateError, match="only a preliminary run"):
            billing.finalize_run(db, ADMIN, reg.run.id)
        db.close()
    finally:
        clock.set_fixed(None)


def _account_with_use(db, actor, use, **kw):
    return in_service(db, actor, first_reading=1000, turned_on="2026-05-01",
                      readings=(("2026-06-01", 1000 + use),), **kw)


def test_bill_amount_at_tier_edge_and_discount(db, make_clerk):
    csr3 = make_clerk("csr3")
    a = _account_with_use(db, csr3, 10)
    b = _account_with_use(db, csr3, 11, address="2 Elm St", name="Lifeline Lou")
    db.execute("INSERT INTO assistance_enrollments (account_id, program, applied_on, status, "
               "taken_by, decided_by, decided_on) VALUES (?, 'lifeline', '2026-05-01', "
               "'approved', 'x', 'y', '2026-05-02')", [b])
    reg = billing.create_run(db, csr3, 1, period_end="2026-06-10")
    lines = {ln.account_id: ln for ln in reg.lines}
    assert lines[a].water_cents == 2450 + 10 * 412 and lines[a].discount_cents == 0
    assert lines[b].water_cents == 2450 + 10 * 412 + 503
    expected_cut = (lines[b].water_cents * 20 // 100) + (lines[b].sewer_cents * 20 // 100)
    assert lines[b].discount_cents == -expected_cut
    assert lines[b].total_cents == (lines[b].water_cents + lines[b].sewer_cents
                                    + lines[b].refuse_cents - expected_cut)


def test_rate_change_prices_on_the_period_end(db, make_clerk):
    clock.set_fixed(dt.datetime(2027, 1, 10, 9, 0))
    try:
        csr3 = make_clerk("csr3")
        acct = in_service(db, csr3, turned_on="2026-12-01",
                          readings=(("2027-01-02", 1012),))
        reg = billing.create_run(db, csr3, 1, period_end="2027-01-05")
        assert reg.lines[0].account_id == acct
        assert reg.lines[0].water_cents == rates.water_charge(12, '5/8"', "2027-01-02")
        assert reg.lines[0].water_cents == 2575 + 10 * 433 + 2 * 528
    finally:
        clock.set_fixed(None)


def test_finalize_needs_override_for_csr3_and_refuses_changed_accounts(db, make_clerk):
    csr3 = make_clerk("csr3")
    acct = _account_with_use(db, csr3, 8)
    reg = billing.create_run(db, csr3, 1, period_end="2026-06-10")
    with pytest.raises(StateError, match="already has a preliminary run"):
        billing.create_run(db, csr3, 1, period_end="2026-06-10")
    with pytest.raises(OverrideRequired):
        billing.finalize_run(db, csr3, reg.run.id)
    sup = make_clerk("supervisor")
    db.execute("UPDATE accounts SET status = 'inactive' WHERE id = ?", [acct])
    with pytest.raises(StateError, match="changed since the register"):
        billing.finalize_run(db, sup, reg.run.id)
    assert db.scalar("SELECT count(*) FROM bills") == 0
    assert billing.get_run(db, reg.run.id).status == "preliminary"
    billing.cancel_run(db, csr3, reg.run.id, "account went inactive")
    db.execute("UPDATE accounts SET status = 'active' WHERE id = ?", [acct])
    again = billing.create_run(db, csr3, 1, period_end="2026-06-10")
    done = billing.finalize_run(db, sup, again.run.id)
    assert done.run.status == "final" and ledger.account_balance(db, acct) == done.total_cents
    # the next run finds no new read for it
    nxt = billing.create_run(db, csr3, 1, period_end="2026-06-14")
    assert nxt.skipped[0].skipped.startswith("no new read since 2026-06-01")


def test_late_fee_once_per_bill_on_the_unpaid_part(db, make_clerk):
    csr3 = make_clerk("csr3")
    sup = make_clerk("supervisor")
    acct = _account_with_use(db, csr3, 8)
    reg = billing.create_run(db, csr3, 1, period_end="2026-06-10", bill_date="2026-06-11")
    billing.finalize_run(db, sup, reg.run.id)
    bill = db.one("SELECT * FROM bills WHERE account_id = ?", [acct])
    assert bill["due_date"] == "2026-07-02"
    with db.write():  # the customer pays all but $40.00
        ledger.post(db, csr3, "payment", [
            ledger.Entry(book="account", kind="payment", amount_cents=-(bill["amount_cents"] - 4000),
                         account_id=acct),
            ledger.Entry(book="clearing", kind="payment",
                         amount_cents=bill["amount_cents"] - 4000)], business_date="2026-06-20")
        audit.record(db, csr3, "test.pay", f"account_id:{acct}")
    assert billing.assess_late_fees(db, csr3, "2026-07-02").fees == []  # due today: not late
    clock.set_fixed(dt.datetime(2026, 7, 3, 9))
    run = billing.assess_late_fees(db, csr3, "2026-07-03")
    assert [(f.unpaid_cents, f.fee_cents) for f in run.fees] == [(4000, 500)]  # minimum $5
    assert db.scalar("SELECT amount_cents FROM late_fees WHERE bill_id = ?", [bill["id"]]) == 500
    assert billing.assess_late_fees(db, csr3, "2026-07-03").fees == []  # once per bill
    assert ledger.account_balance(db, acct) == 4500
    assert "LATE FEES ASSESSED" in billing.format_late_fees(run)


def test_late_fee_percent_and_too_old_bills(db, make_clerk):
    csr3 = make_clerk("csr3")
    sup = make_clerk("supervisor")
    acct = _account_with_use(db, csr3, 30, rate_class="commercial")
    reg = billing.create_run(db, csr3, 1, period_end="2026-06-10", bill_date="2026-06-11")
    billing.finalize_run(db, sup, reg.run.id)
    amount = db.scalar("SELECT amount_cents FROM bills WHERE account_id = ?", [acct])
    assert billing.late_fee_candidates(db, "2026-08-02") == []  # 31 days past due: left
    fees = billing.late_fee_candidates(db, "2026-08-01")
    assert [(f.unpaid_cents, f.fee_cents) for f in fees] == [(amount, amount // 10)]
