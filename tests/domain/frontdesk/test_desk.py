"""Phone messages, ride-alongs (age and frequency from the data, waiver, background) and
clearance letters (identity, fee, printed once then DUPLICATE)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from clerk_tui.db import Database
from clerk_tui.domain.actor import Actor
from clerk_tui.domain.cashier import SaleItem, Tender, new_idempotency_key, post_payment
from clerk_tui.domain.errors import PermissionDenied, StateError, ValidationError
from clerk_tui.domain.frontdesk import desk
from clerk_tui.domain.frontdesk.items import LETTER


def test_phone_messages(db: Database, make_clerk: Callable[..., Actor]) -> None:
    clerk = make_clerk("csr1")
    m = desk.take_message(db, clerk, "Pat Caller", "555-0100", "Det. Ortega",
                          "Call back about [case] 26-412")
    assert [x.id for x in desk.open_messages(db)] == [m.id]
    done = desk.message_done(db, clerk, m.id)
    assert done.done_at and desk.open_messages(db) == []
    with pytest.raises(StateError, match="was done"):
        desk.message_done(db, clerk, m.id)
    with pytest.raises(ValidationError, match="Message is required"):
        desk.take_message(db, clerk, "Pat", "", "Det. Ortega", " ")


def test_ridealong_rules(db: Database, cleared: Actor) -> None:
    with pytest.raises(ValidationError, match="at least 18"):
        desk.apply_ridealong(db, cleared, "Young Rider", "2008-03-03", "", True)  # 17 today
    ok = desk.apply_ridealong(db, cleared, "Old Enough", "2008-03-02", "", False)  # 18 today
    with pytest.raises(StateError, match="waiver"):
        desk.ridealong_appointment(db, cleared, ok.id, "2026-03-09 19:00")
    with pytest.raises(StateError, match="background check is pending"):
        desk.ridealong_appointment(db, cleared, ok.id, "2026-03-09 19:00", waiver_signed=True)
    desk.ridealong_background(db, cleared, ok.id, "clear")
    booked = desk.ridealong_appointment(db, cleared, ok.id, "2026-03-09 19:00",
                                        waiver_signed=True)
    assert booked.appointment == "2026-03-09 19:00" and booked.waiver_signed
    desk.apply_ridealong(db, cleared, "Old Enough", "2008-03-02", "", True)
    with pytest.raises(ValidationError, match="2 ride-along"):
        desk.apply_ridealong(db, cleared, "Old Enough", "2008-03-02", "", True)


def test_clearance_letter_fee_then_print(db: Database, cleared: Actor,
                                         clerk_with_drawer: Callable[..., Actor],
                                         make_clerk: Callable[..., Actor]) -> None:
    with pytest.raises(ValidationError, match="ID seen is required"):
        desk.request_letter(db, cleared, "Kim Ardent", "1990-05-05", "Visa", "")
    letter = desk.request_letter(db, cleared, "Kim Ardent", "1990-05-05", "Visa application",
                                 "CA DL D7654321")
    with pytest.raises(StateError, match="take the fee first"):
        desk.print_letter(db, cleared, letter.id)
    till = clerk_with_drawer("csr2", "till")
    post_payment(db, till, new_idempotency_key(), [SaleItem(LETTER, letter.reference)],
                 [Tender("cash", 2500)], payer="Kim Ardent")
    first = desk.print_letter(db, cleared, letter.id)
    assert "Kim Ardent" in first and "CA DL D7654321" in first and "DUPLICATE" not in first
    assert desk.print_letter(db, cleared, letter.id).startswith("*** DUPLICATE ***")
    assert desk.letters(db, make_clerk("csr2", "other")) == []
    with pytest.raises(PermissionDenied):
        desk.print_letter(db, make_clerk("csr1"), letter.id)
