"""Deposit refunds from the desk: the refund (a credit) and its `deposit_refund` letter commit
together; a batch with one deposit no longer eligible refunds none; a CSR I may not refund."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

import pytest

from clerk_tui.db import Database
from clerk_tui.domain import audit, clock, ledger
from clerk_tui.domain.account_numbers import format_number
from clerk_tui.domain.actor import Actor
from clerk_tui.domain.errors import PermissionDenied, StateError
from clerk_tui.domain.utility import deposits, letters, service
from tests.domain.utility.collections_support import bill, pay

NOW = dt.datetime(2026, 6, 15, 10, 0)


@pytest.fixture(autouse=True)
def _clock() -> Iterator[None]:
    with clock.frozen(NOW):
        yield


def deposit_due_back(db: Database, actor: Actor, name: str, address: str, *,
                     late_month: str | None = None) -> deposits.Deposit:
    """A commercial account opened 2025-01-02 (deposit charged and paid), then 13 monthly bills
    paid by their due date — except the one of `late_month` (YYYY-MM), paid late."""
    clock.set_fixed(dt.datetime(2025, 1, 2, 9, 0))
    opened = service.open_service(db, actor, name=name, service_address=address,
                                  rate_class="commercial", requested_on="2025-01-02")
    clock.set_fixed(NOW)
    db.execute("UPDATE accounts SET status = 'active' WHERE id = ?", [opened.account.id])
    dep = opened.deposit
    assert dep is not None and dep.amount_cents > 0
    pay(db, dep.account_id, dep.amount_cents, "2025-01-05")
    for ym in [f"2025-{m:02d}" for m in range(2, 13)] + ["2026-01", "2026-02"]:
        bill(db, dep.account_id, 8_000, f"{ym}-01", f"{ym}-21")
        pay(db, dep.account_id, 8_000, f"{ym}-{25 if ym == late_month else 15}")
    return dep


@pytest.fixture
def csr2(make_clerk: Callable[..., Actor]) -> Actor:
    return make_clerk("csr2")


def test_refund_credits_the_account_and_logs_the_letter(db: Database, csr2: Actor) -> None:
    dep = deposit_due_back(db, csr2, "Shop [bold]Inc[/]", "9 Mill St")
    (cand,) = deposits.deposit_refund_candidates(db)
    assert (cand.deposit_id, cand.on_time_bills) == (dep.id, 13)
    before = ledger.account_balance(db, dep.account_id)
    assert before == 0

    (done,) = letters.refund_deposits(db, csr2, [dep.id])
    assert deposits.get_deposit(db, dep.id).status == "refunded"
    assert ledger.account_balance(db, dep.account_id) == -dep.amount_cents
    assert done.on_time_bills == 13 and done.amount_cents == dep.amount_cents
    (letter,) = letters.letters_for(db, dep.account_id)
    assert letter.id == done.letter.id and letter.kind == "deposit_refund"
    assert letter.delivered == ""  # waits in the mailing queue
    amount = f"${dep.amount_cents // 100:,}.{dep.amount_cents % 100:02d}"
    assert f"Refunded to you:          {amount}" in letter.body
    assert "Shop [bold]Inc[/]" in letter.body  # the name as typed
    actions = [r["action"] for r in db.all(
        "SELECT action FROM audit_log ORDER BY seq DESC LIMIT 2")]
    assert actions == ["letter.issue", "deposit.refund"]
    assert audit.verify(db).ok
    assert [q.letter.id for q in letters.undelivered_letters(db)] == [letter.id]
    report = letters.format_deposit_refunds([done])
    assert "1 deposit(s)" in report and done.account_number in report
    assert deposits.deposit_refund_candidates(db) == []


def test_a_batch_with_one_ineligible_deposit_refunds_none(db: Database, csr2: Actor) -> None:
    good = deposit_due_back(db, csr2, "Good Payer", "1 Prompt Pl")
    late = deposit_due_back(db, csr2, "Late Payer", "2 Tardy Tr", late_month="2026-01")
    assert [c.deposit_id for c in deposits.deposit_refund_candidates(db)] == [good.id]
    seq = db.scalar("SELECT max(seq) FROM audit_log")
    with pytest.raises(StateError, match="Not yet: 1 of 12") as refused:
        letters.refund_deposits(db, csr2, [good.id, late.id])
    number = db.scalar("SELECT number FROM accounts WHERE id = ?", [late.account_id])
    assert str(refused.value).startswith(f"Account {format_number(number)}: ")
    assert deposits.get_deposit(db, good.id).status == "billed"
    assert ledger.account_balance(db, good.account_id) == 0
    assert db.scalar("SELECT count(*) FROM letters") == 0
    assert db.scalar("SELECT max(seq) FROM audit_log") == seq
    # All eligible ones at once: one transaction, one letter each.
    other = deposit_due_back(db, csr2, "Also Good", "3 Prompt Pl")
    done = letters.refund_deposits(db, csr2, [good.id, other.id])
    assert [d.deposit_id for d in done] == [good.id, other.id]
    assert db.scalar("SELECT count(*) FROM letters WHERE kind = 'deposit_refund'") == 2


def test_csr1_may_not_refund(db: Database, csr2: Actor,
                             make_clerk: Callable[..., Actor]) -> None:
    dep = deposit_due_back(db, csr2, "Shop Inc", "9 Mill St")
    with pytest.raises(PermissionDenied):
        letters.refund_deposits(db, make_clerk("csr1"), [dep.id])
    assert deposits.get_deposit(db, dep.id).status == "billed"
    assert db.scalar("SELECT count(*) FROM letters") == 0
