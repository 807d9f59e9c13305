"""Misapplied payments: one balanced journal moves an item (or suspense money) where it
belongs; balances, citations, role limits and the original receipt all stay right."""

from __future__ import annotations

import pytest

from clerk_tui.db import Database, IntegrityError
from clerk_tui.domain import audit, ledger
from clerk_tui.domain.cashier import (
    DrawerCount,
    SaleItem,
    Tender,
    approve_session,
    get_receipt,
    new_idempotency_key,
    post_payment,
    reverse_receipt,
    submit_count,
    void_receipt,
)
from clerk_tui.domain.citations import store
from clerk_tui.domain.errors import (
    NotFound,
    OverrideRequired,
    PermissionDenied,
    StateError,
    ValidationError,
)
from clerk_tui.domain.office import transfers
from tests.domain.citations.conftest import keyed
from tests.domain.office.conftest import approve, book_total

SUSPENSE = "100-2090-UNAPPLIED"


def _pay(db, clerk, *items: SaleItem, cash: int):
    return post_payment(db, clerk, new_idempotency_key(), list(items),
                        [Tender("cash", cash)]).receipt


def _balanced(db: Database) -> None:
    bad = db.all("SELECT journal_id, sum(amount_cents) AS s FROM ledger_entries "
                 "GROUP BY journal_id HAVING s <> 0")
    assert bad == []


def test_item_moves_to_the_right_account(db, account, clerk_with_drawer, supervisor) -> None:
    clerk = clerk_with_drawer("csr2")
    wrong, right = account(4000), account(4000)
    r = _pay(db, clerk, SaleItem("account", wrong.number, 4000), cash=4000)
    assert ledger.account_balance(db, wrong.id) == 0
    drawer_before = book_total(db, "drawer")
    with pytest.raises(OverrideRequired):
        transfers.transfer_items(db, clerk, r.number, [1], "account", right.number, "typo")
    ov = approve(db, clerk, supervisor, "payment.transfer")
    [t] = transfers.transfer_items(db, clerk, r.number, [1], "account", right.number,
                                   "keyed the neighbour's account", override=ov)
    assert t.override_by == "sup" and t.amount_cents == 4000
    assert ledger.account_balance(db, wrong.id) == 4000  # owes again
    assert ledger.account_balance(db, right.id) == 0  # paid
    assert book_total(db, "drawer") == drawer_before  # the drawer is untouched
    _balanced(db)
    # one journal: reversal where it was (pointing at the original), application, both on
    # the original receipt; the transfers row points at each
    entries = db.all("SELECT * FROM ledger_entries WHERE journal_id = ? ORDER BY id",
                     [t.journal_id])
    row = db.one("SELECT * FROM payment_transfers WHERE id = ?", [t.id])
    orig = db.one("SELECT * FROM ledger_entries WHERE journal_id = ? AND book = 'account'",
                  [r.journal_id])
    assert [e["id"] for e in entries] == [row["reversing_entry_id"], row["applied_entry_id"]]
    assert entries[0]["reverses_entry_id"] == orig["id"] == row["reversed_entry_id"]
    assert {e["receipt_id"] for e in entries} == {r.id}
    assert db.scalar("SELECT reverses_journal_id FROM journals WHERE id = ?",
                     [t.journal_id]) == r.journal_id
    # the original receipt stands, unvoided, and now cannot be voided twice over
    assert get_receipt(db, r.number).void is None
    with pytest.raises(StateError, match="transferred"):
        void_receipt(db, clerk, r.number, "KEY", "x")
    with pytest.raises(StateError, match="transferred already"):
        transfers.transfer_items(db, supervisor, r.number, [1], "account", wrong.number, "back")
    assert [x.id for x in transfers.transfers_for(db, r.number)] == [t.id]
    notice = transfers.transfer_notice([t])
    assert "TRANSFER NOTICE" in notice and f"Receipt {r.number}" in notice
    assert right.number[:7] in notice and "approved by sup" in notice
    assert max(len(line) for line in notice.splitlines()) <= 78
    assert db.one("SELECT * FROM audit_log WHERE action = 'payment.transfer'")["override_by"] \
        == "sup"
    assert audit.verify(db).ok


