"""Void, reversal and NSF return leave every balance exactly restored (plus the NSF fee)."""

from __future__ import annotations

import pytest

from clerk_tui.db import Database
from clerk_tui.domain import audit, ledger
from clerk_tui.domain.cashier import (
    CountedItem,
    DrawerCount,
    SaleItem,
    Tender,
    approve_session,
    cashier_rules,
    get_receipt,
    new_idempotency_key,
    nsf_return,
    post_payment,
    register,
    reverse_receipt,
    submit_count,
    void_receipt,
)
from clerk_tui.domain.cashier.items import _KINDS, FeeItem
from clerk_tui.domain.errors import OverrideRequired, PermissionDenied, StateError, ValidationError

from .conftest import approve, book_total, counts


def pay(db, actor, acct, cents, tender=None):
    return post_payment(db, actor, new_idempotency_key(), [SaleItem("account", acct.number,
                                                                    cents)],
                        [tender or Tender("cash", cents)]).receipt


def snapshot(db: Database, acct) -> dict[str, int]:
    return {"account": ledger.account_balance(db, acct.id),
            "drawer": book_total(db, "drawer"), "revenue": book_total(db, "revenue"),
            "clearing": book_total(db, "clearing")}


def test_void_restores_balances_and_keeps_the_number(db: Database, account,
                                                     clerk_with_drawer) -> None:
    clerk = clerk_with_drawer("csr2")
    acct = account(9000)
    before = snapshot(db, acct)
    r = pay(db, clerk, acct, 9000)
    assert ledger.account_balance(db, acct.id) == 0
    res = void_receipt(db, clerk, r.number, "key", "wrong account")
    assert snapshot(db, acct) == before
    assert db.scalar("SELECT count(*) FROM ledger_entries WHERE receipt_id = ?", [r.id]) == 4
    assert res.receipt.number == r.number and res.receipt.void.kind == "void"
    assert res.receipt.void.reason_code == "KEY" and res.override_by is None
    assert get_receipt(db, r.number).voided
    with pytest.raises(StateError, match="already voided"):
        void_receipt(db, clerk, r.number, "KEY")
    with pytest.raises(ValidationError, match="reason code"):
        void_receipt(db, clerk, r.number, "WHIM")
    assert pay(db, clerk, acct, 100).number == r.number + 1
    assert audit.verify(db).ok


def test_csr1_void_needs_supervisor(db: Database, account, clerk_with_drawer,
                                    supervisor) -> None:
    clerk = clerk_with_drawer("csr1")
    acct = account(5000)
    r = pay(db, clerk, acct, 5000)
    with pytest.raises(OverrideRequired) as e:
        void_receipt(db, clerk, r.number, "TENDER")
    ov = approve(db, clerk, supervisor, e.value.permission)
    res = void_receipt(db, clerk, r.number, "TENDER", override=ov)
    assert res.override_by == "sup" and ledger.account_balance(db, acct.id) == 5000
    row = db.one("SELECT * FROM audit_log WHERE action = 'payment.void'")
    assert row["clerk"] == "csr1" and row["override_by"] == "sup"


def test_void_only_in_own_open_drawer(db: Database, account, clerk_with_drawer) -> None:
    a = clerk_with_drawer("csr2", "alice")
    b = clerk_with_drawer("csr2", "bob")
    acct = account(5000)
    r = pay(db, a, acct, 1000)
    with pytest.raises(StateError, match="not in your open drawer"):
        void_receipt(db, b, r.number, "KEY")
    submit_count(db, a, DrawerCount({"hundreds": 1, "fifties": 1, "tens": 1}))
    with pytest.raises(StateError, match="not in your open drawer"):
        void_receipt(db, a, r.number, "KEY")


