"""Permit tests: the cashier's fixtures (fixed clock 2026-03-02, clerks with open drawers), a
stock of decals, hangtags and visitor permits for both districts, and a helper that sells."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from clerk_tui.db import Database
from clerk_tui.domain.actor import Actor
from clerk_tui.domain.cashier import SaleItem, Tender, new_idempotency_key, post_payment
from clerk_tui.domain.cashier.payments import PaymentResult
from clerk_tui.domain.permits import permits, stock
from tests.domain.cashier.conftest import (  # noqa: F401 (fixtures)
    NOW,
    book_total,
    clerk_with_drawer,
    counts,
    fixed_clock,
    supervisor,
)

DOCS = ("DL", "REG", "RES1", "RES2")


@pytest.fixture
def stocked(db: Database, supervisor: Actor) -> dict[str, stock.StockRange]:  # noqa: F811
    """Decals 100001-100050 and hangtags 200001-200010 in A; decals 300001-300010 in B;
    visitor permits 400001-400020 in A."""
    return {
        "A-decal": stock.receive_range(db, supervisor, "A", "decal", 100001, 100050),
        "A-hangtag": stock.receive_range(db, supervisor, "A", "hangtag", 200001, 200010),
        "B-decal": stock.receive_range(db, supervisor, "B", "decal", 300001, 300010),
        "A-visitor": stock.receive_range(db, supervisor, "A", "visitor", 400001, 400020),
    }


def pay(db: Database, clerk: Actor, app: permits.Application) -> PaymentResult:
    """Pay an application in cash (exact), as the payment screen would."""
    from clerk_tui.domain.cashier import price_items

    items = [SaleItem("permit", app.reference)]
    total = price_items(db, items).total_cents
    return post_payment(db, clerk, new_idempotency_key(), items, [Tender("cash", total)],
                        payer=app.holder)


@pytest.fixture
def sell(db: Database, clerk_with_drawer: Callable[..., Actor],  # noqa: F811
         stocked: dict[str, Any]) -> Callable[..., permits.Permit]:
    """Take an application and pay it; returns the permit issued."""
    clerk = clerk_with_drawer("csr1", "sel")

    def make(address: str = "212 Oak St", plate: str = "7ABC123", permit_type: str = "RA",
             holder: str = "Pat Resident", docs: tuple[str, ...] = DOCS) -> permits.Permit:
        app = permits.take_application(db, clerk, permit_type=permit_type, address=address,
                                       holder=holder, plate=plate, documents=docs)
        pay(db, clerk, app)
        row = db.one("SELECT number FROM permits WHERE application_id = ?", [app.id])
        assert row is not None
        return permits.get_permit(db, row["number"])

    make.clerk = clerk  # type: ignore[attr-defined]
    return make
