"""After issue: lost/stolen replacement (old number on the hot list), renewal, vehicle and
address changes with history, lapse, reversal (hot list), and stock reconciliation."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from clerk_tui.db import Database
from clerk_tui.domain import clock
from clerk_tui.domain.actor import Actor
from clerk_tui.domain.cashier import DrawerCount, approve_session, reverse_receipt, submit_count
from clerk_tui.domain.cashier.denominations import make_change
from clerk_tui.domain.cashier.sessions import cash_on_hand, current_session
from clerk_tui.domain.errors import PermissionDenied, StateError, ValidationError
from clerk_tui.domain.permits import permits, stock
from clerk_tui.domain.permits.numbers import format_permit_number
from tests.domain.permits.conftest import DOCS, pay

Sell = Callable[..., permits.Permit]


def test_lost_permit_is_replaced_and_its_number_goes_on_the_hot_list(db: Database,
                                                                     sell: Sell) -> None:
    old = sell()
    clerk = sell.clerk  # type: ignore[attr-defined]
    app = permits.start_replacement(db, clerk, old.number, "lost")
    receipt = pay(db, clerk, app).receipt
    assert receipt.total_cents == 1500  # the replacement fee, not the tier fee
    new = permits.get_permit(db, db.scalar("SELECT number FROM permits WHERE application_id = ?",
                                           [app.id]))
    assert new.number == format_permit_number(100002) and new.replaces_id == old.id
    assert (new.plate, new.valid_until, new.status) == (old.plate, old.valid_until, "active")
    gone = permits.get_permit(db, old.number)
    assert (gone.status, gone.hot) == ("replaced", "lost")
    assert not gone.valid_on(clock.today()) and new.valid_on(clock.today())
    with pytest.raises(StateError, match="replaced: only a current permit"):
        permits.start_replacement(db, clerk, old.number, "stolen")
    with pytest.raises(ValidationError, match="lost or stolen"):
        permits.start_replacement(db, clerk, new.number, "damaged")


def test_renewal_starts_the_day_after_and_keeps_the_tier(db: Database, sell: Sell) -> None:
    first = sell(permit_type="RQ")
    clerk = sell.clerk  # type: ignore[attr-defined]
    with pytest.raises(ValidationError, match="Not seen yet"):
        permits.start_renewal(db, clerk, first.number)
    app = permits.start_renewal(db, clerk, first.number, DOCS)
    pay(db, clerk, app)
    new = permits.permits_for_plate(db, "7abc123")[0]
    assert (new.valid_from, new.valid_until, new.renews_id, new.tier, new.fee_cents) == (
        "2026-04-01", "2026-06-30", first.id, 1, 1200)
    with pytest.raises(StateError, match="already renewed"):
        permits.start_renewal(db, clerk, first.number, DOCS)


def test_a_visitor_permit_is_not_renewed(db: Database, sell: Sell) -> None:
    p = sell(permit_type="DV", plate="", docs=("DL",))
    assert (p.valid_from, p.valid_until, p.fee_cents) == ("2026-03-02", "2026-03-02", 300)
    assert p.number == format_permit_number(400001)
    with pytest.raises(StateError, match="not renewed"):
        permits.start_renewal(db, sell.clerk, p.number, ("DL",))  # type: ignore[attr-defined]


def test_vehicle_and_address_changes_keep_history(db: Database, sell: Sell) -> None:
    p = sell()
    clerk = sell.clerk  # type: ignore[attr-defined]
    permits.change_vehicle(db, clerk, p.number, "8new888", "nv", "Blue Civic", "sold old car")
    moved = permits.change_address(db, clerk, p.number, "250 Elm St #3", "moved", DOCS)
    assert (moved.plate, moved.plate_state, moved.vehicle) == ("8NEW888", "NV", "Blue Civic")
    assert str(moved.address) == "250 ELM ST #3" and moved.number == p.number
    hist = permits.history(db, p.id)
    assert [(h.what, h.before, h.after) for h in hist] == [
        ("vehicle", "7ABC123 CA", "8NEW888 NV Blue Civic"),
        ("address", "212 OAK ST", "250 ELM ST #3")]
    with pytest.raises(StateError, match="is in district B, not A"):
        permits.change_address(db, clerk, p.number, "600 University Ave", "moved", DOCS)
    with pytest.raises(ValidationError, match="Reason is required"):
        permits.change_vehicle(db, clerk, p.number, "9ZZZ999", "CA", "", "")
    assert len(permits.history(db, p.id)) == 2


def test_expired_permits_lapse(db: Database, sell: Sell) -> None:
    q = sell(permit_type="RQ")
    a = sell(plate="2BBB222")
    clerk = sell.clerk  # type: ignore[attr-defined]
    assert permits.lapse_expired(db, clerk, dt.date(2026, 3, 31)) == []
    assert permits.lapse_expired(db, clerk, dt.date(2026, 4, 1)) == [q.number]
    assert permits.get_permit(db, q.number).status == "lapsed"
    assert permits.get_permit(db, a.number).status == "active"
    assert permits.lapse_expired(db, clerk, dt.date(2026, 4, 1)) == []


def test_a_reversed_sale_hot_lists_the_tag_still_out(db: Database, sell: Sell,
                                                    supervisor: Actor) -> None:
    p = sell()
    clerk = sell.clerk  # type: ignore[attr-defined]
    session = current_session(db, clerk)
    assert session is not None
    submit_count(db, clerk, DrawerCount(make_change(cash_on_hand(db, session))))
    approve_session(db, supervisor, session.id)
    number = db.scalar("SELECT number FROM receipts WHERE id = ?", [p.receipt_id])
    reverse_receipt(db, supervisor, number, "BANK", "card charged back")
    gone = permits.get_permit(db, p.number)
    assert (gone.status, gone.hot) == ("void", "reversed")


def test_reconcile_a_range_with_damaged_stock(db: Database, sell: Sell, supervisor: Actor,
                                              make_clerk: Callable[..., Actor]) -> None:
    clerk = sell.clerk  # type: ignore[attr-defined]
    sell()                                                   # 100001 issued
    assert stock.mark_damaged(db, clerk, "100002", "torn") == "PK1000025 recorded as damaged."
    assert stock.mark_damaged(db, clerk, format_permit_number(100010), "printer jam")
    with pytest.raises(StateError, match="already issued or spoiled"):
        stock.mark_damaged(db, clerk, "100001", "x")
    p = sell(plate="2BBB222")                                # skips damaged 100002
    assert p.number == format_permit_number(100003)
    rid = db.scalar("SELECT range_id FROM permits WHERE id = ?", [p.id])
    rec = stock.reconcile(db, rid)
    assert (rec.issued, rec.spoiled, rec.on_hand, rec.unaccounted) == (2, 2, 46, ())
    assert rec.balances
    with pytest.raises(PermissionDenied, match="may not reconcile permit stock"):
        stock.record_count(db, make_clerk("csr3"), rid, 46)
    with pytest.raises(ValidationError, match="say why"):
        stock.record_count(db, supervisor, rid, 45)
    _, said = stock.record_count(db, supervisor, rid, 46)
    assert said.endswith("counted 46: balances.")
    _, said = stock.record_count(db, supervisor, rid, 45, "one missing from the drawer")
    assert "DOES NOT balance" in said
    assert db.scalar("SELECT count(*) FROM permit_stock_counts") == 2


def test_stock_is_received_once_per_serial(db: Database, supervisor: Actor,
                                           make_clerk: Callable[..., Actor]) -> None:
    stock.receive_range(db, supervisor, "A", "decal", 100001, 100500)
    with pytest.raises(StateError, match="already received"):
        stock.receive_range(db, supervisor, "B", "decal", 100400, 100600)
    with pytest.raises(ValidationError, match="below the first"):
        stock.receive_range(db, supervisor, "B", "decal", 5, 4)
    with pytest.raises(PermissionDenied, match="may not receive permit stock"):
        stock.receive_range(db, make_clerk("csr1"), "B", "decal", 700001, 700010)


def test_replacing_a_renewal_not_yet_started_keeps_its_period(db: Database,
                                                              sell: Sell) -> None:
    first = sell(permit_type="RQ")
    clerk = sell.clerk  # type: ignore[attr-defined]
    pay(db, clerk, permits.start_renewal(db, clerk, first.number, DOCS))
    renewal = permits.permits_for_plate(db, "7ABC123")[0]
    assert renewal.valid_from == "2026-04-01"
    pay(db, clerk, permits.start_replacement(db, clerk, renewal.number, "stolen"))
    new = permits.permits_for_plate(db, "7ABC123")[0]
    assert (new.valid_from, new.valid_until, new.fee_cents) == ("2026-04-01", "2026-06-30",
                                                                1000)
    assert permits.get_permit(db, renewal.number).hot == "stolen"
