"""Money back on a citation: a payment DMV collected (at registration renewal) for a citation
also paid at the counter, or payments on a citation later dismissed or voided.

`record_dmv_payment` notes what DMV collected (DMV remits it to the city apart; no drawer
money moves here). `refund_overpayment` then pays back what was paid beyond what the citation
owes, through the same ledger shape as the cashier's credit refund: cash from the clerk's open
drawer or a city check (refunds payable), within the clerk's `refund` limit in authority.toml
(above it a supervisor approves), audited in the same transaction.
"""

from __future__ import annotations

import datetime as dt

from clerk_tui.db import Database, IntegrityError
from clerk_tui.domain import audit, clock, ledger
from clerk_tui.domain.actor import Actor, Override
from clerk_tui.domain.authority import authority
from clerk_tui.domain.citations.contest import Done
from clerk_tui.domain.citations.rules import citation_rules
from clerk_tui.domain.citations.store import add_event, due_of, events_of, get_row
from clerk_tui.domain.errors import StateError, ValidationError
from clerk_tui.domain.money import check_cents, format_money
from clerk_tui.domain.text import clean_text


def record_dmv_payment(db: Database, actor: Actor, number: str, amount_cents: int,
                       paid_on: dt.date, dmv_ref: str) -> Done:
    """What DMV collected on this citation (from DMV's payment report)."""
    check_cents(amount_cents, "Amount")
    if amount_cents <= 0:
        raise ValidationError("The amount DMV collected must be more than $0.00.")
    if paid_on > clock.today():
        raise ValidationError("The DMV payment date is in the future.")
    dmv_ref = clean_text(dmv_ref, field="DMV reference", max_len=30, required=True)
    row = get_row(db, number)
    authority().require(actor, "citation.jobs", what="record a payment made at DMV")
    with db.write():
        add_event(db, actor, row["id"], "payment", paid_on, amount_cents=amount_cents,
                  ref=f"dmv:{dmv_ref}")
        d = due_of(row, events_of(db, row["id"]), clock.today())
        audit.record(db, actor, "citation.dmv_payment", f"citation:{row['number']}",
                     after={"amount_cents": amount_cents, "paid_on": paid_on.isoformat(),
                            "ref": dmv_ref, "overpaid_cents": d.overpaid_cents})
    extra = f" Overpaid {format_money(d.overpaid_cents)}: refund it (D, P)." \
        if d.overpaid_cents else ""
    return Done(row["number"], f"DMV payment {format_money(amount_cents)} recorded.{extra}")


def refund_overpayment(db: Database, actor: Actor, number: str, reason: str, *,
                       method: str = "check", override: Override | None = None) -> Done:
    """Pay back what was paid beyond what the citation owes (never more)."""
    from clerk_tui.domain.cashier.rules import rules as cashier_rules
    from clerk_tui.domain.cashier.sessions import cash_on_hand, require_open

    if method not in ("cash", "check"):
        raise ValidationError("Refund by cash or by city check.")
    reason = clean_text(reason, field="Reason", max_len=200, required=True)
    row = get_row(db, number)
    over = due_of(row, events_of(db, row["id"]), clock.today()).overpaid_cents
    if over <= 0:
        raise StateError(f"Citation {row['number']} is not overpaid.")
    approver = authority().require(actor, "refund.credit", amount_cents=over, limit="refund",
                                   override=override, what="refund a citation overpayment")
    v = citation_rules().violation(row["violation_code"],
                                   dt.date.fromisoformat(row["issued_on"]))
    memo = f"citation refund {row['number']}: {reason}"[:200]
    try:
        with db.write():
            over2 = due_of(row, events_of(db, row["id"]), clock.today()).overpaid_cents
            if over2 != over:
                raise StateError("The citation changed meanwhile: look again.")
            if method == "cash":
                session = require_open(db, actor)
                if over > cash_on_hand(db, session):
                    raise ValidationError("Not enough cash in the drawer; refund by check.")
                other = ledger.Entry(book="drawer", kind="refund", amount_cents=-over,
                                     drawer_session_id=session.id, tender="cash", memo=memo)
            else:
                other = ledger.Entry(book="clearing", kind="refund", amount_cents=-over,
                                     gl_code=cashier_rules().gl["refunds_payable"], memo=memo)
            ledger.post(db, actor, "refund", [
                ledger.Entry(book="revenue", kind="refund", amount_cents=over, fund=v.fund,
                             gl_code=v.gl_code, memo=memo), other], memo=memo)
            add_event(db, actor, row["id"], "refund", clock.today(), amount_cents=over,
                      ref=method, reason=reason, override_by=approver)
            audit.record(db, actor, "citation.refund", f"citation:{row['number']}",
                         after={"amount_cents": over, "method": method, "reason": reason},
                         override_by=approver)
    except IntegrityError as e:
        if "business day is closed" in str(e):
            raise StateError("Today's business day is closed.") from None
        raise
    return Done(row["number"], f"Refunded {format_money(over)} by {method}.",
                override_by=approver)
