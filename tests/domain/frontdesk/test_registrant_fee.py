"""The registrant registration fee (item fd_reg, Pen. Code 290.012): priced from the data,
taken only by a cleared clerk, marked paid in the payment's transaction and unpaid by a void;
a new registration is a new visit with its own fee."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from clerk_tui.db import Database
from clerk_tui.domain import clock
from clerk_tui.domain.actor import Actor
from clerk_tui.domain.cashier import SaleItem, Tender, new_idempotency_key, post_payment
from clerk_tui.domain.cashier.voids import void_receipt
from clerk_tui.domain.errors import PermissionDenied, StateError, ValidationError
from clerk_tui.domain.frontdesk import access, registrants
from clerk_tui.domain.frontdesk.items import REGISTRATION
from clerk_tui.domain.frontdesk.rules import money


def _pay(db: Database, actor: Actor, reference: str) -> int:
    return post_payment(db, actor, new_idempotency_key(), [SaleItem(REGISTRATION, reference)],
                        [Tender("cash", 10000)]).receipt.number


def test_fee_paid_voided_and_per_visit(db: Database, cleared: Actor, admin: Actor,
                                       clerk_with_drawer: Callable[..., Actor]) -> None:
    reg = registrants.register(db, cleared, "Doe, John", "1980-05-01", "290", "1 Elm St",
                               "2026-02-02")
    assert reg.fee_reference == f"REG{reg.id}-20260202" and not reg.fee_paid
    till = clerk_with_drawer("csr2", "till")
    with pytest.raises(StateError, match="today's registration"):
        _pay(db, till, reg.fee_reference)  # an old visit: record today's first
    reg = registrants.record_registration(db, cleared, reg.id, clock.today())
    with pytest.raises(StateError, match="current registration"):
        _pay(db, till, f"REG{reg.id}-20260202")
    receipts_before = db.scalar("SELECT count(*) FROM receipts")
    with pytest.raises(PermissionDenied):
        _pay(db, till, reg.fee_reference)  # not cleared: nothing is posted
    assert db.scalar("SELECT count(*) FROM receipts") == receipts_before
    assert not registrants._get(db, reg.id).fee_paid
    access.set_clearance(db, admin, "till", True, "background check passed")
    number = _pay(db, till, reg.fee_reference)
    assert registrants._get(db, reg.id).fee_paid
    row = db.one("SELECT amount_cents, fund, gl_code FROM receipt_items WHERE receipt_id = "
                 "(SELECT id FROM receipts WHERE number = ?)", [number])
    assert row == {"amount_cents": money("registrants", "registration_fee"), "fund": "100",
                   "gl_code": "100-4447"}
    with pytest.raises(StateError, match="paid already"):
        _pay(db, till, reg.fee_reference)
    void_receipt(db, till, number, "KEY", "wrong person")
    assert not registrants._get(db, reg.id).fee_paid  # the void un-pays it
    _pay(db, till, reg.fee_reference)
    with clock.frozen(clock.now() + dt.timedelta(days=1)):  # the next visit: a new fee
        nxt = registrants.record_registration(db, cleared, reg.id, clock.today())
        assert not nxt.fee_paid and nxt.fee_reference != reg.fee_reference
        till2 = clerk_with_drawer("csr2", "till2")  # today's drawer
        access.set_clearance(db, admin, "till2", True, "background check passed")
        _pay(db, till2, nxt.fee_reference)
        with db.write():  # what a later reversal of the older visit's receipt runs
            registrants.mark_fee_paid(db, till2, reg.fee_reference, None)
        assert registrants._get(db, reg.id).fee_paid  # today's visit stays paid
    _, history = registrants.view(db, cleared, reg.id)
    assert [h.event for h in history].count("fee paid") == 3


def test_bad_reference_is_refused(db: Database, cleared: Actor) -> None:
    for bad in ("REG", "REGx-20260101", "REG1-2026", "VEH1", ""):
        with pytest.raises(ValidationError, match="registration fee reference"):
            registrants.parse_fee_reference(bad)
