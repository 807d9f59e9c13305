"""A mail batch: keyed against its control, posted whole only when it matches, approved by a
supervisor, deposited as a batch (real SQLite file, real cashier posting)."""

from __future__ import annotations

import pytest

from clerk_tui.db import Database
from clerk_tui.domain import audit
from clerk_tui.domain.batches.control import (
    add_line,
    approve_batch,
    batch_lines,
    correct_line,
    differences,
    get_batch,
    open_batch,
    post_batch,
    remove_line,
)
from clerk_tui.domain.cashier import (
    CountedItem,
    DrawerCount,
    approve_session,
    create_deposit,
    list_sessions,
    render_deposit_slip,
    submit_count,
)
from clerk_tui.domain.cashier.deposit import depositable_batches
from clerk_tui.domain.errors import (
    NotFound,
    PermissionDenied,
    StateError,
    ValidationError,
)
from tests.domain.batches.conftest import book_total, counts
from tests.domain.cashier.test_cashier_deposit import COUNT, _drawer


def _batch(db: Database, clerk, account, n: int = 3, cents: int = 4500):
    accts = [account(cents) for _ in range(n)]
    b = open_batch(db, clerk, "mail", n, n * cents)
    for a in accts:
        add_line(db, clerk, b.id, a.number, cents, due_cents=cents)
    return b, accts


def test_a_matching_batch_posts_every_line_as_a_receipt(db: Database, account, make_clerk
                                                         ) -> None:
    clerk = make_clerk("csr1", "mia")  # no drawer open: a batch needs none
    b, accts = _batch(db, clerk, account)
    before = counts(db)
    posted = post_batch(db, clerk, b.id)
    after = counts(db)
    assert after["receipts"] - before["receipts"] == 3
    assert posted.receipt_numbers == tuple(range(before["counter"] + 1, before["counter"] + 4))
    assert posted.batch.state == "posted"
    sid = posted.batch.drawer_session_id
    assert book_total(db, "drawer", drawer_session_id=sid) == 13500
    assert book_total(db, "drawer", drawer_session_id=sid, tender="check") == 13500
    for a in accts:
        assert book_total(db, "account", account_id=a.id) == 0
    # Each receipt is an ordinary one, in the batch's session (workstation batch:<id>).
    rows = db.all("SELECT r.number, r.drawer_session_id, s.workstation FROM receipts r "
                  "JOIN drawer_sessions s ON s.id = r.drawer_session_id "
                  "JOIN batch_receipts br ON br.receipt_id = r.id WHERE br.batch_id = ?",
                  [b.id])
    assert {r["workstation"] for r in rows} == {f"batch:{b.id}"}
    assert audit.verify(db).ok
    # The batch is no drawer: drawer lists leave it out.
    assert sid not in [s.id for s in list_sessions(db)]


def test_count_or_total_mismatch_refuses_posting_and_shows_the_difference(
        db: Database, account, make_clerk) -> None:
    clerk = make_clerk("csr1", "mia")
    accts = [account(4500) for _ in range(3)]
    b = open_batch(db, clerk, "mail", 3, 13500)
    add_line(db, clerk, b.id, accts[0].number, 4500, due_cents=4500)
    add_line(db, clerk, b.id, accts[1].number, 4000, due_cents=4500)  # check for less
    before = counts(db)
    with pytest.raises(ValidationError) as e:
        post_batch(db, clerk, b.id)
    text = str(e.value)
    assert "nothing was posted" in text
    assert "control     3   keyed     2   difference -1" in text
    assert "difference -$50.00" in text
    assert "Line   2" in text and "stub $45.00  keyed $40.00" in text
    assert counts(db) == before  # nothing written, no receipt number used
    d = differences(db, b.id)
    assert (d.count_diff, d.total_diff) == (-1, -5000)
    # Right count, wrong total: still refused.
    add_line(db, clerk, b.id, accts[2].number, 4500, due_cents=4500)
    with pytest.raises(ValidationError, match="does not match"):
        post_batch(db, clerk, b.id)
    assert differences(db, b.id).total_diff == -500
    # The fix: key line 2 again; the old row is kept (append-only), the batch now posts.
    correct_line(db, clerk, b.id, 2, amount_cents=4500)
    assert [ln.amount_cents for ln in batch_lines(db, b.id)] == [4500, 4500, 4500]
    assert db.scalar("SELECT count(*) FROM batch_lines WHERE batch_id = ?", [b.id]) == 4
    post_batch(db, clerk, b.id)
    assert get_batch(db, b.id).state == "posted"


