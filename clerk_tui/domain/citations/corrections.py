"""Corrections, dismissals and voids.

- A correctable (fix-it) violation with a proof of correction signed off reduces to the data's
  correction amount (CVC 40225(d): $10), penalties dropped.
- A dismissal or a void needs a reason code from rules.toml (`[[reasons]]`); above the clerk's
  `citation_dismiss` limit in authority.toml (the amount taken off) a supervisor approves.
- A dismissed or voided citation held at DMV is released; what was paid on it stays as an
  overpayment for the cashier's refund path.
"""

from __future__ import annotations

import datetime as dt

from clerk_tui.db import Database
from clerk_tui.domain import audit, clock
from clerk_tui.domain.actor import Actor, Override
from clerk_tui.domain.authority import authority
from clerk_tui.domain.citations import dmv
from clerk_tui.domain.citations.contest import Done
from clerk_tui.domain.citations.rules import citation_rules
from clerk_tui.domain.citations.store import add_event, due_of, events_of, get_row
from clerk_tui.domain.errors import StateError, ValidationError
from clerk_tui.domain.money import format_money
from clerk_tui.domain.text import clean_text


def reasons(kind: str, on: dt.date | None = None) -> dict[str, str]:
    other = citation_rules().other(on or clock.today())
    return other.dismiss_reasons if kind == "dismiss" else other.void_reasons


def dismiss(db: Database, actor: Actor, number: str, reason_code: str, note: str = "", *,
            void: bool = False, override: Override | None = None) -> Done:
    """Dismiss (or void) a citation with a reason code; over the limit a supervisor approves."""
    on = clock.today()
    kind = "void" if void else "dismiss"
    code = (reason_code or "").strip().upper()
    if code not in reasons(kind, on):
        raise ValidationError(f"Reason code: one of {', '.join(reasons(kind, on))}.")
    note = clean_text(note, field="Note", max_len=200)
    row = get_row(db, number)
    d = due_of(row, events_of(db, row["id"]), on)
    if d.status in ("dismissed", "voided"):
        raise StateError(f"Citation {row['number']} is already {d.label.lower()}.")
    approver = authority().require(actor, "citation.dismiss", amount_cents=d.total_cents,
                                   limit="citation_dismiss", override=override,
                                   what=f"{kind} a citation of {format_money(d.total_cents)}")
    with db.write():
        add_event(db, actor, row["id"], "voided" if void else "dismissed", on,
                  reason_code=code, reason=note, override_by=approver)
        released = dmv.release_if_held(db, actor, row["id"], "voided" if void else "dismissed",
                                       on)
        audit.record(db, actor, f"citation.{kind}", f"citation:{row['number']}",
                     before={"status": d.status, "due_cents": d.due_cents},
                     after={"reason_code": code, "note": note, "released": released},
                     override_by=approver)
    refund = f" {format_money(d.paid_cents)} was paid: refund it through the cashier." \
        if d.paid_cents else ""
    word = "voided" if void else "dismissed"
    return Done(row["number"], f"Citation {row['number']} {word} ({code}).{refund}",
                override_by=approver)


def correct(db: Database, actor: Actor, number: str, proof: str) -> Done:
    """Proof of correction signed off: a fix-it violation now owes the correction amount."""
    on = clock.today()
    proof = clean_text(proof, field="Proof of correction", max_len=200, required=True)
    row = get_row(db, number)
    v = citation_rules().violation(row["violation_code"],
                                   dt.date.fromisoformat(row["issued_on"]))
    if not v.correctable:
        raise ValidationError(f"{v.code} ({v.description}) is not a correctable violation.")
    events = events_of(db, row["id"])
    if any(e.kind == "corrected" for e in events):
        raise StateError(f"Citation {row['number']} is already corrected.")
    d = due_of(row, events, on)
    if d.closed:
        raise StateError(f"Citation {row['number']} is {d.label.lower()}.")
    amount = citation_rules().fees(on).correction_cents
    authority().require(actor, "citation.correct", what="sign off a proof of correction")
    with db.write():
        add_event(db, actor, row["id"], "corrected", on, amount_cents=amount, reason=proof)
        audit.record(db, actor, "citation.correct", f"citation:{row['number']}",
                     before={"due_cents": d.due_cents},
                     after={"amount_cents": amount, "proof": proof})
    return Done(row["number"], f"Corrected: {row['number']} now owes "
                f"{format_money(max(0, amount - d.paid_cents))} (CVC 40225).")
