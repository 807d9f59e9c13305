"""Double-entry postings: every journal's entries sum to zero, or nothing is written.

This is the only place journal and ledger rows are inserted, so the balancing rule is checked
once for every kind of posting (receipts, bills, adjustments, reversals, voids).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from clerk_tui.db import Database
from clerk_tui.domain import clock
from clerk_tui.domain.actor import Actor

BOOKS = ("account", "drawer", "revenue", "trust", "clearing")


@dataclass(frozen=True)
class Entry:
    book: str
    kind: str
    amount_cents: int
    account_id: int | None = None
    drawer_session_id: int | None = None
    receipt_id: int | None = None
    fund: str = ""
    gl_code: str = ""
    tender: str | None = None
    reverses_entry_id: int | None = None
    memo: str = ""


@dataclass(frozen=True)
class Posted:
    journal_id: int
    entry_ids: list[int] = field(default_factory=list)


class UnbalancedJournal(Exception):
    """A programming error: a posting that does not sum to zero must never be written."""


def post(db: Database, actor: Actor, kind: str, entries: Sequence[Entry], *,
         business_date: str | None = None, memo: str = "",
         reverses_journal_id: int | None = None,
         attach_receipt: Callable[[int], int] | None = None) -> Posted:
    """Write one balanced journal.

    `attach_receipt(journal_id) -> receipt_id` is for the cashier: a receipt row points at its
    journal and the journal's entries point at the receipt, so the receipt is inserted between
    the two (foreign keys are checked at once) and its id is set on entries that have none.
    """
    if not db.in_write:
        raise RuntimeError("ledger.post must run inside db.write()")
    if not entries:
        raise UnbalancedJournal("a journal needs entries")
    for e in entries:
        if e.book not in BOOKS:
            raise UnbalancedJournal(f"unknown book {e.book!r}")
        if not isinstance(e.amount_cents, int) or isinstance(e.amount_cents, bool):
            raise UnbalancedJournal("amounts are integer cents")
    total = sum(e.amount_cents for e in entries)
    if total != 0:
        raise UnbalancedJournal(f"journal {kind!r} is off by {total} cents")
    journal_id = db.insert("journals", {
        "kind": kind,
        "business_date": business_date or clock.today().isoformat(),
        "posted_at": clock.stamp(),
        "clerk": actor.username,
        "workstation": actor.workstation,
        "memo": memo,
        "reverses_journal_id": reverses_journal_id,
    })
    receipt_id = attach_receipt(journal_id) if attach_receipt else None
    ids = []
    for e in entries:
        ids.append(db.insert("ledger_entries", {
            "journal_id": journal_id, "book": e.book, "kind": e.kind,
            "amount_cents": e.amount_cents, "account_id": e.account_id,
            "drawer_session_id": e.drawer_session_id,
            "receipt_id": e.receipt_id if e.receipt_id is not None else receipt_id,
            "fund": e.fund, "gl_code": e.gl_code, "tender": e.tender,
            "reverses_entry_id": e.reverses_entry_id, "memo": e.memo,
        }))
    return Posted(journal_id, ids)


def reverse(db: Database, actor: Actor, journal_id: int, kind: str, *,
            business_date: str | None = None, memo: str = "",
            drawer_session_id: int | None = None) -> Posted:
    """Post the mirror image of a journal, each entry pointing at the one it reverses.

    `drawer_session_id`, when given, moves the drawer side into that (current) session: money
    handed back today leaves today's drawer, not the one it came into.
    """
    rows = db.all("SELECT * FROM ledger_entries WHERE journal_id = ? ORDER BY id", [journal_id])
    if not rows:
        raise ValueError(f"journal {journal_id} has no entries")
    entries = []
    for r in rows:
        session = r["drawer_session_id"]
        if r["book"] == "drawer" and drawer_session_id is not None:
            session = drawer_session_id
        entries.append(Entry(
            book=r["book"], kind=kind, amount_cents=-r["amount_cents"],
            account_id=r["account_id"], drawer_session_id=session, receipt_id=r["receipt_id"],
            fund=r["fund"], gl_code=r["gl_code"], tender=r["tender"],
            reverses_entry_id=r["id"], memo=memo,
        ))
    return post(db, actor, kind, entries, business_date=business_date, memo=memo,
                reverses_journal_id=journal_id)


def account_balance(db: Database, account_id: int) -> int:
    """What the customer owes (negative = credit): the sum of the account's entries."""
    return int(db.scalar(
        "SELECT coalesce(sum(amount_cents), 0) FROM ledger_entries "
        "WHERE book = 'account' AND account_id = ?", [account_id]) or 0)