def test_remove_a_line_keyed_twice(db: Database, account, make_clerk) -> None:
    clerk = make_clerk("csr1", "mia")
    a = account(2000)
    b = open_batch(db, clerk, "dropbox", 1, 2000)
    add_line(db, clerk, b.id, a.number, 2000, due_cents=2000)
    add_line(db, clerk, b.id, a.number, 2000, due_cents=2000)
    assert differences(db, b.id).count_diff == 1
    remove_line(db, clerk, b.id, 2)
    assert differences(db, b.id).balanced
    with pytest.raises(NotFound):
        remove_line(db, clerk, b.id, 2)


def test_bad_lines_are_refused_and_change_nothing(db: Database, account, make_clerk) -> None:
    clerk = make_clerk("csr1", "mia")
    a = account(2000)
    flagged = account(2000, no_checks=True)
    b = open_batch(db, clerk, "mail", 2, 4000)
    before = db.scalar("SELECT count(*) FROM batch_lines")
    for kw, msg in (
        ({"account": "garbage", "amount_cents": 100}, "account number"),
        ({"account": a.number, "amount_cents": 0}, "more than"),
        ({"account": a.number, "amount_cents": 100, "tender": "cash"}, "checks and money"),
        ({"account": a.number, "amount_cents": 100, "number": "12ab"}, "check number"),
        ({"account": flagged.number, "amount_cents": 100}, "takes no checks"),
    ):
        with pytest.raises(ValidationError, match=msg):
            add_line(db, clerk, b.id, **kw)
    with pytest.raises(NotFound):
        add_line(db, clerk, b.id, "9999999", 100)  # shaped right, no such account
    wrong = a.number[:7] + str((int(a.number[7]) + 1) % 10)
    with pytest.raises(ValidationError, match="check digit"):
        add_line(db, clerk, b.id, wrong, 100)
    assert db.scalar("SELECT count(*) FROM batch_lines") == before
    for n, c in ((0, 100), (501, 100), (1, 0), (1, -5)):
        with pytest.raises(ValidationError):
            open_batch(db, clerk, "mail", n, c)
    with pytest.raises(ValidationError):
        open_batch(db, clerk, "cash", 1, 100)


def test_money_order_and_sequence_numbers(db: Database, account, make_clerk) -> None:
    clerk = make_clerk("csr1", "mia")
    a = account(2000)
    b = open_batch(db, clerk, "mail", 2, 4000)
    ln = add_line(db, clerk, b.id, a.number, 2000, due_cents=2000)
    assert ln.number == f"{b.id:05d}0001"  # the batch sequence number when none is keyed
    mo = add_line(db, clerk, b.id, a.number, 2000, tender="money_order", number="MO-77")
    assert mo.number == "MO-77"
    post_batch(db, clerk, b.id)
    kinds = db.all("SELECT kind, check_number FROM tenders ORDER BY id")
    assert [(r["kind"], r["check_number"]) for r in kinds] == [
        ("check", f"{b.id:05d}0001"), ("money_order", "MO-77")]


def test_a_posted_batch_cannot_change(db: Database, account, make_clerk) -> None:
    clerk = make_clerk("csr1", "mia")
    b, accts = _batch(db, clerk, account, n=1)
    post_batch(db, clerk, b.id)
    with pytest.raises(StateError):
        add_line(db, clerk, b.id, accts[0].number, 100)
    with pytest.raises(StateError):
        correct_line(db, clerk, b.id, 1, amount_cents=100)
    with pytest.raises(StateError):
        post_batch(db, clerk, b.id)


def test_a_refused_line_at_posting_rolls_the_whole_batch_back(db: Database, account,
                                                              make_clerk) -> None:
    """A line that was fine when keyed but cannot post (the account was flagged no-checks
    meanwhile): no receipt of the batch is written, the numbers are not used."""
    clerk = make_clerk("csr1", "mia")
    b, accts = _batch(db, clerk, account, n=3)
    with db.write():
        db.execute("UPDATE accounts SET no_checks = 1 WHERE id = ?", [accts[2].id])
        audit.record(db, clerk, "test.flag", f"account:{accts[2].number}")
    before = counts(db)
    with pytest.raises(ValidationError):
        post_batch(db, clerk, b.id)
    assert counts(db) == before
    assert get_batch(db, b.id).state == "open"
    assert db.scalar("SELECT count(*) FROM drawer_sessions WHERE workstation LIKE 'batch:%'") == 0