def test_citation_paid_by_mistake_moves_to_the_account(db, account, clerk_with_drawer,
                                                      supervisor) -> None:
    clerk = clerk_with_drawer("csr2")
    acct = account(3000)
    cit = keyed(db, clerk, 41, issued="2026-02-25 10:00")
    due = store.get_citation(db, cit).due.due_cents
    r = _pay(db, clerk, SaleItem("citation", cit, None), cash=due)
    assert store.get_citation(db, cit).due.due_cents == 0
    [t] = transfers.transfer_items(db, supervisor, r.number, None, "account", acct.number,
                                   "meant for the water bill")
    # the citation's hook ran: it owes its fine again; the account got the money
    assert store.get_citation(db, cit).due.due_cents == due
    assert ledger.account_balance(db, acct.id) == 3000 - due
    _balanced(db)
    assert t.from_kind == "citation"


def test_account_payment_moves_to_a_citation(db, account, clerk_with_drawer,
                                             supervisor) -> None:
    clerk = clerk_with_drawer("csr2")
    acct = account(0)
    cit = keyed(db, clerk, 42, issued="2026-02-25 10:00")
    due = store.get_citation(db, cit).due.due_cents
    r = _pay(db, clerk, SaleItem("account", acct.number, due), cash=due)
    assert ledger.account_balance(db, acct.id) == -due  # a credit, misapplied
    transfers.transfer_items(db, supervisor, r.number, [1], "citation", cit, "was the ticket")
    assert ledger.account_balance(db, acct.id) == 0
    assert store.get_citation(db, cit).due.due_cents == 0  # marked paid by after_post
    _balanced(db)


def test_one_item_of_a_two_item_receipt(db, account, clerk_with_drawer, supervisor) -> None:
    clerk = clerk_with_drawer("csr2")
    a, b, c = account(1000), account(2000), account(2000)
    r = _pay(db, clerk, SaleItem("account", a.number, 1000),
             SaleItem("account", b.number, 2000), cash=3000)
    transfers.transfer_items(db, supervisor, r.number, [2], "account", c.number, "wrong one")
    assert [ledger.account_balance(db, x.id) for x in (a, b, c)] == [0, 2000, 0]
    state = transfers.receipt_state(db, r.number)
    assert [i.transferred_to for i in state.items] == ["", f"account {c.number[:7]}-{c.number[7]}"]
    _balanced(db)


def test_bad_requests_change_nothing(db, account, clerk_with_drawer, supervisor,
                                     make_clerk) -> None:
    clerk = clerk_with_drawer("csr2")
    a, b = account(1000), account(0)
    r = _pay(db, clerk, SaleItem("account", a.number, 1000), cash=1000)
    n = db.scalar("SELECT count(*) FROM journals")
    with pytest.raises(ValidationError, match="Reason"):
        transfers.transfer_items(db, supervisor, r.number, [1], "account", b.number, " ")
    with pytest.raises(ValidationError, match="no item 3"):
        transfers.transfer_items(db, supervisor, r.number, [3], "account", b.number, "x")
    with pytest.raises(ValidationError, match="already on"):
        transfers.transfer_items(db, supervisor, r.number, [1], "account", a.number, "x")
    with pytest.raises(NotFound):  # said before any supervisor is asked to approve (csr2)
        transfers.transfer_items(db, clerk, r.number, [1], "account", "99999997", "x")
    with pytest.raises(ValidationError, match="moves to an account"):
        transfers.transfer_items(db, clerk, r.number, [1], "fee", "NSF1", "x")
    with pytest.raises(PermissionDenied):
        transfers.transfer_items(db, make_clerk("csr1"), r.number, [1], "account", b.number,
                                 "x")
    with pytest.raises(StateError, match="no money in suspense"):
        transfers.apply_suspense(db, supervisor, r.number, "account", b.number, "x")
    assert db.scalar("SELECT count(*) FROM journals") == n
    assert db.scalar("SELECT count(*) FROM payment_transfers") == 0


def _closed_and_reversed(db, account, clerk_with_drawer, supervisor):
    clerk = clerk_with_drawer("csr2")
    wrong = account(4000)
    r = _pay(db, clerk, SaleItem("account", wrong.number, 4000), cash=4000)
    res = submit_count(db, clerk, DrawerCount({"hundreds": 1, "fifties": 1, "twenties": 2}))
    assert res.over_short_cents == 0
    approve_session(db, supervisor, r.drawer_session_id)
    reverse_receipt(db, supervisor, r.number, "misapplied", "wrong account")
    return clerk, wrong, r


