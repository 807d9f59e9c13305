"""SB 998 delinquency: notice stages once per delinquency, Occupant notices, the 60-day and
7-business-day boundaries, plan and medical exclusions, shutoff orders, restoration fees."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from clerk_tui.db import Database
from clerk_tui.domain import audit, ledger
from clerk_tui.domain.actor import Actor
from clerk_tui.domain.errors import PermissionDenied, StateError
from clerk_tui.domain.utility import delinquency, letters, plans
from clerk_tui.domain.utility.delinquency import run_notices, run_shutoffs
from tests.domain.utility.collections_support import bill, open_account, pay, set_today

D = dt.date.fromisoformat


pytestmark = pytest.mark.usefixtures("pinned_day")


def past_due_by(db: Database, account_id: int, days: int, on: str, cents: int = 10_000) -> None:
    """A bill whose due date was `days` days before `on`."""
    due = D(on) - dt.timedelta(days=days)
    bill(db, account_id, cents, (due - dt.timedelta(days=21)).isoformat(), due.isoformat())


def lines_by_number(run: delinquency.DelinquencyRun) -> dict[str, delinquency.RunLine]:
    return {ln.account_number: ln for ln in run.lines}


def test_stages_once_per_delinquency(db: Database, csr3: Actor) -> None:
    on = "2026-03-02"
    a = open_account(db, name="Reminder Ann", address="1 A St")
    b = open_account(db, name="Past Bob", address="2 B St")
    c = open_account(db, name="Shutoff Cy", address="3 C St")
    d = open_account(db, name="Early Di", address="4 D St")
    e = open_account(db, name="Small Ed", address="5 E St")
    past_due_by(db, a.id, 10, on)
    past_due_by(db, b.id, 35, on)
    past_due_by(db, c.id, 50, on, cents=12_345)
    past_due_by(db, d.id, 4, on)
    past_due_by(db, e.id, 90, on, cents=4_999)  # under the $50 minimum
    run = run_notices(db, csr3)
    got = lines_by_number(run)
    assert {k: v.action for k, v in got.items()} == {
        a.display_number: "reminder", b.display_number: "past_due",
        c.display_number: "shutoff"}
    # due 2026-01-11; 60 days later is 2026-03-12 (Thu); 7 business days after Mon 03-02 is
    # 03-11: the later date wins.
    assert got[c.display_number].detail == "shutoff on/after 2026-03-12"
    (notice,) = delinquency.notices_for(db, c.id)
    assert notice["shutoff_on_or_after"] == "2026-03-12" and notice["amount_cents"] == 12_345
    (letter,) = letters.letters_for(db, c.id)
    assert letter.kind == "shutoff_notice" and "March 12, 2026" in letter.body
    assert "payment plan" in letter.body and "$123.45" in letter.body
    assert "is 50 days past due" in " ".join(letter.body.split())
    # The same day again: nothing is sent twice.
    assert run_notices(db, csr3).done == []
    # Later stages still come: Ann is 30 days past due on 2026-03-22.
    set_today("2026-03-22")
    again = lines_by_number(run_notices(db, csr3))
    assert again[a.display_number].action == "past_due"
    assert again[b.display_number].action == "shutoff"  # Bob is at 55 days
    assert again[d.display_number].action == "reminder"  # Di is at 24 days
    assert c.display_number not in again  # Cy already has his shutoff notice
    assert "Past Bob" in delinquency.format_run(run)


def test_new_delinquency_after_catching_up_gets_new_notices(db: Database, csr3: Actor) -> None:
    a = open_account(db)
    past_due_by(db, a.id, 10, "2026-03-02")
    assert run_notices(db, csr3).done[0].action == "reminder"
    pay(db, a.id, 10_000, "2026-03-03")
    set_today("2026-04-20")
    past_due_by(db, a.id, 8, "2026-04-20")
    (line,) = run_notices(db, csr3).done
    assert line.action == "reminder"


def test_occupant_notice_when_mailing_address_differs(db: Database, csr3: Actor) -> None:
    landlord = open_account(db, name="Lana Lord", address="9 Rental Rd",
                            mailing="PO Box 12\nSacramento CA 95814")
    owner = open_account(db, name="Olive Owner", address="10 Home Ave",
                         mailing="10 Home Ave.\nRiverton CA 95000")
    for acct in (landlord, owner):
        past_due_by(db, acct.id, 50, "2026-03-02")
    run = lines_by_number(run_notices(db, csr3))
    assert len(run[landlord.display_number].notice_ids) == 2
    assert "occupant notice too" in run[landlord.display_number].detail
    assert len(run[owner.display_number].notice_ids) == 1
    to = {ltr.addressee: ltr for ltr in letters.letters_for(db, landlord.id)}
    assert set(to) == {"customer", "occupant"}
    assert "Occupant\n9 Rental Rd" in to["occupant"].body
    assert "Lana Lord\nPO Box 12" in to["customer"].body


def test_plan_medical_and_closed_accounts_are_left_out(db: Database, csr3: Actor) -> None:
    planned = open_account(db, name="Plan Pat", address="1 Plan St")
    medical = open_account(db, name="Med Mo", address="2 Med St")
    closed = open_account(db, name="Gone Gus", address="3 Gone St")
    for acct in (planned, medical, closed):
        past_due_by(db, acct.id, 50, "2026-03-02")
    plans.create_plan(db, csr3, planned.id, amount_cents=10_000, installments=4)
    with db.write():
        db.insert("medical_certifications", {"account_id": medical.id,
                                             "received_on": "2026-02-01",
                                             "expires_on": "2026-08-01", "clerk": "csr3"})
        db.execute("UPDATE accounts SET status = 'closed' WHERE id = ?", [closed.id])
    run = run_notices(db, csr3)
    assert [(ln.account_number, ln.action, ln.detail) for ln in run.lines] == [
        (planned.display_number, "skipped", "on a payment plan"),
        (medical.display_number, "skipped", "medical certification: no shutoff notice"),
        (medical.display_number, "past_due", ""),
    ]
    assert delinquency.notices_for(db, closed.id) == []


def test_no_shutoff_before_60_days_past_due(db: Database, csr3: Actor) -> None:
    a = open_account(db)
    bill(db, a.id, 20_000, "2025-12-15", "2026-01-05")  # due Mon 2026-01-05
    set_today("2026-02-19")  # 45 days past due: the notice goes out
    (line,) = run_notices(db, csr3).done
    assert line.detail == "shutoff on/after 2026-03-06"  # day 60, a Friday
    set_today("2026-03-05")  # day 59, 10 business days after the notice
    run59 = run_shutoffs(db, csr3)
    assert run59.lines == ()
    set_today("2026-03-06")  # day 60
    (listed,) = run_shutoffs(db, csr3).lines
    assert listed.action == "shutoff_list" and listed.days_past_due == 60
    order = db.one("SELECT * FROM service_orders WHERE id = ?", [listed.order_id])
    assert order["kind"] == "shutoff_nonpay" and order["status"] == "open"
    assert order["delinquency_run_id"] is not None
    row = db.one("SELECT * FROM shutoff_list WHERE account_id = ?", [a.id])
    assert row["service_order_id"] == listed.order_id and row["amount_cents"] == 20_000
    # Run again: the account is not listed twice.
    assert run_shutoffs(db, csr3).lines == ()


def test_notice_needs_seven_business_days_across_thanksgiving(db: Database,
                                                              csr3: Actor) -> None:
    a = open_account(db)
    past_due_by(db, a.id, 90, "2026-11-23")
    set_today("2026-11-23")  # Monday of Thanksgiving week
    (line,) = run_notices(db, csr3).done
    assert line.detail == "shutoff on/after 2026-12-04"
    set_today("2026-12-03")  # 6 business days (Thu 26 and Fri 27 are holidays)
    (skipped,) = run_shutoffs(db, csr3).lines
    assert skipped.action == "skipped" and "2026-12-04" in skipped.detail
    set_today("2026-12-04")  # 7 business days
    (listed,) = run_shutoffs(db, csr3).lines
    assert listed.action == "shutoff_list"


def test_shutoff_rechecks_occupant_plan_medical_and_payment(db: Database,
                                                            csr3: Actor) -> None:
    moved = open_account(db, name="Moved Max", address="1 Moved St")
    planned = open_account(db, name="Plan Pia", address="2 Plan St")
    medical = open_account(db, name="Med Mia", address="3 Med St")
    paid = open_account(db, name="Paid Pam", address="4 Paid St")
    for acct in (moved, planned, medical, paid):
        past_due_by(db, acct.id, 60, "2026-03-02")
    assert len(run_notices(db, csr3).done) == 4
    # Between the runs: a new mailing address, a plan, a certification, a payment.
    with db.write():
        db.execute("UPDATE accounts SET mailing_address = ? WHERE id = ?",
                   ["PO Box 5\nReno NV", moved.id])
        db.insert("medical_certifications", {"account_id": medical.id,
                                             "received_on": "2026-03-05",
                                             "expires_on": "2026-09-05", "clerk": "csr3"})
    plans.create_plan(db, csr3, planned.id, amount_cents=10_000, installments=2)
    pay(db, paid.id, 6_000, "2026-03-04")  # $40 left: under the $50 minimum
    set_today("2026-03-12")
    run = lines_by_number(run_shutoffs(db, csr3))
    assert {k: (v.action, v.detail) for k, v in run.items()} == {
        moved.display_number: ("skipped", "no notice to the occupant"),
        planned.display_number: ("skipped", "on a payment plan"),
        medical.display_number: ("skipped", "medical certification on file"),
    }
    # The plan breaks (nothing paid, past grace): the next shutoff run lists the account.
    set_today("2026-04-13")
    after = lines_by_number(run_shutoffs(db, csr3))
    assert after[planned.display_number].action == "shutoff_list"
    assert plans.active_plan(db, planned.id) is None


def test_stale_notice_does_not_support_a_shutoff(db: Database, csr3: Actor) -> None:
    a = open_account(db)
    past_due_by(db, a.id, 50, "2026-03-02")
    run_notices(db, csr3)
    set_today("2026-06-01")  # 91 days after the notice
    (line,) = run_shutoffs(db, csr3).lines
    assert line.action == "skipped" and "no shutoff notice" in line.detail


def test_runs_need_the_permission_and_change_nothing(db: Database,
                                                     make_clerk: Callable[..., Actor]) -> None:
    csr2 = make_clerk("csr2")
    a = open_account(db)
    past_due_by(db, a.id, 50, "2026-03-02")
    rows = audit.verify(db).rows
    with pytest.raises(PermissionDenied):
        run_notices(db, csr2)
    with pytest.raises(PermissionDenied):
        run_shutoffs(db, csr2)
    assert audit.verify(db).rows == rows
    assert db.scalar("SELECT count(*) FROM delinquency_runs") == 0


def _shut_off(db: Database, csr3: Actor, account_id: int) -> None:
    past_due_by(db, account_id, 60, "2026-03-02")
    run_notices(db, csr3)
    set_today("2026-03-12")
    assert run_shutoffs(db, csr3).done


def test_restore_charges_the_fee_once(db: Database, csr3: Actor) -> None:
    a = open_account(db)
    _shut_off(db, csr3, a.id)
    before = ledger.account_balance(db, a.id)
    r = delinquency.restore_service(db, csr3, a.id)
    assert (r.fee_cents, r.capped, r.low_income) == (7_500, False, False)
    assert ledger.account_balance(db, a.id) == before + 7_500
    assert db.scalar("SELECT sum(amount_cents) FROM ledger_entries WHERE journal_id = ?",
                     [r.journal_id]) == 0
    assert db.scalar("SELECT kind FROM service_orders WHERE id = ?", [r.order_id]) == "restore"
    with pytest.raises(StateError, match="no shutoff"):
        delinquency.restore_service(db, csr3, a.id)
    assert ledger.account_balance(db, a.id) == before + 7_500


def test_reconnection_fee_is_capped_for_low_income(db: Database, csr3: Actor) -> None:
    a = open_account(db)
    with db.write():
        db.insert("assistance_enrollments", {"account_id": a.id, "program": "lifeline",
                                             "applied_on": "2026-01-01", "status": "approved",
                                             "taken_by": "csr1", "expires_on": "2026-12-31"})
    _shut_off(db, csr3, a.id)
    r = delinquency.restore_service(db, csr3, a.id, after_hours=True)
    assert (r.fee_cents, r.capped, r.low_income) == (15_000, True, True)  # 175 -> 150
    rules = delinquency.reconnection_rules()
    assert rules.fee(after_hours=False, low_income=True) == (5_000, True)  # 75 -> 50
    assert rules.fee(after_hours=False, low_income=False) == (7_500, False)


def test_expired_or_pending_assistance_is_not_low_income(db: Database) -> None:
    a = open_account(db)
    with db.write():
        db.insert("assistance_enrollments", {"account_id": a.id, "program": "lifeline",
                                             "applied_on": "2025-01-01", "status": "approved",
                                             "taken_by": "csr1", "expires_on": "2026-03-01"})
        db.insert("assistance_enrollments", {"account_id": a.id, "program": "senior",
                                             "applied_on": "2026-02-01", "status": "pending",
                                             "taken_by": "csr1"})
    assert not delinquency.low_income(db, a.id, D("2026-03-02"))
    assert delinquency.low_income(db, a.id, D("2026-03-01"))


def test_restore_without_a_shutoff_is_refused(db: Database, csr3: Actor) -> None:
    a = open_account(db)
    with pytest.raises(StateError):
        delinquency.restore_service(db, csr3, a.id)
    assert ledger.account_balance(db, a.id) == 0


def test_standing_counts_from_the_due_date_fifo(db: Database) -> None:
    a = open_account(db)
    bill(db, a.id, 5_000, "2025-12-01", "2025-12-22")
    bill(db, a.id, 7_000, "2026-01-01", "2026-01-22")
    bill(db, a.id, 9_000, "2026-02-01", "2026-03-02")  # due today: not past due yet
    pay(db, a.id, 6_000, "2026-01-10")  # pays December's bill and $10 of January's
    st = delinquency.standing_of(db, a.id)
    assert st.balance_cents == 15_000
    assert st.past_due_cents == 6_000
    assert st.oldest_due == "2026-01-22" and st.days_past_due == 39