def test_supervisor_approval(db: Database, account, make_clerk, supervisor) -> None:
    clerk = make_clerk("csr1", "mia")
    b, _ = _batch(db, clerk, account, n=2)
    with pytest.raises(StateError, match="only a posted batch"):
        approve_batch(db, supervisor, b.id)
    post_batch(db, clerk, b.id)
    with pytest.raises(PermissionDenied):
        approve_batch(db, clerk, b.id)  # a clerk may not approve
    sup2 = make_clerk("supervisor", "sal")
    b2, _ = _batch(db, sup2, account, n=1)
    post_batch(db, sup2, b2.id)
    with pytest.raises(PermissionDenied, match="you posted"):
        approve_batch(db, sup2, b2.id)
    done = approve_batch(db, supervisor, b.id, "envelopes checked")
    assert done.state == "approved" and done.approved_by == "sup"
    with pytest.raises(StateError):
        approve_batch(db, supervisor, b.id)


def test_deposit_slip_with_a_drawer_and_a_batch(db: Database, account, make_clerk,
                                                clerk_with_drawer, supervisor) -> None:
    acct = account(100000)
    alice = clerk_with_drawer("csr2", "alice")
    sa = _drawer(db, alice, acct, "3001")
    res = submit_count(db, alice, DrawerCount(COUNT, checks=[CountedItem("3001", 12000)]))
    assert res.over_short_cents == 0
    approve_session(db, supervisor, sa)
    clerk = make_clerk("csr1", "mia")
    b, _ = _batch(db, clerk, account, n=2, cents=2500)
    post_batch(db, clerk, b.id)
    assert depositable_batches(db) == []  # posted, not approved: not in the bag
    approve_batch(db, supervisor, b.id)
    sid = get_batch(db, b.id).drawer_session_id
    assert depositable_batches(db) == [sid]
    slip = create_deposit(db, supervisor)
    assert slip.session_ids == (sa,) and slip.batch_session_ids == (sid,)
    # The drawer's part is what it always was ($75.25 cash, the $120 check); the batch adds
    # its two checks, listed by their numbers.
    assert (slip.currency_cents, slip.coin_cents) == (7525 - 1025, 1025)
    assert slip.check_cents == 12000 + 5000
    assert slip.total_cents == 7525 + 12000 + 5000
    assert [(i.number, i.amount_cents, i.drawer_session_id) for i in slip.items] == [
        ("3001", 12000, sa), (f"{b.id:05d}0001", 2500, sid), (f"{b.id:05d}0002", 2500, sid)]
    assert book_total(db, "drawer", drawer_session_id=sid) == 0
    assert book_total(db, "drawer", drawer_session_id=sa) == 0
    text = render_deposit_slip(slip)
    assert f"Drawers {sa}" in text and f"Batches {b.id}" in text
    assert depositable_batches(db) == []
    assert audit.verify(db).ok


def test_a_drawer_only_deposit_slip_is_unchanged(db: Database, account, clerk_with_drawer,
                                                 supervisor) -> None:
    acct = account(100000)
    alice = clerk_with_drawer("csr2", "alice")
    sa = _drawer(db, alice, acct, "3001")
    submit_count(db, alice, DrawerCount(COUNT, checks=[CountedItem("3001", 12000)]))
    approve_session(db, supervisor, sa)
    slip = create_deposit(db, supervisor)
    assert slip.batch_session_ids == ()
    assert "Batches" not in render_deposit_slip(slip)


def test_day_close_waits_for_posted_batches(db: Database, account, make_clerk,
                                            supervisor) -> None:
    from clerk_tui.domain.cashier import close_business_day

    clerk = make_clerk("csr1", "mia")
    b, _ = _batch(db, clerk, account, n=1)
    post_batch(db, clerk, b.id)
    with pytest.raises(StateError, match=f"Payment batches {b.id} .* not approved"):
        close_business_day(db, supervisor)
    approve_batch(db, supervisor, b.id)
    assert close_business_day(db, supervisor).sessions == 0  # a batch is not a drawer


def test_reversing_a_batch_receipt_keeps_the_batch_deposit_whole(
        db: Database, account, make_clerk, supervisor) -> None:
    """A payment applied to the wrong account is reversed to suspense; the check itself is
    still in the batch's bag, so the batch deposits in full."""
    from clerk_tui.domain.cashier import reverse_receipt

    clerk = make_clerk("csr1", "mia")
    b, accts = _batch(db, clerk, account, n=2, cents=3000)
    posted = post_batch(db, clerk, b.id)
    reverse_receipt(db, supervisor, posted.receipt_numbers[0], "MISAPPLIED", "wrong account")
    assert book_total(db, "account", account_id=accts[0].id) == 3000
    approve_batch(db, supervisor, b.id)
    slip = create_deposit(db, supervisor)
    assert slip.check_cents == 6000 and len(slip.items) == 2
    assert audit.verify(db).ok
