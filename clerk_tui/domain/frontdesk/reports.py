"""Front-desk collections by fund/GL for a business day, read from the receipts.

Only the front desk's item kinds; voided and reversed lines are shown apart so the net
matches the X/Z reports. Money is no police record: any clerk with reports may read it.
"""

from __future__ import annotations

import datetime as dt

from clerk_tui.db import Database
from clerk_tui.domain import clock
from clerk_tui.domain.frontdesk.items import COPY, LETTER, RELEASE, REPO, SUBPOENA
from clerk_tui.domain.money import format_money

KINDS = (COPY, RELEASE, REPO, SUBPOENA, LETTER)
LABELS = {COPY: "Records copies", RELEASE: "Vehicle releases", REPO: "Repossession fees",
          SUBPOENA: "Subpoena deposits", LETTER: "Clearance letters"}


def collections(db: Database, day: dt.date | None = None) -> list[tuple[str, str, str, int, int, int]]:
    """(kind, fund, gl, count, amount, undone) per kind/fund/GL on the day."""
    day = day or clock.today()
    rows = db.all(
        "SELECT i.kind, i.fund, i.gl_code, count(*) AS n, sum(i.amount_cents) AS amount, "
        "sum(CASE WHEN EXISTS (SELECT 1 FROM receipt_voids v WHERE v.receipt_id = r.id) "
        "THEN i.amount_cents ELSE 0 END) AS undone "
        "FROM receipt_items i JOIN receipts r ON r.id = i.receipt_id "
        f"WHERE i.kind IN ({', '.join('?' * len(KINDS))}) AND r.business_date = ? "
        "GROUP BY i.kind, i.fund, i.gl_code ORDER BY i.kind, i.fund, i.gl_code",
        [*KINDS, day.isoformat()])
    return [(r["kind"], r["fund"], r["gl_code"], r["n"], r["amount"], r["undone"])
            for r in rows]


def collections_report(db: Database, day: dt.date | None = None) -> str:
    day = day or clock.today()
    lines = collections(db, day)
    out = [f"FRONT DESK COLLECTIONS BY FUND/GL  {day.isoformat()}", "",
           f"{'What':<19}{'Fund':<6}{'GL':<10}{'Count':>6}{'Taken':>12}{'Voided':>11}"
           f"{'Net':>12}"]
    for kind, fund, gl, n, amount, undone in lines:
        out.append(f"{LABELS.get(kind, kind)[:18]:<19}{fund[:5]:<6}{gl[:9]:<10}{n:>6}"
                   f"{format_money(amount):>12}{format_money(undone):>11}"
                   f"{format_money(amount - undone):>12}")
    if not lines:
        out.append("No front desk collections on this day.")
    total = sum(a - u for *_, a, u in lines)
    out += ["", f"{'NET TOTAL':<64}{format_money(total):>12}"]
    return "\n".join(out)
