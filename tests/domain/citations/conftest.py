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
