"""Impound holds, the release checklist, the release fee as an item, the release number,
the post-storage hearing window."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from clerk_tui.db import Database
from clerk_tui.domain.actor import Actor
from clerk_tui.domain.cashier import (
    SaleItem,
    Tender,
    new_idempotency_key,
    post_payment,
    void_receipt,
)
from clerk_tui.domain.errors import OverrideRequired, StateError, ValidationError
from clerk_tui.domain.frontdesk import vehicles
from clerk_tui.domain.frontdesk.items import RELEASE
from clerk_tui.domain.frontdesk.rules import words
from tests.domain.frontdesk.conftest import approve

D = dt.date
ITEMS = ["Current registration", "Valid driver licence of the driver", "Proof of ownership"]


def _pay(db: Database, actor: Actor, v: vehicles.Vehicle) -> int:
    return post_payment(db, actor, new_idempotency_key(), [SaleItem(RELEASE, v.reference)],
                        [Tender("cash", 17500)], payer="Pat").receipt.number


def test_thirty_day_hold_refuses_early_release(db: Database, cleared: Actor,
                                               clerk_with_drawer: Callable[..., Actor],
                                               supervisor: Actor) -> None:
    v = vehicles.store(db, cleared, "7abc-123", "1HGCM82633A004352", "Honda", "Pat",
                       "2026-02-25", "14602.6")
    assert (v.plate, v.hold_until) == ("7ABC123", D(2026, 3, 27))
    vehicles.check_items(db, cleared, v.id, ITEMS)
    till = clerk_with_drawer("csr2", "till")
    _pay(db, till, v)
    with pytest.raises(StateError, match="held until 2026-03-27"):
        vehicles.release(db, cleared, v.id, "Pat")
    exception = words("vehicles", "exceptions")[0]
    with pytest.raises(OverrideRequired):
        vehicles.record_exception(db, cleared, v.id, exception)
    ok = approve(db, cleared, supervisor, "frontdesk.exception")
    v = vehicles.record_exception(db, cleared, v.id, exception, override=ok)
    assert v.exception_by == "sup"
    v = vehicles.release(db, cleared, v.id, "Pat Owner")
    assert (v.status, v.release_number) == ("released", "VR26-00001")
    form = vehicles.release_form(v)
    assert "VR26-00001" in form and "Early release: Stolen vehicle" in form


def test_storage_without_hold_needs_checklist_and_fee(
        db: Database, cleared: Actor, clerk_with_drawer: Callable[..., Actor]) -> None:
    v = vehicles.store(db, cleared, "5XYZ987", "2T1BURHE0JC014321", "Toyota", "Kim",
                       "2026-03-01", "22651")
    assert v.hold_until == D(2026, 3, 1) and not v.held(D(2026, 3, 2))
    with pytest.raises(StateError, match="Checklist not complete"):
        vehicles.release(db, cleared, v.id, "Kim")
    vehicles.check_items(db, cleared, v.id, ITEMS, legal_owner=True)
    with pytest.raises(StateError, match="Legal owner"):
        vehicles.release(db, cleared, v.id, "Kim")
    vehicles.check_items(db, cleared, v.id, ["Legal owner's release letter"])
    with pytest.raises(StateError, match=r"release fee \(\$175.00\)"):
        vehicles.release(db, cleared, v.id, "Kim")
    till = clerk_with_drawer("csr2", "till")
    number = _pay(db, till, v)
    assert vehicles._get(db, v.id).status == "ready"
    with pytest.raises(StateError, match="paid already"):
        _pay(db, till, v)
    void_receipt(db, till, number, "KEY", "wrong vehicle")
    assert vehicles._get(db, v.id).fee_receipt_id is None  # the void un-pays it
    _pay(db, till, v)
    assert vehicles.release(db, cleared, v.id, "Kim").status == "released"


def test_hearing_request_window(db: Database, cleared: Actor) -> None:
    old = vehicles.store(db, cleared, "8LMN456", "3FA6P0H73HR123456", "Ford", "Sky",
                         "2026-02-18", "14602.6")
    with pytest.raises(StateError, match="requested by 2026-02-28"):
        vehicles.request_hearing(db, cleared, old.id)
    new = vehicles.store(db, cleared, "8LMN457", "3FA6P0H73HR123457", "Ford", "Sky",
                         "2026-02-27", "14602.6")
    v = vehicles.request_hearing(db, cleared, new.id)
    assert v.hearing_on == "2026-03-04"  # 48 hours excluding weekends: two business days
    assert vehicles.hearing_outcome(db, cleared, v.id, "Storage valid").hearing_outcome


def test_bad_vehicle_input_changes_nothing(db: Database, cleared: Actor) -> None:
    for args, match in [(("7ABC12345", "1HGCM82633A004352"), "Plate"),
                        (("7ABC123", "1HGCM82633A00435O"), "VIN"),
                        (("7ABC123", "1HGCM82633A004352", "2026-02-30"), "not a date")]:
        plate, vin, *rest = args
        with pytest.raises(ValidationError, match=match):
            vehicles.store(db, cleared, plate, vin, "Honda", "", rest[0] if rest else
                           "2026-03-01", "22651")
    with pytest.raises(ValidationError, match="No storage reason"):
        vehicles.store(db, cleared, "7ABC123", "1HGCM82633A004352", "H", "", "2026-03-01",
                       "9999")
    assert db.scalar("SELECT count(*) FROM fd_vehicles") == 0
