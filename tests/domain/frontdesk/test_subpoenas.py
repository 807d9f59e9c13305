"""Subpoenas: a civil officer subpoena's deposit ($275 a day, Gov. Code 68097.2) into trust,
reconciled after the appearance (excess refunded within the refund limit, shortfall billed);
criminal subpoenas logged without a fee; the per-officer court calendar."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from clerk_tui.db import Database
from clerk_tui.domain import audit
from clerk_tui.domain.actor import Actor
from clerk_tui.domain.cashier import (
    SaleItem,
    Tender,
    new_idempotency_key,
    post_payment,
    void_receipt,
)
from clerk_tui.domain.errors import OverrideRequired, PermissionDenied, StateError
from clerk_tui.domain.frontdesk import subpoenas
from clerk_tui.domain.frontdesk.items import SUBPOENA
from tests.domain.frontdesk.conftest import approve, book_total


def _civil(db: Database, actor: Actor, days: int = 2, named: str = "Ofc. R. Ortega #412"
           ) -> subpoenas.Subpoena:
    return subpoenas.accept(db, actor, "civil", named, "CV-26-0101", "Superior Court Dept 4",
                            "2026-03-16 09:00", "Lane & Pike LLP", days=days)


def _pay(db: Database, actor: Actor, reference: str, cents: int) -> int:
    return post_payment(db, actor, new_idempotency_key(), [SaleItem(SUBPOENA, reference)],
                        [Tender("check", cents, number="1001")],
                        payer="Lane & Pike LLP").receipt.number


@pytest.fixture
def till(cleared: Actor, clerk_with_drawer: Callable[..., Actor], db: Database) -> Actor:
    """The cleared clerk with an open drawer."""
    from clerk_tui.domain.cashier import open_session

    open_session(db, cleared)
    return cleared


def test_deposit_into_trust_and_refund_of_the_excess(db: Database, till: Actor,
                                                     supervisor: Actor) -> None:
    sub = _civil(db, till)
    assert sub.deposit_cents == 55_000  # two days at $275
    trust0 = book_total(db, "trust")
    _pay(db, till, sub.reference, 55_000)
    assert book_total(db, "trust") == trust0 - 55_000  # held (credit) in trust
    with pytest.raises(StateError, match="paid already"):
        _pay(db, till, sub.reference, 55_000)
    # One day in court: $275 kept, $275 back to the party. A CSR II may refund up to $100:
    with pytest.raises(OverrideRequired):
        subpoenas.reconcile(db, till, sub.id, 27_500, method="check")
    done = subpoenas.reconcile(db, till, sub.id, 27_500, method="check",
                               override=approve(db, till, supervisor, "refund.credit",
                                                27_500, "refund"))
    assert (done.kept_cents, done.refunded_cents, done.billed_cents) == (27_500, 27_500, 0)
    assert done.subpoena.settled == "refunded" and done.override_by == "sup"
    assert book_total(db, "trust") == trust0  # nothing left held
    assert book_total(db, "revenue", gl_code="100-4440") == -27_500
    assert book_total(db, "clearing", gl_code="100-2020-REFUND") == -27_500
    with pytest.raises(StateError, match="reconciled already"):
        subpoenas.reconcile(db, till, sub.id, 0)
    assert audit.verify(db).ok


def test_shortfall_is_billed_and_paid(db: Database, till: Actor, supervisor: Actor) -> None:
    sub = _civil(db, till, days=1)
    _pay(db, till, sub.reference, 27_500)
    done = subpoenas.reconcile(db, till, sub.id, 41_000)  # no refund: no limit involved
    assert (done.kept_cents, done.refunded_cents, done.billed_cents) == (27_500, 0, 13_500)
    assert done.subpoena.balance_due_cents == 13_500
    number = _pay(db, till, f"{sub.reference}-BAL", 13_500)
    assert subpoenas._get(db, sub.id).settled == "balance_paid"
    with pytest.raises(StateError, match="no balance"):
        _pay(db, till, f"{sub.reference}-BAL", 13_500)
    void_receipt(db, till, number, "KEY", "wrong case")
    assert subpoenas._get(db, sub.id).balance_due_cents == 13_500  # due again


def test_cash_refund_within_the_limit_from_the_drawer(db: Database, till: Actor) -> None:
    sub = _civil(db, till, days=1)
    _pay(db, till, sub.reference, 27_500)
    done = subpoenas.reconcile(db, till, sub.id, 20_000, method="cash")  # $75 <= $100 limit
    assert done.refunded_cents == 7_500 and done.override_by is None
    assert book_total(db, "drawer", tender="cash") == -7_500


def test_criminal_is_logged_without_fee_and_deposit_cannot_be_voided_once_reconciled(
        db: Database, till: Actor) -> None:
    crim = subpoenas.accept(db, till, "criminal", "Ofc. R. Ortega #412", "CR-26-9", "Dept 12",
                            "2026-03-10 08:30", "DA's office")
    assert crim.deposit_cents == 0 and crim.settled == "no_fee"
    with pytest.raises(StateError, match="takes no deposit"):
        _pay(db, till, crim.reference, 100)
    with pytest.raises(StateError, match="no deposit to reconcile"):
        subpoenas.reconcile(db, till, crim.id, 0)
    sub = _civil(db, till, days=1)
    number = _pay(db, till, sub.reference, 27_500)
    subpoenas.reconcile(db, till, sub.id, 27_500)
    with pytest.raises(StateError, match="cannot be undone"):
        void_receipt(db, till, number, "KEY", "oops")


def test_court_calendar_by_officer(db: Database, till: Actor,
                                   make_clerk: Callable[..., Actor]) -> None:
    _civil(db, till, named="Ofc. B. Marsh #77")
    subpoenas.accept(db, till, "criminal", "Ofc. A. Diaz #12", "CR-1", "Dept 1",
                     "2026-03-05 08:30", "DA")
    subpoenas.accept(db, till, "records", "Custodian of records", "CV-9", "Dept 2",
                     "2026-03-04 10:00", "Lane & Pike LLP")
    rows = subpoenas.calendar(db, till)
    assert [s.named for s in rows] == ["Custodian of records", "Ofc. A. Diaz #12",
                                       "Ofc. B. Marsh #77"]
    assert [s.case_number for s in subpoenas.calendar(db, till, "Ofc. A. Diaz #12")] == ["CR-1"]
    text = subpoenas.format_calendar(rows, dt.date(2026, 3, 2))
    assert "Ofc. B. Marsh #77" in text and "2026-03-16 09:00" in text
    assert subpoenas.calendar(db, make_clerk("csr2", "other")) == []
    with pytest.raises(PermissionDenied):
        subpoenas.accept(db, make_clerk("csr1"), "criminal", "X", "1", "2", "2026-03-05 08:00",
                         "DA")
