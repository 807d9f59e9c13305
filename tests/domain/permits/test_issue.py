"""Issue on payment in the receipt's transaction, with the next stock number; tiers; the
dwelling's maximum; documents; void and reversal; eligibility refused with nothing written."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from clerk_tui.db import Database
from clerk_tui.domain import clock
from clerk_tui.domain.actor import Actor
from clerk_tui.domain.cashier import void_receipt
from clerk_tui.domain.errors import NotFound, PermissionDenied, StateError, ValidationError
from clerk_tui.domain.permits import permits, stock
from clerk_tui.domain.permits.numbers import format_permit_number
from tests.domain.cashier.conftest import approve, book_total
from tests.domain.permits.conftest import DOCS, pay

Sell = Callable[..., permits.Permit]


def test_payment_issues_the_permit_with_the_next_decal(db: Database, sell: Sell) -> None:
    p = sell()
    assert p.number == format_permit_number(100001) == "PK1000017"
    assert (p.district, p.permit_type, str(p.address), p.plate) == ("A", "RA", "212 OAK ST",
                                                                    "7ABC123")
    assert (p.valid_from, p.valid_until, p.status, p.tier) == ("2026-03-02", "2026-12-31",
                                                               "active", 1)
    assert p.fee_cents == 4000
    assert book_total(db, "revenue", fund="245", gl_code="245-4310") == -4000
    item = db.one("SELECT kind, reference, amount_cents FROM receipt_items WHERE receipt_id = ?",
                  [p.receipt_id])
    assert item == {"kind": "permit", "reference": "RPP-1", "amount_cents": 4000}
    assert sell(plate="8XYZ999").number == format_permit_number(100002)


def test_tiers_price_the_second_and_third_vehicle(db: Database, sell: Sell) -> None:
    fees = [sell(plate=p).fee_cents for p in ("1AAA111", "2BBB222", "3CCC333")]
    assert fees == [4000, 6000, 9000]
    assert sell(address="212 Oak St #2", plate="4DDD444").fee_cents == 4000  # another dwelling


def test_the_dwelling_maximum_and_the_type_maximum(db: Database, sell: Sell) -> None:
    for plate in ("1AAA111", "2BBB222", "3CCC333"):
        sell(plate=plate)
    clerk = sell.clerk  # type: ignore[attr-defined]
    with pytest.raises(StateError, match="district A allows 3"):
        permits.take_application(db, clerk, permit_type="RQ", address="212 oak street",
                                 holder="X", plate="5EEE555", documents=DOCS)
    sell(permit_type="GU", plate="", docs=("DL", "RES1", "RES2"))  # guest tags don't count
    with pytest.raises(StateError, match="at most 1 per dwelling"):
        permits.take_application(db, clerk, permit_type="GU", address="212 Oak St", holder="X",
                                 documents=("DL", "RES1", "RES2"))


def test_district_b_allows_two(db: Database, sell: Sell) -> None:
    sell(address="600 University Ave", plate="1AAA111")
    p = sell(address="600 University Ave", plate="2BBB222")
    assert p.number == format_permit_number(300002) and p.fee_cents == 6000
    with pytest.raises(StateError, match="district B allows 2"):
        sell(address="600 University Ave", plate="3CCC333")


def test_refusals_write_nothing(db: Database, sell: Sell) -> None:
    sell()
    clerk = sell.clerk  # type: ignore[attr-defined]
    before = db.scalar("SELECT count(*) FROM permit_applications")
    cases: list[tuple[dict[str, Any], type[Exception], str]] = [
        ({"address": "400 Oak St"}, NotFound, "not in a residential permit district"),
        ({"documents": ("DL", "REG", "RES1")}, ValidationError, "Proof of residency 2"),
        ({"documents": (*DOCS, "ZZ")}, NotFound, "No document 'ZZ'"),
        ({"plate": "7ABC123"}, StateError, "already has a permit"),
        ({"plate": "7ABC 12!"}, ValidationError, "not a licence plate"),
        ({"holder": "[bold]x\x1b"}, ValidationError, "control character"),
        ({"holder": ""}, ValidationError, "Name is required"),
        ({"district": "B"}, ValidationError, "is in district A, not B"),
        ({"permit_type": "ZZ"}, NotFound, "No permit type"),
    ]
    for change, err, says in cases:
        kw: dict[str, Any] = {"permit_type": "RA", "address": "212 Oak St", "holder": "Pat",
                              "plate": "9QQQ999", "documents": DOCS, **change}
        with pytest.raises(err, match=says):
            permits.take_application(db, clerk, **kw)
    assert db.scalar("SELECT count(*) FROM permit_applications") == before


def test_markup_in_a_name_is_kept_as_text(db: Database, sell: Sell) -> None:
    assert sell(holder="[bold]Pat[/] $balance").holder == "[bold]Pat[/] $balance"


@pytest.mark.parametrize("db_kind", ["training"])  # trainees: training only
def test_a_trainee_may_not_sell(db: Database, make_clerk: Callable[..., Actor],
                                stocked: Any) -> None:
    with pytest.raises(PermissionDenied, match="may not sell parking permits"):
        permits.take_application(db, make_clerk("trainee"), permit_type="RA",
                                 address="212 Oak St", holder="P", plate="1AAA111",
                                 documents=DOCS)


def test_paid_twice_is_refused_and_rolls_the_receipt_back(db: Database, sell: Sell) -> None:
    p = sell()
    clerk = sell.clerk  # type: ignore[attr-defined]
    app = permits.get_application(db, 1)
    receipts = db.scalar("SELECT count(*) FROM receipts")
    with pytest.raises(StateError, match="is issued"):
        pay(db, clerk, app)
    assert db.scalar("SELECT count(*) FROM receipts") == receipts
    assert permits.get_permit(db, p.number).status == "active"


def test_no_stock_on_hand_refuses_the_sale(db: Database, sell: Sell, supervisor: Actor) -> None:
    clerk = sell.clerk  # type: ignore[attr-defined]
    app = permits.take_application(db, clerk, permit_type="RA", address="10 Cedar Ln",
                                   holder="P", plate="1AAA111", documents=DOCS)
    # B has 10 decals: use them up
    for n in range(10):
        sell(address=f"{10 + n * 2} Maple Dr", plate=f"{n}MMM000")
    receipts = db.scalar("SELECT count(*) FROM receipts")
    with pytest.raises(StateError, match="No decal stock is on hand for district B"):
        pay(db, clerk, app)
    assert db.scalar("SELECT count(*) FROM receipts") == receipts
    stock.receive_range(db, supervisor, "B", "decal", 300011, 300020)
    pay(db, clerk, app)
    assert db.scalar("SELECT number FROM permits WHERE application_id = ?",
                     [app.id]) == format_permit_number(300011)


def test_void_spoils_the_tag_and_voids_the_permit(db: Database, sell: Sell,
                                                  supervisor: Actor) -> None:
    p = sell()
    clerk = sell.clerk  # type: ignore[attr-defined]
    number = db.scalar("SELECT number FROM receipts WHERE id = ?", [p.receipt_id])
    void_receipt(db, clerk, number, "KEY", "wrong plate",
                 override=approve(db, clerk, supervisor, "payment.void"))
    assert permits.get_permit(db, p.number).status == "void"
    assert not permits.get_permit(db, p.number).hot
    rec = stock.reconcile(db, p_range(db, p))
    assert (rec.issued, rec.spoiled, rec.on_hand, rec.balances) == (0, 1, 49, True)
    again = sell()  # the next sale takes the next decal, never the voided one
    assert again.number == format_permit_number(100002) and again.tier == 1


def p_range(db: Database, p: permits.Permit) -> int:
    return int(db.scalar("SELECT range_id FROM permits WHERE id = ?", [p.id]))


def test_clock_is_fixed() -> None:
    assert clock.today().isoformat() == "2026-03-02"
