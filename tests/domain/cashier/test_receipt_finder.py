"""F2 finds receipts (issue 17): by number typed as R…, as the printed barcode or as bare
digits, and by the check or money order number that paid it; exact, indexed reads only."""

from __future__ import annotations

from collections.abc import Callable

from clerk_tui.db import Database
from clerk_tui.domain.actor import Actor
from clerk_tui.domain.cashier import (
    SaleItem,
    Tender,
    new_idempotency_key,
    open_session,
    post_payment,
    void_receipt,
)
from clerk_tui.domain.cashier.finders import find, receipt_numbers
from clerk_tui.domain.finders import search_everything
from clerk_tui.domain.scanlines import make_receipt_barcode
from tests.domain.cashier.conftest import create_account


def _pay(db: Database, clerk: Actor, tender: Tender, cents: int = 4210):  # type: ignore[no-untyped-def]
    acct = create_account(db, cents)
    return post_payment(db, clerk, new_idempotency_key(), [SaleItem("account", acct.number)],
                        [tender]).receipt


def test_receipt_numbers_read_every_way_a_clerk_types_one() -> None:
    assert receipt_numbers("R1234") == ([1234], True)
    assert receipt_numbers("r 1234") == ([1234], True)
    assert receipt_numbers(make_receipt_barcode(1234)) == ([1234, 12344], True)
    assert receipt_numbers("1234") == ([1234], False)
    assert receipt_numbers("Main St") == ([], False)
    assert receipt_numbers("R") == ([], False)
    assert receipt_numbers("R0") == ([], True)


def test_found_by_number_check_and_money_order(db: Database,
                                               make_clerk: Callable[..., Actor]) -> None:
    clerk = make_clerk("csr2")
    open_session(db, clerk)
    by_check = _pay(db, clerk, Tender("check", 4210, number="5512"))
    by_mo = _pay(db, clerk, Tender("money_order", 1000, number="MO-77A"), 1000)
    cash = _pay(db, clerk, Tender("cash", 500), 500)

    hits = find(db, clerk, f"R{by_check.number}", 50)
    assert [(h.kind, h.key, h.rank) for h in hits] == [("receipt", str(by_check.number), 0)]
    assert hits[0].detail == "$42.10 2026-03-02" and hits[0].title.startswith("account ")
    assert [h.key for h in find(db, clerk, make_receipt_barcode(cash.number), 50)] == \
        [str(cash.number)]
    plain = find(db, clerk, str(cash.number), 50)
    assert plain[0].key == str(cash.number) and plain[0].rank == 45  # after any account

    hits = find(db, clerk, "5512", 50)
    assert [h.key for h in hits] == [str(by_check.number)] and "check 5512" in hits[0].detail
    hits = find(db, clerk, "mo-77a", 50)  # a serial as typed or upper-cased
    assert [h.key for h in hits] == [str(by_mo.number)] and "m.o. MO-77A" in hits[0].detail
    assert find(db, clerk, "551", 50) == []  # exact numbers only: no prefix scan of checks
    assert find(db, clerk, "R999999", 50) == []

    void_receipt(db, clerk, by_check.number, "KEY", "typed wrong")
    assert "VOID" in find(db, clerk, "5512", 50)[0].detail

    merged = search_everything(db, clerk, "5512")  # through the registry: F2 finds it
    assert [(f.kind, f.key) for f in merged.found] == [("receipt", str(by_check.number))]


def test_the_reads_use_indexes(db: Database) -> None:
    plans = [" ".join(str(r["detail"]) for r in db.all(
        "EXPLAIN QUERY PLAN SELECT r.id FROM tenders t JOIN receipts r ON r.id = t.receipt_id "
        "WHERE t.check_number IN (?, ?) AND t.kind IN ('check', 'money_order')", ["1", "1"]))]
    assert "tenders_check_number" in plans[0] and "SCAN t" not in plans[0], plans
