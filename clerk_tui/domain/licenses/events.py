"""Special-event and nonprofit daily permits: organiser, event, dates, place, attendance,
insurance certificate, department sign-offs (data), the fee (waived for a nonprofit with its
proof recorded) and a clean-up deposit held in trust; after the event the close-out says
whether the deposit comes back (refund: cash from the drawer or a city check) or is kept
(forfeit: trust -> revenue), once.

Money in goes through the cashier (item kind `event`: `<number>-FEE` revenue, `<number>-DEP`
trust). Money out (the deposit) follows the cashier's refund rules: the `refund` limit of the
clerk's role in authority.toml (above it a supervisor's override), cash only from the clerk's
open drawer and only what it holds, a city check posted to refunds payable.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from clerk_tui.db import Database
from clerk_tui.domain import audit, clock, ledger
from clerk_tui.domain.actor import Actor, Override
from clerk_tui.domain.authority import authority
from clerk_tui.domain.cashier.rules import rules as cashier_rules
from clerk_tui.domain.cashier.sessions import cash_on_hand, require_open
from clerk_tui.domain.errors import NotFound, StateError, ValidationError
from clerk_tui.domain.licenses.numbers import FIRST_SERIAL, license_number, parse_number
from clerk_tui.domain.licenses.records import key
from clerk_tui.domain.licenses.rules import license_rules
from clerk_tui.domain.money import format_money
from clerk_tui.domain.text import clean_text

MAX_DAYS = 14


@dataclass(frozen=True)
class EventApplication:
    organiser: str
    event_name: str
    place: str
    starts_on: dt.date
    ends_on: dt.date
    attendance: int
    nonprofit: bool = False
    nonprofit_proof: str = ""
    insurance_expires_on: dt.date | None = None
    phone: str = ""


@dataclass(frozen=True)
class Signoff:
    id: int
    department: str
    status: str
    note: str


@dataclass(frozen=True)
class EventPermit:
    id: int
    number: str
    organiser: str
    event_name: str
    place: str
    starts_on: dt.date
    ends_on: dt.date
    attendance: int
    nonprofit: bool
    nonprofit_proof: str
    insurance_expires_on: dt.date | None
    fee_cents: int
    deposit_cents: int
    status: str
    deposit_outcome: str
    signoffs: tuple[Signoff, ...]
    paid: dict[str, int]
    deposit_returned: str
    """'' while the deposit is held; 'cash', 'check' or 'forfeit' once settled."""

    @property
    def owed(self) -> dict[str, int]:
        out = {}
        for part, charge in (("FEE", self.fee_cents), ("DEP", self.deposit_cents)):
            left = charge - self.paid.get(part, 0)
            if left > 0:
                out[part] = left
        return out


def _permit_id(db: Database, number: str) -> int:
    found = db.scalar("SELECT id FROM event_permits WHERE number = ?", [parse_number(number)])
    if found is None:
        raise NotFound(f"No event permit {number}.")
    return int(found)


def get_permit(db: Database, number_or_id: str | int) -> EventPermit:
    pid = number_or_id if isinstance(number_or_id, int) else _permit_id(db, number_or_id)
    r = db.one("SELECT * FROM event_permits WHERE id = ?", [pid])
    if r is None:
        raise NotFound(f"No event permit #{pid}.")
    signoffs = tuple(Signoff(s["id"], s["department"], s["status"], s["note"]) for s in db.all(
        "SELECT * FROM event_signoffs WHERE permit_id = ? ORDER BY id", [pid]))
    paid: dict[str, int] = {}
    for p in db.all("SELECT part, sum(amount_cents) AS c FROM event_payments WHERE "
                    "permit_id = ? GROUP BY part", [pid]):
        paid[p["part"]] = p["c"]
    returned = db.scalar("SELECT how FROM event_deposit_returns WHERE permit_id = ?", [pid]) or ""
    ins = r["insurance_expires_on"]
    return EventPermit(r["id"], r["number"], r["organiser"], r["event_name"], r["place"],
                       dt.date.fromisoformat(r["starts_on"]), dt.date.fromisoformat(r["ends_on"]),
                       r["attendance"], bool(r["nonprofit"]), r["nonprofit_proof"],
                       dt.date.fromisoformat(ins) if ins else None, r["fee_cents"],
                       r["deposit_cents"], r["status"], r["deposit_outcome"], signoffs, paid,
                       returned)


def apply_event(db: Database, actor: Actor, a: EventApplication) -> EventPermit:
    """Take an application: the fee by days (waived for a nonprofit with proof), the deposit,
    and the sign-offs the data names (police too above the attendance threshold)."""
    authority().require(actor, "license.renew", what="take a special-event application")
    organiser = clean_text(a.organiser, field="Organiser", max_len=80, required=True)
    name = clean_text(a.event_name, field="Event", max_len=80, required=True)
    place = clean_text(a.place, field="Place", max_len=120, required=True)
    proof = clean_text(a.nonprofit_proof, field="Nonprofit proof", max_len=80)
    phone = clean_text(a.phone, field="Phone", max_len=24)
    today = clock.today()
    if a.starts_on < today:
        raise ValidationError("The event starts in the past.")
    if a.ends_on < a.starts_on:
        raise ValidationError("The event ends before it starts.")
    days = (a.ends_on - a.starts_on).days + 1
    if days > MAX_DAYS:
        raise ValidationError(f"A daily permit covers at most {MAX_DAYS} days.")
    if not isinstance(a.attendance, int) or not 0 <= a.attendance <= 1_000_000:
        raise ValidationError("Expected attendance is a whole number (0 to 1,000,000).")
    if a.nonprofit and not proof:
        raise ValidationError("A nonprofit's fee waiver needs its proof (e.g. IRS 501(c)(3) "
                              "letter number).")
    if a.insurance_expires_on is not None and a.insurance_expires_on < a.ends_on:
        raise ValidationError("The insurance certificate expires before the event ends.")
    r = license_rules().events_on(a.starts_on)
    fee = 0 if a.nonprofit else r.fee_per_day_cents * days
    departments = list(r.signoffs)
    if a.attendance >= r.police_attendance and "police" not in departments:
        departments.append("police")
    with db.write():
        next_id = int(db.scalar("SELECT coalesce(max(id), 0) + 1 FROM event_permits"))
        pid = db.insert("event_permits", {
            "number": license_number(FIRST_SERIAL + 500000 + next_id), "organiser": organiser,
            "organiser_key": key(organiser), "phone": phone, "event_name": name, "place": place,
            "starts_on": a.starts_on.isoformat(), "ends_on": a.ends_on.isoformat(),
            "attendance": a.attendance, "nonprofit": int(a.nonprofit), "nonprofit_proof": proof,
            "insurance_received_on": today.isoformat() if a.insurance_expires_on else None,
            "insurance_expires_on": a.insurance_expires_on.isoformat()
            if a.insurance_expires_on else None,
            "fee_cents": fee, "deposit_cents": r.deposit_cents, "status": "applied",
            "created_at": clock.stamp(), "created_by": actor.username})
        for d in departments:
            db.insert("event_signoffs", {"permit_id": pid, "department": d})
        audit.record(db, actor, "event.apply", f"event:{pid}",
                     after={"fee_cents": fee, "deposit_cents": r.deposit_cents,
                            "nonprofit": a.nonprofit, "signoffs": departments})
    return get_permit(db, pid)


def sign_off(db: Database, actor: Actor, signoff_id: int, decision: str,
             note: str = "") -> EventPermit:
    """A department's sign-off (its `license.review.<dept>` permission); a denial denies."""
    if decision not in ("approved", "denied"):
        raise ValidationError("A sign-off is approved or denied.")
    note = clean_text(note, field="Note", max_len=200, required=decision == "denied")
    row = db.one("SELECT * FROM event_signoffs WHERE id = ?", [signoff_id])
    if row is None:
        raise NotFound(f"No sign-off #{signoff_id}.")
    dept = license_rules().department(row["department"])
    authority().require(actor, dept.permission, what=f"sign off for {dept.name}")
    with db.write():
        if db.scalar("SELECT status FROM event_signoffs WHERE id = ?", [signoff_id]) != "pending":
            raise StateError(f"{dept.name} already signed off.")
        pid = row["permit_id"]
        db.execute("UPDATE event_signoffs SET status = ?, note = ?, decided_by = ?, "
                   "decided_at = ? WHERE id = ?",
                   [decision, note, actor.username, clock.stamp(), signoff_id])
        if decision == "denied":
            db.execute("UPDATE event_signoffs SET status = 'withdrawn' WHERE permit_id = ? AND "
                       "status = 'pending'", [pid])
            db.execute("UPDATE event_permits SET status = 'denied' WHERE id = ?", [pid])
        elif not db.scalar("SELECT 1 FROM event_signoffs WHERE permit_id = ? AND "
                           "status = 'pending'", [pid]):
            db.execute("UPDATE event_permits SET status = 'approved' WHERE id = ?", [pid])
        audit.record(db, actor, "event.signoff", f"event:{pid}",
                     after={"department": dept.code, "decision": decision})
    return get_permit(db, pid)


