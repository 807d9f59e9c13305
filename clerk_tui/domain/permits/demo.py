"""Demo data for the sandbox: two districts with stock, a handful of permits sold today
(residents, a guest hangtag, a visitor permit), one lost permit replaced (its number on the
hot list) and one damaged decal, in a drawer that is counted and approved.

Everything goes through the real functions (stock received by the supervisor, applications
taken and paid on receipts, the drawer closed), so the demo obeys every rule the counter does;
it is a few dozen rows, built in well under a second.
"""

from __future__ import annotations

from dataclasses import dataclass

from clerk_tui.db import Database
from clerk_tui.domain import auth, clock
from clerk_tui.domain.cashier import (
    DrawerCount,
    SaleItem,
    Tender,
    approve_session,
    open_session,
    post_payment,
    price_items,
    submit_count,
)
from clerk_tui.domain.cashier.denominations import make_change
from clerk_tui.domain.cashier.sessions import cash_on_hand, current_session
from clerk_tui.domain.permits import permits, stock

RANGES = (("A", "decal", 100001, 100500), ("A", "hangtag", 200001, 200100),
          ("A", "visitor", 400001, 400200), ("B", "decal", 300001, 300300),
          ("B", "hangtag", 500001, 500100), ("B", "visitor", 600001, 600200))
"""Boxes received: (district, stock, first serial, last serial)."""

RESIDENT = ("DL", "REG", "RES1", "RES2")
SALES: tuple[tuple[str, str, str, str, str, tuple[str, ...]], ...] = (
    ("RA", "212 Oak St", "Robin Alvarez", "7ABC123", "Silver Corolla", RESIDENT),
    ("RA", "212 Oak St", "Robin Alvarez", "8DEF456", "Red Fit", RESIDENT),
    ("RQ", "251 Elm St #2", "Chris Nguyen", "6GHI789", "Black Civic", RESIDENT),
    ("GU", "212 Oak St", "Robin Alvarez", "", "", ("DL", "RES1", "RES2")),
    ("DV", "103 2nd Ave", "Lee Patel", "", "", ("DL",)),
    ("RA", "600 University Ave", "Dana Okafor", "5JKL012", "White Prius", RESIDENT),
    ("RQ", "12 Maple Dr", "Sam Rivera", "4MNO345", "Blue F-150", RESIDENT),
    ("BU", "220 Elm St", "Elm Street Bakery", "3PQR678", "Delivery van",
     ("DL", "REG", "BLIC")),
)
"""Each demo sale: type, address, holder, plate, vehicle, documents ticked."""


@dataclass(frozen=True)
class PermitDemo:
    numbers: tuple[str, ...]
    replaced: str
    replacement: str


def generate(db: Database, clerk: str = "csr2", supervisor: str = "super",
             workstation: str = "demo-permits") -> PermitDemo:
    """Receive stock, sell `SALES`, replace the first permit as lost, close the drawer."""
    actor = auth.clerk_actor(db, clerk, workstation)
    sup = auth.clerk_actor(db, supervisor, workstation)
    for district, kind, low, high in RANGES:
        stock.receive_range(db, sup, district, kind, low, high, "demo stock")
    open_session(db, actor)
    today = clock.today().isoformat()

    def paid(app: permits.Application, n: int) -> str:
        items = [SaleItem("permit", app.reference)]
        total = price_items(db, items).total_cents
        post_payment(db, actor, f"demo-permit-{today}-{n}", items,
                     [Tender("cash", -(-total // 500) * 500)], payer=app.holder)
        return str(db.scalar("SELECT number FROM permits WHERE application_id = ?", [app.id]))

    numbers = []
    for n, (kind, address, holder, plate, vehicle, docs) in enumerate(SALES, start=1):
        app = permits.take_application(db, actor, permit_type=kind, address=address,
                                       holder=holder, plate=plate, vehicle=vehicle,
                                       documents=docs)
        numbers.append(paid(app, n))
    replaced = numbers[0]
    replacement = paid(permits.start_replacement(db, actor, replaced, "lost"), len(SALES) + 1)
    stock.mark_damaged(db, actor, "100010", "demo: torn in the printer")
    session = current_session(db, actor)
    assert session is not None
    submit_count(db, actor, DrawerCount(make_change(cash_on_hand(db, session))))
    approve_session(db, sup, session.id)
    return PermitDemo(tuple(numbers), replaced, replacement)


def sandbox_builder(db: Database, *, seed: int, accounts: int) -> PermitDemo:
    """The permits' share of a new sandbox (its manifest's `demo`): the same whatever the
    seed or the size of the town."""
    return generate(db)
