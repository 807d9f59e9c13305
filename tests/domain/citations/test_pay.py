"""Paying citations through the cashier: several on one receipt, partial payment (unless the
data says not), overpayment refused, the DMV release queued in the receipt's transaction and
taken back by a void or a reversal."""

from __future__ import annotations

import datetime as dt

import pytest

from clerk_tui.domain.cashier import SaleItem, Tender, new_idempotency_key, post_payment
from clerk_tui.domain.cashier.voids import void_receipt
from clerk_tui.domain.citations import dmv, store
from clerk_tui.domain.errors import ValidationError
from tests.domain.citations.conftest import hold, keyed

TODAY = dt.date(2026, 3, 2)


def pay(db, clerk, *lines: tuple[str, int | None], tender: int | None = None):
    items = [SaleItem("citation", n, a) for n, a in lines]
    total = tender if tender is not None else 10**7
    return post_payment(db, clerk, new_idempotency_key(), items, [Tender("cash", total)])


def dmv_rows(db, number: str) -> list[tuple[str, bool]]:
    cid = store.get_row(db, number)["id"]
    return [(r["action"], r["cancelled_at"] is not None) for r in db.all(
        "SELECT * FROM citation_dmv_rows WHERE citation_id = ? ORDER BY id", [cid])]


def test_two_citations_on_one_receipt_default_to_the_amount_due(db, clerk_with_drawer) -> None:
    clerk = clerk_with_drawer("csr1")
    a = keyed(db, clerk, 1, issued="2026-02-25 10:00")            # in time: $55
    b = keyed(db, clerk, 2, issued="2026-01-05 10:00")            # late: $110
    r = pay(db, clerk, (a, None), (b, None), tender=20000)
    assert r.receipt.total_cents == 5500 + 11000
    assert store.get_citation(db, a).due.status == "paid"
    assert store.get_citation(db, b).due.due_cents == 0


def test_partial_payment_and_overpayment(db, clerk_with_drawer) -> None:
    clerk = clerk_with_drawer("csr1")
    a = keyed(db, clerk, 3, issued="2026-02-25 10:00")
    pay(db, clerk, (a, 2000))
    c = store.get_citation(db, a)
    assert c.due.status == "partial" and c.due.due_cents == 3500
    with pytest.raises(ValidationError, match="overpayment is not taken"):
        pay(db, clerk, (a, 3501))
    assert store.get_citation(db, a).due.due_cents == 3500


def test_partial_refused_when_the_data_says_pay_in_full(db, clerk_with_drawer) -> None:
    clerk = clerk_with_drawer("csr1")
    a = keyed(db, clerk, 4, issued="2026-02-25 10:00", code="MC10.12.070")
    with pytest.raises(ValidationError, match="cannot be changed"):
        pay(db, clerk, (a, 1000))
    assert pay(db, clerk, (a, None)).receipt.total_cents == 4500


def test_nothing_due_is_refused(db, clerk_with_drawer) -> None:
    clerk = clerk_with_drawer("csr1")
    a = keyed(db, clerk, 5, issued="2026-02-25 10:00")
    pay(db, clerk, (a, None))
    with pytest.raises(ValidationError, match="owes nothing"):
        pay(db, clerk, (a, None))


def test_paying_in_full_queues_the_release_and_a_void_cancels_it(db, clerk_with_drawer) -> None:
    clerk = clerk_with_drawer("csr2")
    a = keyed(db, clerk, 6, issued="2025-12-01 10:00")
    hold(db, clerk, a, TODAY)
    assert store.get_citation(db, a).due.status == "hold"
    partial = pay(db, clerk, (a, 1000))
    assert dmv_rows(db, a) == [("hold", False)]  # not paid in full: still held
    void_receipt(db, clerk, partial.receipt.number, "KEY", "test")
    full = pay(db, clerk, (a, None))
    assert dmv_rows(db, a) == [("hold", False), ("release", False)]
    assert not dmv.is_held(db, store.get_row(db, a)["id"])
    void_receipt(db, clerk, full.receipt.number, "KEY", "test")
    assert dmv_rows(db, a) == [("hold", False), ("release", True)]
    c = store.get_citation(db, a)
    assert c.due.held and c.due.status == "hold" and c.due.due_cents > 0