def issue_permit(db: Database, actor: Actor, number: str) -> EventPermit:
    """Issue once every sign-off approved, insurance on file and the fee and deposit paid."""
    authority().require(actor, "license.issue", what="issue an event permit")
    pid = _permit_id(db, number)
    with db.write():
        p = get_permit(db, pid)
        if p.status != "approved":
            raise StateError(f"Event permit {p.number} is {p.status}: only an approved one "
                             "is issued.")
        if p.insurance_expires_on is None:
            raise StateError("No insurance certificate on file.")
        if p.owed:
            raise StateError("Not paid: " + ", ".join(
                f"{'fee' if k == 'FEE' else 'deposit'} {format_money(v)}"
                for k, v in p.owed.items()) + ".")
        db.execute("UPDATE event_permits SET status = 'issued' WHERE id = ?", [pid])
        audit.record(db, actor, "event.issue", f"event:{pid}")
    return get_permit(db, pid)


def close_out(db: Database, actor: Actor, number: str, refund_deposit: bool,
              note: str = "") -> EventPermit:
    """After the event, the close-out department says whether the deposit comes back."""
    r = license_rules()
    pid = _permit_id(db, number)
    p = get_permit(db, pid)
    dept = r.department(r.events_on(p.starts_on).closeout)
    authority().require(actor, dept.permission, what=f"close out an event for {dept.name}")
    note = clean_text(note, field="Note", max_len=200, required=not refund_deposit)
    if p.status != "issued":
        raise StateError(f"Event permit {p.number} is {p.status}.")
    if clock.today() <= p.ends_on:
        raise StateError(f"The event runs until {p.ends_on}: close it out afterwards.")
    with db.write():
        db.execute("UPDATE event_permits SET status = 'closed', deposit_outcome = ?, "
                   "closeout_note = ? WHERE id = ?",
                   ["refund" if refund_deposit else "forfeit", note, pid])
        audit.record(db, actor, "event.closeout", f"event:{pid}",
                     after={"refund_deposit": refund_deposit, "by": dept.code})
    return get_permit(db, pid)


