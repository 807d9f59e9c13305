"""The bank's lockbox file: imported once, bad rows listed with reasons, worked through; the
file's total is what was posted plus the exceptions."""

from __future__ import annotations

import pytest

from clerk_tui.db import Database
from clerk_tui.domain import audit
from clerk_tui.domain.batches.control import approve_batch, get_batch
from clerk_tui.domain.batches.lockbox import (
    apply_exception,
    exceptions,
    import_lockbox,
    return_exception,
)
from clerk_tui.domain.cashier import create_deposit
from clerk_tui.domain.errors import StateError, ValidationError
from clerk_tui.domain.scanlines import make_stub_scanline
from tests.domain.batches.conftest import book_total, counts


def _file(good, extra: str = "") -> bytes:
    rows = ["account,amount,check,date,batch"]
    for number, cents, check in good:
        rows.append(f"{number},{cents // 100}.{cents % 100:02d},{check},2026-03-02,B7")
    return ("\n".join(rows) + "\n" + extra).encode()


def test_import_posts_good_rows_and_lists_bad_ones(db: Database, account, make_clerk,
                                                   supervisor) -> None:
    clerk = make_clerk("csr1", "mia")
    a, b, c = account(4500), account(2000), account(1000, no_checks=True)
    data = _file([(a.number, 4500, "101"), (make_stub_scanline(b.number, 2000), 2000, "102")],
                 extra=(f"{c.number},10.00,103,2026-03-02,B7\n"         # no checks
                        "9999999,12.00,104,2026-03-02,B7\n"             # no such account
                        f"{a.number},abc,105,2026-03-02,B7\n"            # bad amount
                        f"{a.number},7.00,,2026-03-02,B7\n"              # no check number
                        f"{a.number},8.00,106,03/02/2026,B7\n"           # bad date
                        f"{a.number},45.00,101,2026-03-02,B7\n"))        # same payment twice
    res = import_lockbox(db, clerk, "lockbox-0302.csv", data)
    assert not res.duplicate and res.rows == 8
    assert res.posted_cents == 6500 and len(res.receipt_numbers) == 2
    reasons = [e.reason for e in res.exceptions]
    assert len(reasons) == 6
    assert "takes no checks" in reasons[0]
    assert "No account" in reasons[1]
    assert reasons[2].startswith("amount:")
    assert "check number" in reasons[3]
    assert "date" in reasons[4]
    assert "twice" in reasons[5]
    # The total rule: file = posted + exceptions (an unreadable amount counts $0.00).
    assert res.exception_cents == 1000 + 1200 + 700 + 800 + 4500
    assert res.file_cents == res.posted_cents + res.exception_cents
    assert book_total(db, "account", account_id=a.id) == 0
    assert book_total(db, "account", account_id=b.id) == 0
    assert get_batch(db, res.batch_id).kind == "lockbox"
    assert audit.verify(db).ok
    # The batch is approved and deposited like a mail batch.
    approve_batch(db, supervisor, res.batch_id)
    slip = create_deposit(db, supervisor)
    assert slip.check_cents == 6500


def test_a_file_twice_adds_nothing(db: Database, account, make_clerk) -> None:
    clerk = make_clerk("csr1", "mia")
    a = account(4500)
    data = _file([(a.number, 4500, "101")], extra="garbage,,,,\n")
    first = import_lockbox(db, clerk, "f.csv", data)
    before = counts(db) | {"exc": db.scalar("SELECT count(*) FROM lockbox_exceptions")}
    again = import_lockbox(db, clerk, "f-again.csv", data)
    assert again.duplicate and again.file_id == first.file_id
    assert counts(db) | {"exc": db.scalar("SELECT count(*) FROM lockbox_exceptions")} == before
    # The same payment in a different file (another header order) is an exception, not paid
    # twice.
    other = f"batch,date,check,amount,account\nB8,2026-03-02,101,45.00,{a.number}\n".encode()
    res = import_lockbox(db, clerk, "g.csv", other)
    assert res.posted_cents == 0 and res.batch_id is None
    assert "earlier file" in res.exceptions[0].reason
    assert res.file_cents == res.exception_cents == 4500


def test_bad_files_are_refused_whole(db: Database, make_clerk) -> None:
    clerk = make_clerk("csr1", "mia")
    before = counts(db)
    with pytest.raises(ValidationError, match="lacks"):
        import_lockbox(db, clerk, "x.csv", b"acct,amt\n1,2\n")
    with pytest.raises(ValidationError, match="UTF-8"):
        import_lockbox(db, clerk, "x.csv", b"\xff\xfe\x00bad")
    with pytest.raises(ValidationError, match="no payment rows"):
        import_lockbox(db, clerk, "x.csv", b"account,amount,check,date,batch\n")
    assert counts(db) == before


def test_working_the_exceptions_list(db: Database, account, make_clerk) -> None:
    clerk = make_clerk("csr1", "mia")
    a = account(3000)
    data = (b"account,amount,check,date,batch\n"
            b"0000000,30.00,201,2026-03-02,B9\n"   # no such account: a clerk finds it
            b"1111111,5.00,202,2026-03-02,B9\n"    # not ours: returned
            b"[red]x[/red],abc,203,2026-03-02,B9\n")  # markup kept as text
    res = import_lockbox(db, clerk, "e.csv", data)
    assert res.posted_cents == 0 and len(exceptions(db)) == 3
    assert "[red]x[/red]" in res.exceptions[2].raw
    first, second, third = res.exceptions
    with pytest.raises(ValidationError, match="apply that amount"):
        apply_exception(db, clerk, first.id, a.number, amount_cents=100)
    number = apply_exception(db, clerk, first.id, a.number)
    assert number > 0 and book_total(db, "account", account_id=a.id) == 0
    with pytest.raises(StateError, match="already applied"):
        apply_exception(db, clerk, first.id, a.number)
    with pytest.raises(ValidationError):
        return_exception(db, clerk, second.id, "  ")
    return_exception(db, clerk, second.id, "not a city account; check mailed back")
    with pytest.raises(ValidationError, match="Key the check"):
        apply_exception(db, clerk, third.id, a.number)
    assert [e.id for e in exceptions(db)] == [third.id]
    assert audit.verify(db).ok


def test_sandbox_demo_leaves_an_open_batch_one_stub_short(db: Database, account) -> None:
    from clerk_tui.domain import auth
    from clerk_tui.domain.actor import SYSTEM
    from clerk_tui.domain.batches.control import differences
    from clerk_tui.domain.batches.demo import sandbox_builder

    auth.add_clerk(db, SYSTEM, "csr1", "Casey One", "csr1", "2222")
    for n in range(6):
        account(1000 + n)
    before = counts(db)
    bid = sandbox_builder(db, seed=1, accounts=6)
    assert bid is not None
    d = differences(db, bid)
    assert (d.count_diff, d.total_diff) == (-1, -1000)
    assert counts(db)["receipts"] == before["receipts"]