def test_a_void_after_the_release_was_filed_holds_again(db, clerk_with_drawer,
                                                       tmp_path) -> None:
    clerk = clerk_with_drawer("csr2")
    a = keyed(db, clerk, 7, issued="2025-12-01 10:00")
    hold(db, clerk, a, TODAY)
    r = pay(db, clerk, (a, None))
    f = dmv.write_file(db, clerk, tmp_path)
    assert f.holds == 1 and f.releases == 1
    void_receipt(db, clerk, r.receipt.number, "KEY", "test")
    assert dmv_rows(db, a) == [("hold", False), ("release", False), ("hold", False)]
    assert store.get_citation(db, a).due.held


def test_paid_at_dmv_and_at_the_counter_is_refunded(db, clerk_with_drawer, supervisor) -> None:
    from clerk_tui.domain.citations import refunds
    from clerk_tui.domain.errors import OverrideRequired, StateError
    from tests.domain.citations.conftest import approve, book_total

    clerk = clerk_with_drawer("csr3")
    a = keyed(db, clerk, 8, issued="2026-02-25 10:00")
    pay(db, clerk, (a, None))
    with pytest.raises(StateError, match="not overpaid"):
        refunds.refund_overpayment(db, clerk, a, "x")
    done = refunds.record_dmv_payment(db, clerk, a, 5500, dt.date(2026, 3, 1), "DMV-77")
    assert "Overpaid $55.00" in done.message
    c = store.get_citation(db, a)
    assert c.due.overpaid_cents == 5500 and c.due.status == "paid"
    revenue = book_total(db, "revenue")
    refunds.refund_overpayment(db, clerk, a, "paid twice", method="cash")
    assert book_total(db, "revenue") == revenue + 5500
    assert store.get_citation(db, a).due.overpaid_cents == 0
    assert store.get_citation(db, a).due.status == "paid"
    # above the clerk's refund limit a supervisor approves
    b = keyed(db, clerk, 9, issued="2026-02-25 10:00", code="22507.8")  # $350
    pay(db, clerk, (b, None))
    refunds.record_dmv_payment(db, clerk, b, 35000, dt.date(2026, 3, 1), "DMV-78")
    with pytest.raises(OverrideRequired):
        refunds.refund_overpayment(db, clerk, b, "paid twice")
    o = approve(db, clerk, supervisor, "refund.credit", 35000, "refund")
    assert refunds.refund_overpayment(db, clerk, b, "paid twice", override=o).override_by == "sup"


def test_copy_of_a_citation_is_a_fixed_two_dollar_fee(db, clerk_with_drawer) -> None:
    clerk = clerk_with_drawer("csr1")
    a = keyed(db, clerk, 10, issued="2026-02-25 10:00")
    r = post_payment(db, clerk, new_idempotency_key(), [SaleItem("citation_copy", a)],
                     [Tender("cash", 200)])
    assert r.receipt.total_cents == 200
    with pytest.raises(ValidationError, match="cannot be changed"):
        post_payment(db, clerk, new_idempotency_key(), [SaleItem("citation_copy", a, 300)],
                     [Tender("cash", 300)])
    assert store.get_citation(db, a).due.due_cents == 5500  # a copy pays nothing on it


def test_copy_fee_over_the_statute_cap_refuses_the_rules_file(tmp_path) -> None:
    from clerk_tui.domain.citations.rules import load
    from clerk_tui.paths import reference_data_dir

    text = (reference_data_dir() / "citations" / "rules.toml").read_text()
    bad = tmp_path / "rules.toml"
    bad.write_text(text.replace('copy = "2.00"', 'copy = "2.50"'))
    with pytest.raises(ValidationError, match="at most \\$2.00"):
        load(rules_path=bad)
