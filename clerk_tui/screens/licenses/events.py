"""Special events and nonprofit permits (F5, Ctrl+T X): the permits not yet settled, soonest
first; N a new application, S a department's sign-off, P pay the fee and deposit (the payment
screen), I issue, R/K close out after the event (refund or keep the deposit), D give the deposit
back (cash or city check; above the role's refund limit a supervisor approves)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from clerk_tui.domain.errors import ValidationError
from clerk_tui.domain.licenses import events
from clerk_tui.domain.licenses.events import EventApplication
from clerk_tui.domain.money import format_money
from clerk_tui.screens.kit import Action, Field, Form, ListAndAct, Row
from clerk_tui.screens.kit.menu import Picker
from clerk_tui.screens.licenses.common import WithStatusBar
from clerk_tui.screens.prompts import TextPrompt

if TYPE_CHECKING:
    from clerk_tui.screens.licenses.screen import LicensesScreen


def _date(text: str) -> str | None:
    if not text.strip():
        return None
    try:
        dt.date.fromisoformat(text.strip())
    except ValueError:
        return "a date, YYYY-MM-DD."
    return None


def _needed(text: str) -> str | None:
    return None if text.strip() else "required."


def event_form(screen: LicensesScreen) -> Form:
    db, actor = screen.session.db, screen.session.actor

    def submit(v: dict[str, str]) -> events.EventPermit:
        start = dt.date.fromisoformat(v["start"].strip())
        end = dt.date.fromisoformat(v["end"].strip()) if v["end"].strip() else start
        attendance = v["attendance"].replace(",", "").strip() or "0"
        if not attendance.isdigit():
            raise ValidationError("Attendance is a whole number.")
        insurance = v["insurance"].strip()
        return events.apply_event(db, actor, EventApplication(
            v["organiser"], v["event"], v["place"], start, end, int(attendance),
            nonprofit=bool(v["proof"].strip()), nonprofit_proof=v["proof"],
            insurance_expires_on=dt.date.fromisoformat(insurance) if insurance else None,
            phone=v["phone"]))

    return Form("Special event / nonprofit permit", [
        Field("organiser", "Organiser", "", "Person or organisation", 80, check=_needed),
        Field("event", "Event", "", "What it is", 80, check=_needed),
        Field("place", "Place", "", "Where", 120, check=_needed),
        Field("start", "First day", "", "YYYY-MM-DD", 10,
              check=lambda t: _needed(t) or _date(t)),
        Field("end", "Last day", "", "Enter = the first day", 10, check=_date),
        Field("attendance", "Attendance", "", "Expected, e.g. 300", 9),
        Field("insurance", "Insurance to", "", "Certificate expiry YYYY-MM-DD (blank = none)",
              10, check=_date),
        Field("proof", "Nonprofit proof", "", "501(c)(3) letter / EIN: waives the fee", 80),
        Field("phone", "Phone", "", "(530) 555-0100", 24),
    ], submit=submit, describe=lambda p: (
        f"Event permit {p.number}: fee {format_money(p.fee_cents)}, deposit "
        f"{format_money(p.deposit_cents)}; sign-offs: "
        f"{', '.join(s.department for s in p.signoffs)}."),
        run=screen.session.kit_run, yes="Apply")


class EventsScreen(WithStatusBar, ListAndAct):
    """The permits still open; letters act on the highlighted one."""

    def __init__(self, screen: LicensesScreen) -> None:
        self.owner = screen
        s = screen.session
        db, actor = s.db, s.actor

        def load() -> list[Row]:
            return [Row(p.number, (p.number, p.starts_on.isoformat(), p.event_name[:22],
                                   p.status, _money_state(p)))
                    for p in events.upcoming(db)]

        def pay(number: str) -> Any:
            from clerk_tui.domain.cashier import price_items
            from clerk_tui.domain.licenses.items import event_sale_items

            items = event_sale_items(db, number)
            if not items:
                raise ValidationError(f"Event permit {number} owes nothing.")
            return items, price_items(db, items)

        def to_payment(result: Any) -> Any:
            from clerk_tui.screens.payment import PaymentScreen

            items, preview = result
            return PaymentScreen(screen.counter, items=items, preview=preview)

        def signoff_prompt(number: str) -> Picker:
            return Picker("Which sign-off? (A approve: Enter; a denial needs a note)", load=lambda: [
                (str(x.id), f"{x.department}: approve") for x in
                events.get_permit(db, number).signoffs if x.status == "pending"],
                run=s.kit_run, empty="No sign-off is pending.")

        def deposit_prompt(number: str) -> TextPrompt:
            return TextPrompt(f"Deposit of {number} back by: C cash, K city check",
                              max_length=1, check=lambda t: None if t.strip().lower() in
                              ("c", "k") else "C or K.")

        super().__init__("Special events", ["Permit", "Starts", "Event", "Status", "Money"],
                         load, [
            Action("n", "New", open=lambda _k: event_form(screen), needs_row=False),
            Action("s", "Sign off", prompt=signoff_prompt,
                   work=lambda k, sid, **kw: _said(events.sign_off(db, actor, int(sid),
                                                                  "approved"))),
            Action("p", "Pay", work=pay, said=lambda _r: "To the payment screen.",
                   show=to_payment),
            Action("i", "Issue", work=lambda k, **kw: _said(events.issue_permit(db, actor, k))),
            Action("r", "Close out: refund deposit",
                   work=lambda k, **kw: _said(events.close_out(db, actor, k, True))),
            Action("k", "Close out: keep deposit",
                   prompt=lambda k: TextPrompt(f"Keep the deposit of {k}: why?",
                                               max_length=200, check=_needed),
                   work=lambda k, note, **kw: _said(events.close_out(db, actor, k, False,
                                                                     note))),
            Action("d", "Deposit back", prompt=deposit_prompt,
                   work=lambda k, how, **kw: _said(events.return_deposit(
                       db, actor, k, "cash" if how.strip().lower() == "c" else "check",
                       **kw))),
        ], run=s.kit_run, empty="No special-event permits open.",
            heading="Special-event and nonprofit permits (open, soonest first)")


def _money_state(p: events.EventPermit) -> str:
    if p.deposit_returned:
        return f"deposit {p.deposit_returned}"
    if p.owed:
        return f"owes {format_money(sum(p.owed.values()))}"
    return f"paid; {p.deposit_outcome or 'deposit held'}"


def _said(p: events.EventPermit) -> str:
    return f"Permit {p.number}: {p.status}" + (
        f", deposit {p.deposit_returned}" if p.deposit_returned else "") + "."


