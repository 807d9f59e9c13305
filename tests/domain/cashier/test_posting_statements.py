"""What a payment costs in SQL, counted (not timed) on a real database file, and that the
receipt built from memory is the receipt a reprint reads back.

Issue 12: a payment sent 41 statements to SQLite (the duplicate-submit check twice, the
balance twice, the counter read back after its bump, the receipt read back with 4 queries, 2
queries for the database kind, a PRAGMA and a read-back per digested row); the raw floor
(bench/posting.py) sends 11. The count is asserted so it cannot grow back unnoticed.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from clerk_tui.db import Database
from clerk_tui.domain import audit, auth, ledger
from clerk_tui.domain.actor import SYSTEM
from clerk_tui.domain.cashier import (
    SaleItem,
    Tender,
    get_receipt,
    new_idempotency_key,
    post_payment,
    register,
)
from clerk_tui.domain.cashier.items import _KINDS, AccountItem, FeeItem
from clerk_tui.domain.errors import StateError

# Statements one account payment in cash sends (the quote's read, then under the write lock:
# BEGIN, the preconditions, the counter, journal, receipt, two ledger entries, the balance
# after posting, item, tender, the last audit row, the money rows to digest, the audit row,
# its counter, COMMIT). Raise it only with a reason in bench/RESULTS.md.
MAX_STATEMENTS = 16
MAX_UNDER_LOCK = 15  # BEGIN … COMMIT included


@contextmanager
def traced(db: Database) -> Iterator[list[tuple[str, str]]]:
    """Every statement either connection of `db` runs, as (connection, SQL).

    SQLite reports a trigger's or a PRAGMA function's sub-program with its parent's text
    again (or `-- …`): those are the same statement, so a repeat of the previous entry on the
    same connection, and `--` entries, are not counted."""
    seen: list[tuple[str, str]] = []
    reader = db._read_conn()  # opened now, so its statements are traced too

    def on(conn: str):
        def add(sql: str) -> None:
            if sql.lstrip().startswith("--"):
                return
            last = next((s for c, s in reversed(seen) if c == conn), None)
            if sql != last:
                seen.append((conn, sql))
        return add

    db.conn.set_trace_callback(on("write"))
    reader.set_trace_callback(on("read"))
    try:
        yield seen
    finally:
        db.conn.set_trace_callback(None)
        reader.set_trace_callback(None)


def _pay(db, actor, number: str, amount: int | None = None):
    return post_payment(db, actor, new_idempotency_key(), [SaleItem("account", number, amount)],
                        [Tender("cash", 5000)])


def test_statements_per_payment(db: Database, account, clerk_with_drawer) -> None:
    clerk = clerk_with_drawer()
    accts = [account(4210) for _ in range(3)]
    _pay(db, clerk, accts[0].number)  # first payment: the connection's one-time set-up
    with traced(db) as seen:
        r = _pay(db, clerk, accts[1].number).receipt
    sql = [s for _, s in seen]
    assert r.total_cents == 4210 and r.items[0].new_balance_cents == 0
    begin = sql.index("BEGIN IMMEDIATE")
    assert sql[-1] == "COMMIT"
    under_lock = sql[begin:]
    assert len(sql) <= MAX_STATEMENTS, "\n".join(sql)
    assert len(under_lock) <= MAX_UNDER_LOCK, "\n".join(under_lock)
    # what the issue found, one by one
    assert sum("idempotency_key =" in s for s in sql) == 1  # the duplicate-submit check once
    assert sum("sum(" in s for s in under_lock) == 1  # the balance, once, under the lock
    assert not any(s.startswith("SELECT value FROM counters") for s in sql)  # RETURNING
    assert not any("FROM receipt_items WHERE receipt_id" in s for s in sql)  # not read back
    assert not any("meta" in s for s in sql)  # the database kind, remembered
    assert not any(s.startswith("PRAGMA") for s in sql)
    assert audit.verify(db).ok


def test_the_receipt_built_in_memory_is_the_stored_receipt(db: Database, account,
                                                            clerk_with_drawer) -> None:
    clerk = clerk_with_drawer()
    a, b = account(10000), account(2500)
    r = post_payment(db, clerk, new_idempotency_key(),
                     [SaleItem("account", a.number), SaleItem("fee", "copy", 50),
                      SaleItem("account", b.number, 1000)],
                     [Tender("check", 6000, number="1234"),
                      Tender("card", 3000, card_last4="4242", auth_code="a1b2c3"),
                      Tender("cash", 5000)], payer="Pat <b>Example</b>").receipt
    stored = get_receipt(db, r.number)
    assert r == stored
    assert r.clerk_name == auth.get_clerk(db, clerk.username).full_name
    assert [i.new_balance_cents for i in r.items] == [0, None, 1500]
    assert r.change_cents == 2950 and r.opens_drawer and not r.training


class _RacedAccount(AccountItem):
    """An account payment whose account another clerk pays in the moment between pricing
    and the write lock: the quote is real, then a second connection (another process's
    view of the same file) posts a payment to the same account."""

    code = "raced_account"
    other: Database | None = None

    def quote(self, db, reference, on):
        q = super().quote(db, reference, on)
        other = self.other
        assert other is not None
        with other.write():
            ledger.post(other, SYSTEM, "payment", [
                ledger.Entry(book="account", kind="payment", amount_cents=-1000,
                             account_id=q.account_id),
                ledger.Entry(book="revenue", kind="payment", amount_cents=1000)])
            audit.record(other, SYSTEM, "test.race", f"account:{q.account_id}")
        return q


@pytest.fixture
def raced(db: Database) -> Iterator[_RacedAccount]:
    kind = _RacedAccount()
    kind.other = Database.open(db.path)
    register(kind)
    try:
        yield kind
    finally:
        _KINDS.pop(kind.code)
        kind.other.close()


def test_an_amount_due_that_changed_before_the_lock_is_not_charged(
        db: Database, account, clerk_with_drawer, raced: _RacedAccount) -> None:
    clerk = clerk_with_drawer()
    acct = account(4210)
    number_before = db.scalar("SELECT value FROM counters WHERE name = 'receipt_number'")
    with pytest.raises(StateError, match="amount due changed"):
        post_payment(db, clerk, new_idempotency_key(), [SaleItem(raced.code, acct.number)],
                     [Tender("cash", 5000)])
    # nothing of the payment was written (only the other clerk's payment), no number used
    assert db.scalar("SELECT value FROM counters WHERE name = 'receipt_number'") == number_before
    assert ledger.account_balance(db, acct.id) == 4210 - 1000
    # an amount the clerk typed is taken as typed; the receipt prints the true new balance
    r = post_payment(db, clerk, new_idempotency_key(), [SaleItem(raced.code, acct.number, 500)],
                     [Tender("cash", 500)]).receipt
    assert r.items[0].new_balance_cents == 4210 - 1000 - 1000 - 500
    assert r.number == number_before + 1  # the refused attempt gave its number back
    assert audit.verify(db).ok


class _CountedFee(FeeItem):
    """A fee kind that says its quote may change under load (the default for a kind), and
    counts its quotes."""

    code = "counted_fee"
    priced_before_lock = False
    quotes = 0

    def quote(self, db, reference, on):
        type(self).quotes += 1
        return super().quote(db, reference, on)


def test_a_kind_not_priced_before_the_lock_is_priced_again_under_it(
        db: Database, clerk_with_drawer) -> None:
    """A citation or a permit can be paid only once: its quote's refusals must see every
    posting, so such a sale is priced again inside the write (as every sale was before)."""
    clerk = clerk_with_drawer()
    register(_CountedFee())
    try:
        r = post_payment(db, clerk, new_idempotency_key(), [SaleItem("counted_fee", "COPY", 10)],
                         [Tender("cash", 10)]).receipt
        assert _CountedFee.quotes == 2 and r.total_cents == 10
        assert get_receipt(db, r.number) == r
    finally:
        _KINDS.pop("counted_fee")
    assert FeeItem.priced_before_lock and AccountItem.priced_before_lock