def return_deposit(db: Database, actor: Actor, number: str, how: str, reason: str = "", *,
                   override: Override | None = None) -> EventPermit:
    """Settle a closed-out permit's deposit, once: `cash`/`check` when the close-out said
    refund, `forfeit` when it said keep (trust -> revenue)."""
    if how not in ("cash", "check", "forfeit"):
        raise ValidationError("The deposit goes back in cash or by city check, or is forfeited.")
    pid = _permit_id(db, number)
    p = get_permit(db, pid)
    held = p.paid.get("DEP", 0)
    if p.status != "closed" or not p.deposit_outcome:
        raise StateError("Close the event out first (does the deposit come back?).")
    if p.deposit_returned:
        raise StateError(f"The deposit was already settled ({p.deposit_returned}).")
    if held <= 0:
        raise StateError("No deposit was paid.")
    if (how == "forfeit") != (p.deposit_outcome == "forfeit"):
        raise StateError("The close-out said " + ("keep" if p.deposit_outcome == "forfeit"
                                                  else "refund") + " the deposit.")
    reason = clean_text(reason or p.deposit_outcome, field="Reason", max_len=200)
    approver = None
    if how != "forfeit":
        approver = authority().require(actor, "license.refund", amount_cents=held,
                                       limit="refund", override=override,
                                       what="refund an event deposit")
    ev = license_rules().events_on(p.starts_on)
    memo = f"event deposit {p.number}: {reason}"
    with db.write():
        if db.scalar("SELECT 1 FROM event_deposit_returns WHERE permit_id = ?", [pid]):
            raise StateError("The deposit was already settled.")
        session_id = None
        if how == "cash":
            session = require_open(db, actor)
            if held > cash_on_hand(db, session):
                raise ValidationError("Not enough cash in the drawer; refund by check.")
            session_id = session.id
            other = ledger.Entry(book="drawer", kind="refund", amount_cents=-held,
                                 drawer_session_id=session.id, tender="cash", memo=memo)
        elif how == "check":
            other = ledger.Entry(book="clearing", kind="refund", amount_cents=-held,
                                 gl_code=cashier_rules().gl["refunds_payable"], memo=memo)
        else:
            other = ledger.Entry(book="revenue", kind="forfeit", amount_cents=-held,
                                 fund=ev.fee_fund, gl_code=ev.forfeit_gl, memo=memo)
        posted = ledger.post(db, actor, "event_deposit", [
            ledger.Entry(book="trust", kind="refund" if how != "forfeit" else "forfeit",
                         amount_cents=held, fund=ev.deposit_fund, gl_code=ev.deposit_gl,
                         memo=memo), other], memo=memo)
        db.insert("event_deposit_returns", {
            "permit_id": pid, "how": how, "amount_cents": held, "journal_id": posted.journal_id,
            "drawer_session_id": session_id, "reason": reason, "at": clock.stamp(),
            "clerk": actor.username, "override_by": approver})
        audit.record(db, actor, "event.deposit", f"event:{pid}",
                     after={"how": how, "amount_cents": held}, override_by=approver)
    return get_permit(db, pid)


def upcoming(db: Database, on: dt.date | None = None, limit: int = 200) -> list[EventPermit]:
    """Permits of events not yet closed out, soonest first (the events list)."""
    on = on or clock.today()
    ids = [r["id"] for r in db.all(
        "SELECT id FROM event_permits WHERE status IN ('applied', 'approved', 'issued') "
        "OR (status = 'closed' AND id NOT IN (SELECT permit_id FROM event_deposit_returns)) "
        "ORDER BY starts_on, id LIMIT ?", [limit])]
    return [get_permit(db, i) for i in ids]
