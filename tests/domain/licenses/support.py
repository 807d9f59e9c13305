"""A fresh license charge to sell, for tests that pay every item kind (the cross-process void
test's REFERENCES): each call makes a new license, so each payment has something owed."""

from __future__ import annotations

import datetime as dt
import itertools

from clerk_tui.db import Database
from clerk_tui.domain.actor import SYSTEM
from clerk_tui.domain.licenses import records
from clerk_tui.domain.licenses.records import Application

_n = itertools.count(1)


def fresh_charge(kind: str):  # -> Callable[[Database], str]
    """`license`: the state's CASp share of a new license (trust, $0.40); `bid`: the BID
    assessment of a new Downtown license ($90.00); `event`: a new event permit's deposit
    ($250.00). The function returns the reference (the amount is the caller's)."""

    def make(db: Database) -> str:
        n = next(_n)
        if kind == "event":
            from clerk_tui.domain import clock
            from clerk_tui.domain.licenses.events import EventApplication, apply_event

            day = clock.today() + dt.timedelta(days=30)
            p = apply_event(db, SYSTEM, EventApplication(f"Org {n}", "Street fair", "Main St",
                                                         day, day, 200))
            return f"{p.number}-DEP"
        lic = records.apply(db, SYSTEM, Application(f"Sample {n}", "Sam", f"{300 + n} Main St",
                                                    "448", gross_receipts_cents=100_000_00))
        year = lic.current_term.year if lic.current_term else 0
        if kind == "bid":
            return f"{lic.number}-{year}"
        return f"{lic.number}-{year}-CASPS"

    return make
