"""The passports counter's reports, as plain text of at most 74 columns (report view, printer).

The daily log and the transmittal list name the State fee instrument (the applicant's check to
the State Department) beside the city's execution fee receipt, but only the city's fees are
revenue: `revenue()` reads receipt lines of item kind `passport` and nothing else.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from clerk_tui.db import Database
from clerk_tui.domain import clock
from clerk_tui.domain.money import format_money
from clerk_tui.domain.passports import agents as agents_mod
from clerk_tui.domain.passports.applications import Application, list_by
from clerk_tui.domain.passports.items import KIND, parse_reference
from clerk_tui.domain.passports.transmittals import get_transmittal, overdue

WIDTH = 74
"""The report view shows 74 columns inside its frame at 80x24 (no wrapping)."""


def _inst(a: Application) -> str:
    return (a.instrument or "-").replace("money order", "MO").replace("check", "CK")


def _line(a: Application) -> str:
    name = (a.name or "(purged)")[:18]
    return (f"{a.number:<10}{name[:17]:<18}{a.form:<6}{a.product[:4]:<5}{_inst(a)[:20]:<21}"
            f"{str(a.exec_receipt or '-'):>7} {(a.executed_by or '-')[:6]}")


_HEAD = (f"{'Number':<10}{'Applicant':<18}{'Form':<6}{'Prod':<5}{'State fee instrument':<21}"
         f"{'ExecRc':>7} Agent")


def daily_log(db: Database, day: dt.date | None = None) -> str:
    """Applications executed on `day`: who, what, the State instrument, the city receipt."""
    day = day or clock.today()
    apps = list_by(db, "a.executed_on = ?", [day.isoformat()], "a.executed_at, a.id")
    out = [f"PASSPORT ACCEPTANCE LOG  {day.isoformat()}", "", _HEAD]
    out += [_line(a) for a in apps] or ["No applications executed on this day."]
    state = sum(a.state_fee_cents for a in apps)
    out += ["", f"{len(apps)} application(s); State Department instruments "
            f"{format_money(state)}", "(pass-through to the State Department: not city money)."]
    return "\n".join(out)


def transmittal_list(db: Database, tid: int | str) -> str:
    t = get_transmittal(db, tid)
    out = [f"PASSPORT TRANSMITTAL {t.tracking}",
           f"{'Hand-carried' if t.method == 'hand' else 'Mailed'}; made {t.created_on} by "
           f"{t.created_by}; left {t.left_on or 'NOT YET'}", "", _HEAD]
    out += [_line(a) for a in t.applications]
    state = sum(a.state_fee_cents for a in t.applications)
    out += ["", f"{len(t.applications)} application(s); State fee instruments enclosed: "
            f"{format_money(state)}"]
    return "\n".join(out)


def revenue(db: Database, start: dt.date, end: dt.date) -> str:
    """City passport fees (execution, photo) by fund and GL, voided/reversed shown apart."""
    rows = db.all(
        "SELECT i.reference, i.fund, i.gl_code, i.amount_cents, "
        "(SELECT 1 FROM receipt_voids v WHERE v.receipt_id = r.id) AS undone "
        "FROM receipt_items i JOIN receipts r ON r.id = i.receipt_id "
        "WHERE i.kind = ? AND r.business_date BETWEEN ? AND ?",
        [KIND, start.isoformat(), end.isoformat()])
    acc: dict[tuple[str, str, str], list[int]] = {}
    for r in rows:
        _, code = parse_reference(r["reference"])
        a = acc.setdefault((r["fund"], r["gl_code"], code), [0, 0, 0])
        a[0] += 1
        a[1] += r["amount_cents"]
        if r["undone"]:
            a[2] += r["amount_cents"]
    out = [f"PASSPORT FEE REVENUE  {start.isoformat()} to {end.isoformat()}", "",
           f"{'Fund':<8}{'GL':<12}{'Fee':<8}{'Count':>6}{'Taken':>12}{'Voided':>12}"
           f"{'Net':>12}"]
    for (fund, gl, code), (n, cents, undone) in sorted(acc.items()):
        out.append(f"{fund:<8}{gl:<12}{code:<8}{n:>6}{format_money(cents):>12}"
                   f"{format_money(undone):>12}{format_money(cents - undone):>12}")
    if not acc:
        out.append("No passport fees taken in this period.")
    net = sum(v[1] - v[2] for v in acc.values())
    out += ["", f"{'NET CITY REVENUE':<50}{format_money(net):>20}",
            "State Department fees are not city revenue and are not in this report."]
    return "\n".join(out)


def monthly_counts(db: Database, month: str) -> str:
    """Applications executed in `month` (YYYY-MM) by product, service and age group."""
    dt.date.fromisoformat(f"{month}-01")
    apps = list_by(db, "substr(a.executed_on, 1, 7) = ?", [month])
    by = Counter((a.product, a.service, a.age_group) for a in apps)
    out = [f"PASSPORT APPLICATIONS BY PRODUCT AND SERVICE  {month}", "",
           f"{'Product':<10}{'Service':<24}{'Age':<8}{'Count':>8}"]
    for (p, s, g), n in sorted(by.items()):
        out.append(f"{p:<10}{s:<24}{g:<8}{n:>8}")
    if not by:
        out.append("No applications executed in this month.")
    out += ["", f"{'TOTAL':<42}{len(apps):>8}"]
    return "\n".join(out)


def overdue_report(db: Database, on: dt.date | None = None) -> str:
    on = on or clock.today()
    items = overdue(db, on)
    out = [f"OVERDUE PASSPORT TRANSMITTALS  {on.isoformat()}", "",
           f"{'What':<13}{'Number':<16}{'Since':<12}{'Bus.days':>9}  Detail"]
    for o in items:
        out.append(f"{o.what:<13}{o.key[:15]:<16}{o.since.isoformat():<12}{o.business_days:>9}"
                   f"  {o.detail[:22]}")
    if not items:
        out.append("Nothing overdue.")
    return "\n".join(out)


def agents_report(db: Database, on: dt.date | None = None) -> str:
    on = on or clock.today()
    out = [f"PASSPORT ACCEPTANCE AGENTS  {on.isoformat()}", "",
           f"{'Clerk':<12}{'Name':<20}{'Certified':<12}{'Expires':<12}Status"]
    for a in agents_mod.list_agents(db):
        out.append(f"{a.username[:11]:<12}{a.full_name[:19]:<20}{a.certified_on.isoformat():<12}"
                   f"{a.expires_on.isoformat():<12}{a.status(on)[:18]}")
    facility = agents_mod.facility_warning(db, on)
    due = agents_mod.compliance_due(db)
    out += ["", f"Facility compliance due: {due.isoformat() if due else 'not recorded'}"]
    if facility:
        out.append(facility)
    return "\n".join(out)