def _closed_receipt(db, account, clerk_with_drawer, supervisor, tender=None, cents=4000):
    clerk = clerk_with_drawer("csr2")
    acct = account(cents)
    before = snapshot(db, acct)
    r = pay(db, clerk, acct, cents, tender)
    count = DrawerCount({"hundreds": 1, "fifties": 1},
                        checks=[CountedItem(t.check_number, t.tendered_cents)
                                for t in r.tenders if t.kind == "check"])
    if r.tenders[0].kind != "check":
        count = DrawerCount({"hundreds": 1, "fifties": 1, "twenties": cents // 2000})
    res = submit_count(db, clerk, count)
    assert res.over_short_cents == 0
    approve_session(db, supervisor, r.drawer_session_id)
    return clerk, acct, r, before


def test_reversal_after_close(db: Database, account, clerk_with_drawer, supervisor) -> None:
    clerk, acct, r, before = _closed_receipt(db, account, clerk_with_drawer, supervisor)
    with pytest.raises(OverrideRequired):
        reverse_receipt(db, clerk, r.number, "MISAPPLIED")
    res = reverse_receipt(db, supervisor, r.number, "misapplied", "should be 1000002")
    assert res.kind == "reversal" and res.receipt.void.kind == "reversal"
    assert ledger.account_balance(db, acct.id) == before["account"]
    assert book_total(db, "revenue") == before["revenue"]
    # the money stays deposited: it waits in suspense, not in any drawer
    assert book_total(db, "clearing", gl_code="100-2090-UNAPPLIED") == -4000
    entries = db.all("SELECT * FROM ledger_entries WHERE journal_id = ?", [res.journal_id])
    assert sum(e["amount_cents"] for e in entries) == 0
    assert all(e["reverses_entry_id"] for e in entries)
    with pytest.raises(StateError, match="already reversed"):
        reverse_receipt(db, supervisor, r.number, "DUP")


def test_reversal_handed_back_from_drawer(db: Database, account, clerk_with_drawer,
                                          supervisor, make_clerk) -> None:
    clerk, acct, r, before = _closed_receipt(db, account, clerk_with_drawer, supervisor)
    other = clerk_with_drawer("supervisor", "sup2")
    res = reverse_receipt(db, other, r.number, "DUP", refund_from_drawer=True)
    assert ledger.account_balance(db, acct.id) == before["account"]
    s2 = db.scalar("SELECT id FROM drawer_sessions WHERE clerk = 'sup2'")
    assert book_total(db, "drawer", drawer_session_id=s2) == -4000
    assert res.receipt.number == r.number


def test_reverse_refused_while_drawer_open(db: Database, account, clerk_with_drawer,
                                           supervisor) -> None:
    clerk = clerk_with_drawer("csr2")
    r = pay(db, clerk, account(100), 100)
    with pytest.raises(StateError, match="void it there"):
        reverse_receipt(db, supervisor, r.number, "DUP")


def test_nsf_fee_25_then_35_and_no_checks(db: Database, account, clerk_with_drawer,
                                          supervisor, make_clerk) -> None:
    clerk = clerk_with_drawer("csr2")
    acct = account(20000)
    r1 = pay(db, clerk, acct, 6000, Tender("check", 6000, number="501"))
    r2 = pay(db, clerk, acct, 4000, Tender("check", 4000, number="502"))
    assert ledger.account_balance(db, acct.id) == 10000
    csr2 = make_clerk("csr2", "carol")
    with pytest.raises(PermissionDenied):
        nsf_return(db, csr2, r1.number)
    csr3 = make_clerk("csr3", "dave")
    with pytest.raises(OverrideRequired):
        nsf_return(db, csr3, r1.number)
    first = nsf_return(db, supervisor, r1.number, "account closed")
    assert first.fee_code == "NSF1" and first.fee_cents == 2500 and first.returned_cents == 6000
    assert ledger.account_balance(db, acct.id) == 10000 + 6000 + 2500
    assert db.scalar("SELECT no_checks FROM accounts WHERE id = ?", [acct.id]) == 1
    assert book_total(db, "clearing", gl_code="100-1310-NSF") == -6000
    second = nsf_return(db, supervisor, r2.number)
    assert second.fee_code == "NSF2" and second.fee_cents == 3500
    assert ledger.account_balance(db, acct.id) == 10000 + 6000 + 2500 + 4000 + 3500
    assert get_receipt(db, r2.number).void.kind == "nsf"
    with pytest.raises(ValidationError, match="takes no checks"):
        pay(db, clerk, acct, 100, Tender("check", 100, number="503"))
    cash = pay(db, clerk, acct, 100)
    with pytest.raises(ValidationError, match="not paid by check"):
        nsf_return(db, supervisor, cash.number)
    for j in (first.journal_id, first.fee_journal_id, second.journal_id):
        assert db.scalar("SELECT sum(amount_cents) FROM ledger_entries WHERE journal_id = ?",
                         [j]) == 0
    assert audit.verify(db).ok


def test_nsf_of_split_tender_charges_back_only_the_check(db: Database, account,
                                                          clerk_with_drawer,
                                                          supervisor) -> None:
    clerk = clerk_with_drawer("csr2")
    acct = account(10000)
    r = post_payment(db, clerk, new_idempotency_key(), [SaleItem("account", acct.number)],
                     [Tender("check", 7000, number="77"), Tender("cash", 3000)]).receipt
    res = nsf_return(db, supervisor, r.number)
    assert res.returned_cents == 7000
    assert ledger.account_balance(db, acct.id) == 7000 + 2500


class _FailsOnVoid(FeeItem):
    code = "fails_on_void"

    def after_reverse(self, db, actor, item, how) -> None:
        raise RuntimeError("hook failed")


def test_void_half_written_is_rolled_back(db: Database, clerk_with_drawer) -> None:
    register(_FailsOnVoid())
    try:
        clerk = clerk_with_drawer("csr2")
        r = post_payment(db, clerk, new_idempotency_key(), [SaleItem("fails_on_void", "COPY", 30)],
                         [Tender("cash", 30)]).receipt
        before = counts(db)
        with pytest.raises(RuntimeError, match="hook failed"):
            void_receipt(db, clerk, r.number, "KEY")
        assert counts(db) == before and not get_receipt(db, r.number).voided
    finally:
        _KINDS.pop("fails_on_void")


def test_reason_codes_for_a_picker() -> None:
    codes = cashier_rules().reason_codes("void")
    assert "KEY" in codes and "MISAPPLIED" in cashier_rules().reason_codes("reversal")
