"""Misc. sales by item for one business day, read from the receipts (no table of its own).

Voided and reversed receipts are counted apart, so the day's net matches the X/Z reports.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from clerk_tui.db import Database
from clerk_tui.domain import clock
from clerk_tui.domain.miscsales.items import KIND, parse_reference
from clerk_tui.domain.money import format_money


@dataclass(frozen=True)
class DayLine:
    code: str
    fund: str
    gl_code: str
    quantity: int
    amount_cents: int
    undone_quantity: int
    undone_cents: int

    @property
    def net_cents(self) -> int:
        return self.amount_cents - self.undone_cents


def day_report(db: Database, business_date: dt.date | None = None) -> list[DayLine]:
    """Each item sold on the day: quantity and amount, and how much of it was voided/reversed."""
    day = (business_date or clock.today()).isoformat()
    rows = db.all(
        "SELECT i.reference, i.fund, i.gl_code, i.amount_cents, "
        "(SELECT 1 FROM receipt_voids v WHERE v.receipt_id = r.id) AS undone "
        "FROM receipt_items i JOIN receipts r ON r.id = i.receipt_id "
        "WHERE i.kind = ? AND r.business_date = ? ORDER BY i.reference", [KIND, day])
    acc: dict[tuple[str, str, str], list[int]] = {}
    for r in rows:
        code, qty = parse_reference(r["reference"])
        a = acc.setdefault((code, r["fund"], r["gl_code"]), [0, 0, 0, 0])
        a[0] += qty
        a[1] += r["amount_cents"]
        if r["undone"]:
            a[2] += qty
            a[3] += r["amount_cents"]
    return [DayLine(c, f, g, *v) for (c, f, g), v in sorted(acc.items())]


def format_day_report(lines: list[DayLine], business_date: dt.date | None = None) -> str:
    """Plain text for the report view and the printer (at most 78 columns)."""
    day = (business_date or clock.today()).isoformat()
    out = [f"MISC. SALES BY ITEM  {day}", "",
           f"{'Item':<12}{'Fund':<10}{'GL':<10}{'Qty':>5}{'Sold':>13}{'Voided':>13}{'Net':>13}"]
    for ln in lines:
        out.append(f"{ln.code[:11]:<12}{ln.fund[:9]:<10}{ln.gl_code[:9]:<10}{ln.quantity:>5}"
                   f"{format_money(ln.amount_cents):>13}{format_money(ln.undone_cents):>13}"
                   f"{format_money(ln.net_cents):>13}")
    if not lines:
        out.append("No misc. sales on this day.")
    total = sum(ln.net_cents for ln in lines)
    out += ["", f"{'NET TOTAL':<50}{format_money(total):>26}"]
    return "\n".join(out)