def test_from_suspense(db, account, clerk_with_drawer, supervisor) -> None:
    clerk, wrong, r = _closed_and_reversed(db, account, clerk_with_drawer, supervisor)
    right = account(4000)
    assert book_total(db, "clearing", gl_code=SUSPENSE) == -4000
    with pytest.raises(StateError, match="suspense instead"):
        transfers.transfer_items(db, supervisor, r.number, None, "account", right.number, "x")
    state = transfers.receipt_state(db, r.number)
    assert state.undone == "reversal" and state.suspense_cents == 4000
    ov = approve(db, clerk, supervisor, "payment.transfer")
    t = transfers.apply_suspense(db, clerk, r.number, "account", right.number,
                                 "found the right account", override=ov)
    assert t.source == "suspense" and t.amount_cents == 4000
    assert book_total(db, "clearing", gl_code=SUSPENSE) == 0
    assert ledger.account_balance(db, right.id) == 0
    assert ledger.account_balance(db, wrong.id) == 4000
    entries = db.all("SELECT * FROM ledger_entries WHERE journal_id = ? ORDER BY id",
                     [t.journal_id])
    assert entries[0]["reverses_entry_id"] is not None and entries[0]["gl_code"] == SUSPENSE
    _balanced(db)
    with pytest.raises(StateError, match="applied already"):
        transfers.apply_suspense(db, supervisor, r.number, "account", wrong.number, "again")
    assert transfers.receipt_state(db, r.number).suspense_applied.startswith("account")
    assert audit.verify(db).ok


def test_transfers_are_append_only(db, account, clerk_with_drawer, supervisor) -> None:
    clerk = clerk_with_drawer("csr2")
    a, b = account(1000), account(0)
    r = _pay(db, clerk, SaleItem("account", a.number, 1000), cash=1000)
    transfers.transfer_items(db, supervisor, r.number, [1], "account", b.number, "x")
    for sql in ("UPDATE payment_transfers SET amount_cents = 1",
                "DELETE FROM payment_transfers",
                "INSERT OR REPLACE INTO payment_transfers SELECT * FROM payment_transfers"):
        with pytest.raises(IntegrityError), db.write():
            db.execute(sql)


def test_license_tax_both_ways(db, account, clerk_with_drawer, supervisor) -> None:
    from clerk_tui.domain.cashier import quote_item
    from clerk_tui.domain.licenses import records as lrecords
    from clerk_tui.domain.licenses.items import sale_items
    from tests.domain.licenses.test_records import restaurant

    clerk = clerk_with_drawer("csr2")
    lic = lrecords.apply(db, clerk, restaurant())
    tax = next(i for i in sale_items(db, lic.number) if i.reference.endswith("-TAX"))
    amount = quote_item(db, "license", tax.reference).default_amount_cents
    due = lrecords.get_license(db, lic.number).total_due_cents
    acct = account(0)
    # paid to the water account by mistake: moved onto the license's tax
    r = _pay(db, clerk, SaleItem("account", acct.number, amount), cash=amount)
    transfers.transfer_items(db, supervisor, r.number, [1], "license", tax.reference, "tax")
    assert lrecords.get_license(db, lic.number).total_due_cents == due - amount
    assert ledger.account_balance(db, acct.id) == 0
    _balanced(db)
    # and a license payment meant for the account goes back the other way: owed again
    acct2 = account(amount)
    r2 = _pay(db, clerk, *sale_items(db, lic.number), cash=due - amount)
    assert lrecords.get_license(db, lic.number).total_due_cents == 0
    line = next(i.line for i in get_receipt(db, r2.number).items
                if i.kind == "license" and not i.reference.endswith("-TAX"))
    moved = db.scalar("SELECT amount_cents FROM receipt_items WHERE receipt_id = ? AND line = ?",
                      [r2.id, line])
    transfers.transfer_items(db, supervisor, r2.number, [line], "account", acct2.number, "x")
    assert lrecords.get_license(db, lic.number).total_due_cents == moved
    assert ledger.account_balance(db, acct2.id) == amount - moved
    _balanced(db)
    assert audit.verify(db).ok
