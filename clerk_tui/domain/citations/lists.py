"""The counter's lists (plain text, at most 78 columns, for the report view and the printer):
boot/tow eligible plates, the review and hearing calendar, aging, collections referrals and
the DMV file log. Statuses come from the pure `due` function, never from stored columns.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from clerk_tui.db import Database
from clerk_tui.domain import audit, clock
from clerk_tui.domain.actor import Actor
from clerk_tui.domain.citations import dmv
from clerk_tui.domain.citations.rules import citation_rules
from clerk_tui.domain.citations.store import add_event, due_of, events_for
from clerk_tui.domain.money import format_money
from clerk_tui.domain.text import visible


def _all_with_events(db: Database, where: str = "", args: list | None = None):
    rows = db.all(f"SELECT * FROM citations {where} ORDER BY id", args or [])
    return rows, events_for(db, [r["id"] for r in rows])


def _noticed(db: Database):
    return _all_with_events(db, "WHERE id IN (SELECT citation_id FROM citation_events "
                                "WHERE kind = 'notice')")


def boot_tow(db: Database, on: dt.date | None = None) -> list[tuple[str, str, int, int]]:
    """Plates with `min_delinquent` or more delinquent citations (noticed and owed; on a plan,
    on review/hearing, dismissed, voided or paid do not count): (plate, state, count, owed)."""
    on = on or clock.today()
    need = citation_rules().other(on).boot_min
    rows, evs = _noticed(db)
    by: dict[tuple[str, str], list[int]] = defaultdict(list)
    for r in rows:
        d = due_of(r, evs[r["id"]], on)
        if d.due_cents > 0 and d.status in ("open", "partial", "hold"):
            by[(r["plate"], r["state"])].append(d.due_cents)
    return sorted(((p, s, len(v), sum(v)) for (p, s), v in by.items() if len(v) >= need),
                  key=lambda t: (-t[2], t[0]))


def format_boot_tow(rows: list[tuple[str, str, int, int]], on: dt.date) -> str:
    need = citation_rules().other(on).boot_min
    out = [f"Boot/tow eligible plates on {on} ({need}+ delinquent citations, CVC 22651(i))",
           "", f"{'Plate':<10}{'St':<4}{'Citations':>10}{'Owed':>14}"]
    out += [f"{visible(p):<10}{s:<4}{n:>10}{format_money(c):>14}" for p, s, n, c in rows]
    out += ["", f"{len(rows)} plate(s)."]
    return "\n".join(out)


def calendar(db: Database, on: dt.date | None = None) -> list[tuple[str, str, str, str]]:
    """Open reviews and hearings, and results whose next deadline has not passed:
    (number, plate, what, deadline or date)."""
    on = on or clock.today()
    rows, evs = _all_with_events(db, "WHERE id IN (SELECT citation_id FROM citation_events "
                                     "WHERE kind IN ('review_requested', 'hearing_requested'))")
    out = []
    for r in rows:
        d = due_of(r, evs[r["id"]], on)
        kinds = [e.kind for e in evs[r["id"]] if e.on <= on]
        if d.status == "review":
            out.append((r["number"], r["plate"], "Review pending", "decide"))
        elif d.status == "hearing":
            out.append((r["number"], r["plate"], "Hearing pending", "decide"))
        elif "hearing_result" in kinds and "appeal_filed" not in kinds \
                and d.deadlines["appeal_by"] and d.deadlines["appeal_by"] >= on:
            out.append((r["number"], r["plate"], "Appeal window",
                        f"by {d.deadlines['appeal_by']}"))
        elif "review_result" in kinds and "hearing_requested" not in kinds \
                and d.deadlines["hearing_by"] and d.deadlines["hearing_by"] >= on \
                and not d.closed:
            out.append((r["number"], r["plate"], "Hearing window",
                        f"by {d.deadlines['hearing_by']}"))
    return out


def format_calendar(rows: list[tuple[str, str, str, str]], on: dt.date) -> str:
    out = [f"Review and hearing calendar on {on}", "",
           f"{'Citation':<12}{'Plate':<10}{'Stage':<18}Deadline"]
    out += [f"{n:<12}{visible(p):<10}{w:<18}{d}" for n, p, w, d in rows]
    out += ["", f"{len(rows)} citation(s)."]
    return "\n".join(out)


BUCKETS = ((0, 21, "0-21 days"), (22, 60, "22-60"), (61, 120, "61-120"),
           (121, 365, "121-365"), (366, 10**6, "over a year"))


def aging(db: Database, on: dt.date | None = None) -> list[tuple[str, int, int]]:
    """Owed citations by age since issue: (bucket, count, owed)."""
    on = on or clock.today()
    rows, evs = _all_with_events(db)
    sums = {label: [0, 0] for _, _, label in BUCKETS}
    for r in rows:
        d = due_of(r, evs[r["id"]], on)
        if d.due_cents <= 0:
            continue
        age = (on - dt.date.fromisoformat(r["issued_on"])).days
        label = next(lb for lo, hi, lb in BUCKETS if lo <= age <= hi)
        sums[label][0] += 1
        sums[label][1] += d.due_cents
    return [(label, c, s) for label, (c, s) in sums.items()]


def format_aging(rows: list[tuple[str, int, int]], on: dt.date) -> str:
    out = [f"Citation aging on {on} (owed, by days since issue)", "",
           f"{'Age':<14}{'Citations':>10}{'Owed':>16}"]
    out += [f"{label:<14}{c:>10}{format_money(s):>16}" for label, c, s in rows]
    out += ["", f"{'Total':<14}{sum(c for _, c, _ in rows):>10}"
                f"{format_money(sum(s for _, _, s in rows)):>16}"]
    return "\n".join(out)


@dataclass(frozen=True)
class Referral:
    number: str
    plate: str
    state: str
    held_on: dt.date
    due_cents: int


def collection_candidates(db: Database, on: dt.date | None = None) -> list[Referral]:
    """Held at DMV for `renewal_periods` registration renewals without being paid: the
    citation goes to the collection agency (a list, like the utility referrals)."""
    on = on or clock.today()
    other = citation_rules().other(on)
    cutoff = on - dt.timedelta(days=other.renewal_periods * other.renewal_period_days)
    rows, evs = _all_with_events(db, "WHERE id IN (SELECT citation_id FROM citation_events "
                                     "WHERE kind = 'hold_placed' AND on_date <= ?)",
                                 [cutoff.isoformat()])
    out = []
    for r in rows:
        d = due_of(r, evs[r["id"]], on)
        held = [e.on for e in evs[r["id"]] if e.kind == "hold_placed"]
        if d.held and d.due_cents > 0 and not d.in_collections and d.status == "hold" \
                and held and held[-1] <= cutoff:
            out.append(Referral(r["number"], r["plate"], r["state"], held[-1], d.due_cents))
    return out


def refer_to_collections(db: Database, actor: Actor, on: dt.date | None = None) -> str:
    """Mark the candidates referred (event) and return the referral list to send."""
    on = on or clock.today()
    agency = citation_rules().other(on).agency
    with db.write():
        found = collection_candidates(db, on)
        marks = ",".join("?" * len(found))
        ids = {r["number"]: r["id"] for r in db.all(
            f"SELECT id, number FROM citations WHERE number IN ({marks})",
            [f.number for f in found])} if found else {}
        for f in found:
            add_event(db, actor, ids[f.number], "collections", on, ref=agency[:40])
        audit.record(db, actor, "citation.collections", f"collections:{on}",
                     after={"referred": len(found), "agency": agency})
    out = [f"Referral to {agency} on {on}", "",
           f"{'Citation':<12}{'Plate':<10}{'St':<4}{'Held since':<12}{'Owed':>12}"]
    out += [f"{f.number:<12}{visible(f.plate):<10}{f.state:<4}{f.held_on!s:<12}"
            f"{format_money(f.due_cents):>12}" for f in found]
    out += ["", f"{len(found)} citation(s), {format_money(sum(f.due_cents for f in found))}."]
    return "\n".join(out)


def format_dmv_log(db: Database) -> str:
    rows = dmv.file_log(db)
    queued = db.scalar("SELECT count(*) FROM citation_dmv_rows WHERE file_id IS NULL "
                       "AND cancelled_at IS NULL")
    out = ["DMV hold/release file log", "", f"Queued now, not yet sent: {queued} row(s)", "",
           f"{'File':<26}{'Rows':>5}{'Holds':>6}{'Rel.':>5}  {'Written':<17}Clerk"]
    out += [f"{r['file_name']:<26}{r['rows']:>5}{r['holds']:>6}{r['releases']:>5}  "
            f"{r['written_at'][:16]:<17}{visible(r['clerk'])[:8]}" for r in rows]
    return "\n".join(out)
