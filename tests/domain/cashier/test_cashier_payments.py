"""Posting a sale: one transaction, balanced, gapless, idempotent."""

from __future__ import annotations

import pytest

from clerk_tui.db import Database
from clerk_tui.domain import audit, ledger
from clerk_tui.domain.cashier import (
    ItemKind,
    SaleItem,
    Tender,
    begin_balancing,
    last_receipt_for_key,
    new_idempotency_key,
    post_payment,
    quote_item,
    register,
)
from clerk_tui.domain.cashier.items import _KINDS, FeeItem
from clerk_tui.domain.errors import StateError, ValidationError

from .conftest import book_total, counts


def pay(db, actor, items, tenders, key=None, **kw):
    return post_payment(db, actor, key or new_idempotency_key(), items, tenders, **kw)


def test_cash_payment_of_amount_due_with_change(db: Database, account, clerk_with_drawer) -> None:
    clerk = clerk_with_drawer("csr2")
    acct = account(8735)
    q = quote_item(db, "account", acct.number[:7] + "-" + acct.number[7])
    assert q.default_amount_cents == 8735 and q.balance_cents == 8735
    res = pay(db, clerk, [SaleItem("account", acct.number)], [Tender("cash", 10000)])
    r = res.receipt
    assert not res.replayed and res.opens_drawer
    assert r.number == 1 and r.total_cents == 8735 and r.change_cents == 1265
    assert r.clerk == "csr2" and r.workstation == "ws-test" and r.clerk_name == "Test csr2"
    assert r.items[0].reference == f"{acct.number[:7]}-{acct.number[7]}"
    assert r.items[0].new_balance_cents == 0
    assert r.tenders[0].tendered_cents == 10000 and r.tenders[0].amount_cents == 8735
    assert r.void is None and not r.training
    assert ledger.account_balance(db, acct.id) == 0
    entries = db.all("SELECT * FROM ledger_entries WHERE journal_id = ?", [r.journal_id])
    assert sum(e["amount_cents"] for e in entries) == 0
    assert {e["receipt_id"] for e in entries} == {r.id}  # ledger history can show the number
    assert [e["kind"] for e in entries if e["book"] == "account"] == ["payment"]
    assert book_total(db, "drawer", drawer_session_id=r.drawer_session_id) == 8735
    assert audit.verify(db).ok


def test_partial_and_over_payment(db: Database, account, clerk_with_drawer) -> None:
    clerk = clerk_with_drawer()
    acct = account(5000)
    pay(db, clerk, [SaleItem("account", acct.number, 2000)], [Tender("cash", 2000)])
    assert ledger.account_balance(db, acct.id) == 3000
    r = pay(db, clerk, [SaleItem("account", acct.number, 4000)], [Tender("cash", 4000)]).receipt
    assert r.items[0].new_balance_cents == -1000  # a credit
    with pytest.raises(ValidationError, match="nothing is due"):
        pay(db, clerk, [SaleItem("account", acct.number)], [Tender("cash", 100)])


def test_split_tender_fee_and_account(db: Database, account, clerk_with_drawer) -> None:
    clerk = clerk_with_drawer()
    acct = account(10000)
    r = pay(db, clerk, [SaleItem("account", acct.number), SaleItem("fee", "copy", 50)],
            [Tender("check", 6000, number="1234"), Tender("card", 3000, card_last4="4242",
                                                         auth_code="a1b2c3"),
             Tender("cash", 2000)]).receipt
    assert r.total_cents == 10050 and r.change_cents == 950
    assert [t.kind for t in r.tenders] == ["check", "card", "cash"]
    assert r.tenders[1].auth_code == "A1B2C3" and r.tenders[1].card_last4 == "4242"
    assert r.items[1].gl_code == "100-4120" and r.items[1].fund == "100"
    by_tender = {row["tender"]: row["s"] for row in db.all(
        "SELECT tender, sum(amount_cents) s FROM ledger_entries WHERE book = 'drawer' "
        "GROUP BY tender")}
    assert by_tender == {"check": 6000, "card": 3000, "cash": 1050}
    assert book_total(db, "revenue", gl_code="100-4120") == -50


def test_fixed_fee_amount_and_trust_tenders(db: Database, clerk_with_drawer) -> None:
    clerk = clerk_with_drawer()
    with pytest.raises(ValidationError, match="cannot be changed"):
        pay(db, clerk, [SaleItem("fee", "RECONNECT", 100)], [Tender("cash", 100)])
    with pytest.raises(ValidationError, match="not accepted"):
        pay(db, clerk, [SaleItem("fee", "HYDRANT-DEP")], [Tender("cash", 150000)])
    r = pay(db, clerk, [SaleItem("fee", "HYDRANT-DEP")],
            [Tender("money_order", 150000, number="MO-77")]).receipt
    assert book_total(db, "trust") == -150000 and r.total_cents == 150000


def test_no_payment_without_open_drawer(db: Database, account, make_clerk,
                                        clerk_with_drawer) -> None:
    acct = account(1000)
    nobody = make_clerk("csr1")
    with pytest.raises(StateError, match="Open your drawer"):
        pay(db, nobody, [SaleItem("account", acct.number)], [Tender("cash", 1000)])
    clerk = clerk_with_drawer("csr2")
    begin_balancing(db, clerk)
    with pytest.raises(StateError, match="being balanced"):
        pay(db, clerk, [SaleItem("account", acct.number)], [Tender("cash", 1000)])


