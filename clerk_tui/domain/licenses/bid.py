"""BID monthly remittance: what was collected for a district in a month leaves trust for the
district's association (trust -> clearing, the payable), once.

Why two tables: `bid_remittances` is UNIQUE per zone and month, and `bid_remitted` holds each
payment line at most once (its primary key), so neither a second run for the month nor a line
picked up by two runs can pay the association twice. A void after a remittance is a negative
line in the month it happened and nets off the next remittance.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from clerk_tui.db import Database
from clerk_tui.domain import audit, clock, ledger
from clerk_tui.domain.actor import Actor
from clerk_tui.domain.authority import authority
from clerk_tui.domain.errors import StateError, ValidationError
from clerk_tui.domain.licenses.rules import license_rules
from clerk_tui.domain.money import format_money

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True)
class Remittance:
    id: int
    zone: str
    month: str
    amount_cents: int
    lines: int
    journal_id: int
    payee: str


def _month_range(month: str) -> tuple[str, str]:
    m = _MONTH.match(month or "")
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise ValidationError(f"{month!r} is not a month (YYYY-MM).")
    first = dt.date(int(m.group(1)), int(m.group(2)), 1)
    return first.isoformat(), clock.add_months(first, 1).isoformat()


def pending_lines(db: Database, zone: str, month: str) -> list[dict]:
    """BID payment lines of `zone` paid in `month` and not yet remitted."""
    lo, hi = _month_range(month)
    return db.all("SELECT p.id, p.amount_cents FROM license_payments p "
                  "JOIN license_terms t ON t.id = p.term_id "
                  "WHERE p.part = 'BID' AND t.bid_zone = ? AND p.paid_on >= ? AND p.paid_on < ? "
                  "AND NOT EXISTS (SELECT 1 FROM bid_remitted r WHERE r.payment_id = p.id) "
                  "ORDER BY p.id", [zone, lo, hi])


def remit(db: Database, actor: Actor, zone_code: str, month: str) -> Remittance:
    """Remit a closed month's BID collections of one zone to its association."""
    authority().require(actor, "license.bid_remit", what="remit BID assessments")
    lo, _hi = _month_range(month)
    if dt.date.fromisoformat(lo) >= clock.today().replace(day=1):
        raise ValidationError(f"{month} is not over yet: remit a closed month.")
    zone = license_rules().zone_on(zone_code, dt.date.fromisoformat(lo))
    with db.write():
        if db.scalar("SELECT 1 FROM bid_remittances WHERE zone = ? AND month = ?",
                     [zone.code, month]):
            raise StateError(f"{zone.name} {month} was already remitted.")
        lines = pending_lines(db, zone.code, month)
        total = sum(r["amount_cents"] for r in lines)
        if total <= 0:
            raise StateError(f"{zone.name} {month}: nothing to remit.")
        posted = ledger.post(db, actor, "bid_remit", [
            ledger.Entry(book="trust", kind="bid_remit", amount_cents=total, fund=zone.fund,
                         gl_code=zone.gl_code, memo=f"{zone.code} {month}"),
            ledger.Entry(book="clearing", kind="bid_remit", amount_cents=-total,
                         fund=zone.fund, gl_code=zone.payable_gl,
                         memo=f"payable to {zone.payee}"),
        ], memo=f"BID remittance {zone.code} {month}")
        rid = db.insert("bid_remittances", {"zone": zone.code, "month": month,
                                            "amount_cents": total,
                                            "journal_id": posted.journal_id,
                                            "created_at": clock.stamp(),
                                            "clerk": actor.username})
        db.executemany("INSERT INTO bid_remitted (payment_id, remittance_id) VALUES (?, ?)",
                       [(r["id"], rid) for r in lines])
        audit.record(db, actor, "license.bid_remit", f"bid:{zone.code}:{month}",
                     after={"amount_cents": total, "lines": len(lines)})
    return Remittance(rid, zone.code, month, total, len(lines), posted.journal_id, zone.payee)


def format_remittance(r: Remittance) -> str:
    """The payment request the finance office acts on (78 columns)."""
    return "\n".join([
        f"BID REMITTANCE / PAYMENT REQUEST  {r.zone} {r.month}", "",
        f"Pay to:       {r.payee}",
        f"Amount:       {format_money(r.amount_cents)}",
        f"Lines:        {r.lines} payment line(s) collected in {r.month}",
        f"Journal:      {r.journal_id} (trust -> payable)",
        f"Remittance:   #{r.id}"])
