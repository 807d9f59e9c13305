"""Notice of delinquency: after `notice_after_days` unpaid (CVC 40206), a letter to the
registered owner (from the DMV owner response) with the notice number, what is due and the
review deadline. The notice date starts the second penalty step and the 14-day review window.

Not noticed: citations paid, dismissed, voided, on a plan (CVC 40220 protects them), on review
or hearing, or already noticed; a plate with no owner on file is counted ("ask DMV") and left
for the next run.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from clerk_tui.db import Database
from clerk_tui.domain import audit, clock
from clerk_tui.domain.actor import Actor
from clerk_tui.domain.citations import letters
from clerk_tui.domain.citations.numbers import notice_number
from clerk_tui.domain.citations.rules import citation_rules
from clerk_tui.domain.citations.store import (
    add_event,
    business_roll,
    due_of,
    events_for,
    owner_of,
)
from clerk_tui.domain.money import format_money


@dataclass
class NoticeRun:
    sent: list[str] = field(default_factory=list)
    no_owner: list[str] = field(default_factory=list)
    text: str = ""

    @property
    def message(self) -> str:
        out = f"{len(self.sent)} notice(s) of delinquency"
        if self.no_owner:
            out += f"; {len(self.no_owner)} plate(s) have no registered owner on file (ask DMV)"
        return out + "."


def candidates(db: Database, on: dt.date) -> list[dict]:
    days = citation_rules().deadlines(on).notice_after_days
    cutoff = (on - dt.timedelta(days=days)).isoformat()
    rows = db.all("SELECT * FROM citations c WHERE issued_on < ? AND NOT EXISTS (SELECT 1 FROM "
                  "citation_events e WHERE e.citation_id = c.id AND e.kind = 'notice') "
                  "ORDER BY id", [cutoff])
    evs = events_for(db, [r["id"] for r in rows])
    return [r for r in rows if (d := due_of(r, evs[r["id"]], on)).due_cents > 0
            and d.status in ("open", "partial")]


def send_notices(db: Database, actor: Actor, on: dt.date | None = None) -> NoticeRun:
    """The desk job: a notice for each candidate with an owner, in one audited write."""
    on = on or clock.today()
    run = NoticeRun()
    bodies: list[str] = []
    with db.write():
        rows = candidates(db, on)
        evs = events_for(db, [r["id"] for r in rows])
        rules = citation_rules()
        for r in rows:
            owner = owner_of(db, r["plate"], r["state"])
            if owner is None:
                run.no_owner.append(r["number"])
                continue
            number = notice_number(r["number"])
            add_event(db, actor, r["id"], "notice", on, ref=number)
            d = due_of(r, [*evs[r["id"]]], on)
            dl = rules.deadlines(on)
            body = letters.render("notice", {
                "date": on.isoformat(), "notice_number": number,
                "owner_name": owner["name"], "owner_address": owner["address"],
                "citation_number": r["number"], "issued_on": r["issued_on"],
                "location": r["location"], "plate": r["plate"], "state": r["state"],
                "make": r["make"], "colour": r["colour"], "violation": r["violation_code"],
                "amount_due": format_money(d.due_cents),
                "pay_by": business_roll(on + dt.timedelta(days=14)).isoformat(),
                "review_by": max(d.deadlines["review_by"] or on,
                                 business_roll(on + dt.timedelta(
                                     days=dl.review_from_notice_days))).isoformat()})
            letters.store_letter(db, actor, r["id"], "notice", body)
            bodies.append(body)
            run.sent.append(r["number"])
        audit.record(db, actor, "citation.notices", f"citation_notices:{on}",
                     after={"sent": len(run.sent), "no_owner": len(run.no_owner),
                            "numbers": run.sent[:50]})
    run.text = "\n\f\n".join(bodies)
    return run
