"""A permit application as a sample receipt reference for the cashier's cross-process test
(tests/domain/cashier/test_cross_process_void.py): an application is paid once, so each
payment there needs a new one."""

from __future__ import annotations

import itertools

from clerk_tui.db import Database
from clerk_tui.domain import auth
from clerk_tui.domain.permits import permits, stock

_houses = itertools.count(100, 2)  # even side of Oak St: one dwelling per application


def permit_reference(db: Database) -> str:
    """A new resident annual application (1st vehicle: $40.00) in district A, with decal stock
    received once per database by the test's supervisor ("sup")."""
    sup = auth.clerk_actor(db, "sup", "ws-test")
    if not db.scalar("SELECT 1 FROM permit_stock_ranges WHERE district = 'A' AND "
                     "stock = 'decal'"):
        stock.receive_range(db, sup, "A", "decal", 900001, 900100)
    house = next(_houses)
    app = permits.take_application(db, sup, permit_type="RA", address=f"{house} Oak St",
                                   holder="Cross Process", plate=f"X{house}",
                                   documents=("DL", "REG", "RES1", "RES2"))
    return app.reference
