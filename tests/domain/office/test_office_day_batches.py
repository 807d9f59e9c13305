"""A day with drawers and a mail batch: the day report shows the batch as a batch (its own
line, never an over/short drawer), counts its money once, and the closed day's GL file still
balances to the ledger (real SQLite file, real cashier and batch posting)."""

from __future__ import annotations

from pathlib import Path

from clerk_tui.db import Database
from clerk_tui.domain import audit
from clerk_tui.domain.batches.control import (
    add_line,
    approve_batch,
    get_batch,
    open_batch,
    post_batch,
)
from clerk_tui.domain.cashier import (
    CountedItem,
    DrawerCount,
    approve_session,
    close_business_day,
    create_deposit,
    submit_count,
)
from clerk_tui.domain.office.day import day_report, format_day_report
from clerk_tui.domain.office.gl import export_day
from tests.domain.cashier.test_cashier_deposit import COUNT, _drawer

from .test_gl_export import _check_against_ledger, _read
from .test_office_day import DAY

SHORT = {**COUNT, "pennies": 24}  # a cent short


def _mail_batch(db: Database, clerk, account, cents: tuple[int, ...]):
    b = open_batch(db, clerk, "mail", len(cents), sum(cents))
    for c in cents:
        add_line(db, clerk, b.id, account(c).number, c, due_cents=c)
    post_batch(db, clerk, b.id)
    return get_batch(db, b.id)


def _day(db: Database, account, make_clerk, clerk_with_drawer, supervisor):
    """Two drawers (each $75.25 cash, a $120 check, a $30 card, $50 picked up; bob a cent
    short) and one mail batch of two checks ($25.00 + $40.00), all approved and deposited."""
    acct = account(100000)
    alice = clerk_with_drawer("csr2", "alice")
    bob = clerk_with_drawer("csr2", "bob")
    sa = _drawer(db, alice, acct, "3001")
    sb = _drawer(db, bob, acct, "3002")
    assert submit_count(db, alice, DrawerCount(COUNT, checks=[CountedItem("3001", 12000)])
                        ).over_short_cents == 0
    assert submit_count(db, bob, DrawerCount(SHORT, checks=[CountedItem("3002", 12000)])
                        ).over_short_cents == -1
    approve_session(db, supervisor, sa)
    approve_session(db, supervisor, sb, "a cent short")
    batch = _mail_batch(db, make_clerk("csr1", "mia"), account, (2500, 4000))
    approve_batch(db, supervisor, batch.id, "envelopes checked")
    slip = create_deposit(db, supervisor)
    assert slip.session_ids == (sa, sb) and slip.batch_session_ids == (batch.drawer_session_id,)
    return sa, sb, batch, slip


def test_day_report_shows_a_batch_as_a_batch_and_counts_it_once(
        db: Database, account, make_clerk, clerk_with_drawer, supervisor,
        tmp_path: Path) -> None:
    sa, sb, batch, slip = _day(db, account, make_clerk, clerk_with_drawer, supervisor)
    r = day_report(db, supervisor, DAY)
    drawer_taken = 2 * (7525 + 12000 + 3000 - 5000)
    # the totals are the drawers plus the batch, every way summed
    assert r.collected_cents == drawer_taken - 1 + 6500
    assert r.collected_cents == sum(t.total_cents for t in r.by_tender)
    assert r.collected_cents == sum(f.amount_cents for f in r.by_fund)
    tenders = {t.tender: t for t in r.by_tender}
    assert (tenders["check"].drawer_cents, tenders["check"].other_cents) == (24000, 6500)
    assert sum(t.other_cents for t in r.by_tender) == 6500  # the batch, once
    sources = {(s.source, s.drawer): s for s in r.by_source}
    assert sources[("receipt", False)].batch and not sources[("receipt", True)].batch
    assert (sources[("receipt", False)].journals,
            sources[("receipt", False)].amount_cents) == (2, 6500)
    assert sources[("receipt", True)].journals == 6
    # the over/short list is the two drawers; the batch has a line of its own
    assert [(d.session_id, d.over_short_cents) for d in r.drawers] == [(sa, 0), (sb, -1)]
    assert sum(d.taken_cents for d in r.drawers) == drawer_taken
    assert [(b.batch_id, b.kind, b.session_id, b.state, b.approved_by, b.payments,
             b.total_cents) for b in r.batches] == [
        (batch.id, "mail", batch.drawer_session_id, "approved", "sup", 2, 6500)]
    # the deposit names its drawers and its batch apart; its total is the slip's
    assert [(d.sessions, d.batches, d.total_cents) for d in r.deposits] == [
        (f"{sa}, {sb}", str(batch.id), slip.total_cents)]
    assert slip.total_cents == 2 * (7525 + 12000) - 1 + 6500
    text = format_day_report(r)
    assert max(len(line) for line in text.splitlines()) <= 78
    section = text.split("Batches: mail")[1].split("Voids and reversals")[0]
    assert f"{batch.id}" in section and "$65.00" in section and "approved sup" in section
    assert any(line.split()[:2] == ["receipt", "batch"] and line.endswith("$65.00")
               for line in text.splitlines())
    drawers = text.split("Drawers: taken")[1].split("Batches: mail")[0]
    assert "batch:" not in drawers and "mia" not in drawers
    # the closed day's GL file still sums to zero and matches the ledger
    close_business_day(db, supervisor, DAY)
    out = export_day(db, supervisor, DAY, tmp_path)
    assert out.debit_cents == out.credit_cents
    _check_against_ledger(db, DAY, _read(out.path))
    assert audit.verify(db).ok


def test_a_batch_waiting_for_approval_says_so_and_is_not_deposited(
        db: Database, account, make_clerk, supervisor) -> None:
    batch = _mail_batch(db, make_clerk("csr1", "mia"), account, (1000,))
    r = day_report(db, supervisor, DAY)
    assert r.drawers == ()
    assert [(b.batch_id, b.state, b.approved_by, b.total_cents) for b in r.batches] == [
        (batch.id, "posted", None, 1000)]
    assert r.deposits == ()
    text = format_day_report(r)
    assert "NOT approved" in text.split("Batches: mail")[1].split("Voids")[0]
