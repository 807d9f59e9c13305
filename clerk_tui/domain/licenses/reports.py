"""License reports, plain text at most 78 columns, for the report view and the printer:
issued, renewals due, delinquent, revenue by class and fund/GL, pending reviews by
department, the CASp quarterly remittance and the BID month."""

from __future__ import annotations

import datetime as dt

from clerk_tui.db import Database
from clerk_tui.domain import clock
from clerk_tui.domain.licenses import bid, records
from clerk_tui.domain.licenses.due import LABELS
from clerk_tui.domain.licenses.rules import license_rules
from clerk_tui.domain.money import format_money

LIMIT = 2000
"""Rows listed at most (the totals always count everything)."""


def issued(db: Database, start: dt.date, end: dt.date) -> str:
    rows = db.all("SELECT l.number, l.business_name, l.class_code, h.at FROM license_history h "
                  "JOIN licenses l ON l.id = h.license_id WHERE h.event = 'status issued' AND "
                  "h.at >= ? AND h.at < ? ORDER BY h.at",
                  [start.isoformat(), (end + dt.timedelta(days=1)).isoformat()])
    out = [f"LICENSES ISSUED OR RENEWED  {start} to {end}", "",
           f"{'License':<9}{'Business':<44}{'Class':<7}{'When':<17}"]
    out += [f"{r['number']:<9}{r['business_name'][:43]:<44}{r['class_code']:<7}{r['at'][:16]}"
            for r in rows[:LIMIT]]
    out += ["", f"{len(rows)} license(s)."]
    return "\n".join(out)


def renewals_due(db: Database, on: dt.date | None = None) -> str:
    on = on or clock.today()
    end = clock.add_months(on.replace(day=1), 2) - dt.timedelta(days=1)
    rows = db.all("SELECT l.number, l.business_name, l.status, max(t.ends_on) AS ends_on "
                  "FROM licenses l JOIN license_terms t ON t.license_id = l.id "
                  "WHERE l.status IN ('issued', 'expired') GROUP BY l.id "
                  "HAVING max(t.ends_on) <= ? ORDER BY ends_on, l.number", [end.isoformat()])
    out = [f"RENEWALS DUE BY {end}", "", f"{'License':<9}{'Business':<48}{'Status':<10}Ends"]
    out += [f"{r['number']:<9}{r['business_name'][:47]:<48}{r['status']:<10}{r['ends_on']}"
            for r in rows[:LIMIT]]
    out += ["", f"{len(rows)} license(s) to renew."]
    return "\n".join(out)


def delinquent(db: Database, on: dt.date | None = None) -> str:
    on = on or clock.today()
    ids = [r["id"] for r in db.all("SELECT id FROM licenses WHERE status = 'delinquent' "
                                   "ORDER BY number")]
    out = [f"DELINQUENT LICENSES  {on}", "",
           f"{'License':<9}{'Business':<40}{'Months':>7}{'Due':>14}"]
    total = 0
    for lid in ids:
        lic = records.get_license(db, lid, on)
        late = max((d.months_late for d in lic.dues), default=0)
        total += lic.total_due_cents
        if len(out) < LIMIT:
            out.append(f"{lic.number:<9}{lic.business_name[:39]:<40}{late:>7}"
                       f"{format_money(lic.total_due_cents):>14}")
    out += ["", f"{len(ids)} license(s), {format_money(total)} due (penalties included)."]
    return "\n".join(out)