def test_bad_account_number_refused(db: Database, account, clerk_with_drawer) -> None:
    clerk = clerk_with_drawer()
    acct = account(1000)
    wrong = acct.number[:7] + str((int(acct.number[7]) + 1) % 10)
    with pytest.raises(ValidationError, match="check digit"):
        pay(db, clerk, [SaleItem("account", wrong)], [Tender("cash", 1000)])


def test_idempotent_resubmission(db: Database, account, clerk_with_drawer) -> None:
    clerk = clerk_with_drawer()
    acct = account(2500)
    key = new_idempotency_key()
    assert last_receipt_for_key(db, key) is None
    first = pay(db, clerk, [SaleItem("account", acct.number)], [Tender("cash", 3000)], key=key)
    before = counts(db)
    again = pay(db, clerk, [SaleItem("account", acct.number)], [Tender("cash", 3000)], key=key)
    assert again.replayed and not again.opens_drawer
    assert again.receipt == first.receipt
    assert counts(db) == before
    assert ledger.account_balance(db, acct.id) == 0
    assert last_receipt_for_key(db, key).number == first.receipt.number


class _Exploding(FeeItem):
    """A kind that fails after the journal, receipt and items are written."""

    code = "exploding"

    def after_post(self, db, actor, quote, amount_cents, receipt_id) -> None:
        raise RuntimeError("boom")


def test_nothing_half_written_when_a_late_step_raises(db: Database, account,
                                                      clerk_with_drawer) -> None:
    clerk = clerk_with_drawer()
    acct = account(4000)
    pay(db, clerk, [SaleItem("account", acct.number, 1000)], [Tender("cash", 1000)])
    register(_Exploding())
    try:
        before = counts(db)
        with pytest.raises(RuntimeError, match="boom"):
            pay(db, clerk, [SaleItem("account", acct.number, 1000),
                            SaleItem("exploding", "COPY", 10)], [Tender("cash", 2000)])
        assert counts(db) == before
    finally:
        _KINDS.pop("exploding")
    # a table that refuses the insert (the last write before the audit row)
    with db.write():
        db.execute("CREATE TRIGGER refuse_tenders BEFORE INSERT ON tenders "
                   "BEGIN SELECT RAISE(ABORT, 'tenders refused'); END")
    with pytest.raises(Exception, match="tenders refused"):
        pay(db, clerk, [SaleItem("account", acct.number, 1000)], [Tender("cash", 1000)])
    assert counts(db) == before
    assert ledger.account_balance(db, acct.id) == 3000
    with db.write():
        db.execute("DROP TRIGGER refuse_tenders")
    r = pay(db, clerk, [SaleItem("account", acct.number, 1000)], [Tender("cash", 1000)]).receipt
    assert r.number == 2  # the numbers of the failed attempts were given back
    assert audit.verify(db).ok


def test_unknown_item_kind_writes_nothing(db: Database, clerk_with_drawer) -> None:
    clerk = clerk_with_drawer()
    before = counts(db)
    with pytest.raises(ValidationError, match="Unknown item kind"):
        pay(db, clerk, [SaleItem("fee", "COPY", 10), SaleItem("nope", "x", 10)],
            [Tender("cash", 20)])
    assert counts(db) == before


def test_closed_business_day_refuses_postings(db: Database, account, clerk_with_drawer) -> None:
    clerk = clerk_with_drawer()
    acct = account(1000)
    with db.write():
        db.execute("INSERT INTO closed_business_days VALUES ('2026-03-02', 'x', 'sup')")
    before = counts(db)
    with pytest.raises(StateError, match="closed"):
        pay(db, clerk, [SaleItem("account", acct.number)], [Tender("cash", 1000)])
    assert counts(db) == before
    # the database itself refuses, whatever the domain checks
    with pytest.raises(Exception, match="business day is closed"), db.write():
        ledger.post(db, clerk, "x", [ledger.Entry("revenue", "x", 1),
                                     ledger.Entry("revenue", "x", -1)])


class _Citation(ItemKind):
    code = "citation_test"
    label = "Citation"

    def quote(self, db, reference, on):
        from clerk_tui.domain.cashier import ItemQuote
        return ItemQuote(self.code, reference.upper(), f"Citation {reference.upper()}", 5500,
                         "230", "230-4150", "revenue")


def test_a_new_item_kind_plugs_in(db: Database, clerk_with_drawer) -> None:
    register(_Citation())
    try:
        clerk = clerk_with_drawer()
        r = pay(db, clerk, [SaleItem("citation_test", "pk123")], [Tender("cash", 6000)]).receipt
        assert r.items[0].reference == "PK123" and r.change_cents == 500
    finally:
        _KINDS.pop("citation_test")


def test_no_state_department_money_is_a_drawer_item() -> None:
    """The applicant's check to the Department of State is recorded with the passport
    application, never sold as a fee: it is not the city's money (DESIGN.md)."""
    from clerk_tui.domain.fees import fee_schedule

    for fee in fee_schedule().fees:
        text = f"{fee.code} {fee.description} {fee.fund}".lower()
        assert "state" not in text and "trust-dos" not in text, fee
