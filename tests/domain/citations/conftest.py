"""Citation tests use the cashier's helpers (fixed clock 2026-03-02 10:00, clerks, drawers)
and a few builders of handheld files."""

from __future__ import annotations

from pathlib import Path

from clerk_tui.domain.citations.imports import CITATION_COLUMNS
from clerk_tui.domain.citations.numbers import make_number
from tests.domain.cashier.conftest import (  # noqa: F401 (fixtures)
    NOW,
    approve,
    book_total,
    clerk_with_drawer,
    counts,
    fixed_clock,
    supervisor,
)


def row(serial: int, *, plate: str = "7ABC123", state: str = "CA",
        issued: str = "2026-02-10 09:15", code: str = "MC10.20.010", fine: str = "55.00",
        **kw: str) -> dict[str, str]:
    r = {"citation_number": make_number(serial), "issued_at": issued,
         "location": "100 Main St", "plate": plate, "state": state, "reg_expiry": "2026-08",
         "make": "TOYT", "colour": "BLU", "body_style": "4D", "violation_code": code,
         "fine": fine, "officer_badge": "P123", "remarks": ""}
    r.update(kw)
    return r


def write_csv(path: Path, rows: list[dict[str, str]]) -> Path:
    import csv

    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=list(CITATION_COLUMNS))
        w.writeheader()
        w.writerows(rows)
    return path


def keyed(db, clerk, serial: int, *, plate: str = "7ABC123", state: str = "CA",
          issued: str = "2026-01-05 09:00", code: str = "MC10.20.010") -> str:
    """Key one citation in through the domain; returns its number."""
    import datetime as dt

    from clerk_tui.domain.citations import store
    from clerk_tui.domain.citations.rules import citation_rules

    when = dt.datetime.fromisoformat(issued)
    fine = citation_rules().violation(code, when.date()).fine_cents
    store.key_in(db, clerk, store.NewCitation(
        make_number(serial), when, "1 Test St", plate, state, None, "FORD", "BLK", "4D", code,
        fine, "P1"))
    return make_number(serial)


def hold(db, clerk, number: str, on) -> None:
    """Notice and DMV hold on a citation (through the domain)."""
    from clerk_tui.domain import audit
    from clerk_tui.domain.citations import dmv, store
    from clerk_tui.domain.citations.numbers import notice_number

    row = store.get_row(db, number)
    with db.write():
        store.add_event(db, clerk, row["id"], "notice", on, ref=notice_number(number))
        dmv.queue(db, clerk, row["id"], "hold", "notice unpaid", on)
        audit.record(db, clerk, "test.hold", f"citation:{number}")


def later(when):
    """The clock at `when` for a block, back at NOW after it (clock.frozen unfreezes)."""
    import contextlib

    from clerk_tui.domain import clock

    @contextlib.contextmanager
    def cm():
        clock.set_fixed(when)
        try:
            yield when
        finally:
            clock.set_fixed(NOW)
    return cm()