def revenue(db: Database, start: dt.date, end: dt.date) -> str:
    """Money taken for licenses between two business dates, by part, class and fund/GL,
    net of voids and reversals."""
    rows = db.all(
        "SELECT p.part, l.class_code, p.fund, p.gl_code, sum(p.amount_cents) AS cents "
        "FROM license_payments p JOIN licenses l ON l.id = p.license_id "
        "WHERE p.paid_on >= ? AND p.paid_on <= ? "
        "GROUP BY p.part, l.class_code, p.fund, p.gl_code ORDER BY p.part, l.class_code",
        [start.isoformat(), end.isoformat()])
    out = [f"LICENSE REVENUE BY CLASS AND FUND/GL  {start} to {end}", "",
           f"{'Part':<26}{'Class':<7}{'Fund':<6}{'GL':<12}{'Net':>14}"]
    for r in rows:
        out.append(f"{LABELS.get(r['part'], r['part'])[:25]:<26}{r['class_code']:<7}"
                   f"{r['fund']:<6}{r['gl_code']:<12}{format_money(r['cents']):>14}")
    out += ["", f"{'TOTAL':<51}{format_money(sum(r['cents'] for r in rows)):>14}"]
    return "\n".join(out)


def pending_by_department(db: Database, on: dt.date | None = None) -> str:
    on = on or clock.today()
    rows = records.pending_reviews(db, on)
    out = [f"PENDING REVIEWS BY DEPARTMENT  {on}", ""]
    rules = license_rules()
    for dept in rules.departments:
        mine = [r for r in rows if r["department"] == dept.code]
        if not mine:
            continue
        out.append(f"{dept.name} ({len(mine)}, oldest {mine[0]['age_days']} days)")
        out += [f"  {r['number']:<9}{r['business_name'][:50]:<51}{r['age_days']:>5} days"
                for r in mine[:LIMIT]]
        out.append("")
    if len(out) == 2:
        out.append("No reviews pending.")
    return "\n".join(out)


def quarter_range(year: int, quarter: int) -> tuple[dt.date, dt.date]:
    if not 1 <= quarter <= 4:
        raise ValueError("quarter is 1 to 4")
    start = dt.date(year, 3 * quarter - 2, 1)
    return start, clock.add_months(start, 3) - dt.timedelta(days=1)


def casp_quarter(db: Database, year: int, quarter: int) -> tuple[int, int, int]:
    """(licenses, city cents, state cents) of CASp fees collected in a quarter, net."""
    start, end = quarter_range(year, quarter)
    r = db.one("SELECT count(DISTINCT CASE WHEN part = 'CASPS' THEN license_id END) AS n, "
               "coalesce(sum(CASE WHEN part = 'CASPC' THEN amount_cents END), 0) AS city, "
               "coalesce(sum(CASE WHEN part = 'CASPS' THEN amount_cents END), 0) AS state "
               "FROM license_payments WHERE part IN ('CASPC', 'CASPS') AND paid_on >= ? "
               "AND paid_on <= ?", [start.isoformat(), end.isoformat()])
    assert r is not None
    return r["n"], r["city"], r["state"]


def casp_report(db: Database, year: int, quarter: int) -> str:
    """The quarterly CASp remittance (Gov. Code 4467): the state's share leaves trust for the
    Division of the State Architect."""
    start, end = quarter_range(year, quarter)
    n, city, state = casp_quarter(db, year, quarter)
    return "\n".join([
        f"CASp FEE QUARTERLY REMITTANCE  {year} Q{quarter} ({start} to {end})", "",
        f"Licenses issued or renewed with the fee:  {n}",
        f"Collected in all:                         {format_money(city + state):>14}",
        f"Retained by the city (revenue):           {format_money(city):>14}",
        f"Due to the state (trust, remit to DSA):   {format_money(state):>14}", "",
        "Source: Gov. Code 4467; the state's share is remitted quarterly."])


def bid_month(db: Database, month: str) -> str:
    """What each zone collected in a month and whether it was remitted."""
    out = [f"BID COLLECTIONS  {month}", ""]
    for z in license_rules().zones_on(clock.today()):
        waiting = sum(r["amount_cents"] for r in bid.pending_lines(db, z.code, month))
        done = db.one("SELECT amount_cents, created_at FROM bid_remittances WHERE zone = ? "
                      "AND month = ?", [z.code, month])
        out.append(f"{z.name:<40}remitted "
                   f"{format_money(done['amount_cents']) if done else 'no':>12}"
                   f"  waiting {format_money(waiting):>12}")
    return "\n".join(out)
