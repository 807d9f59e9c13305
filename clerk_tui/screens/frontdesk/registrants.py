"""Registrants (local tickler): due this week and overdue, plus today's registrations whose fee
is unpaid; new, registered, moved, view with history (audited), F takes the registration fee
on Payments. Only a cleared clerk sees any."""

from __future__ import annotations

import datetime as dt
from typing import Any

from clerk_tui.domain import clock
from clerk_tui.domain.frontdesk import registrants
from clerk_tui.domain.frontdesk.items import REGISTRATION
from clerk_tui.screens.frontdesk.common import (
    DeskReport,
    FdForm,
    FdList,
    date_check,
    pay_action,
    yes_no,
    yes_no_check,
)
from clerk_tui.screens.kit import Action, Field, Row, required


def new_form(session: Any) -> FdForm:
    codes = [t.code for t in registrants.types()]

    def submit(v: dict[str, str]) -> registrants.Registrant:
        return registrants.register(session.db, session.actor, v["name"], v["born"],
                                    v["type"], v["address"], v["registered"], tier=v["tier"],
                                    transient=yes_no(v["transient"]),
                                    special_class=yes_no(v["special"]))

    return FdForm("New registrant", [
        Field("name", "Name", "", "Last, first", 80, check=required("Name")),
        Field("born", "Born", "", "YYYY-MM-DD", 10, check=date_check),
        Field("type", "Type (PC)", "290", " ".join(codes), 6,
              check=lambda x: None if x.strip() in codes else f"one of {', '.join(codes)}."),
        Field("tier", "Tier", "", "290 tier 1-3", 3),
        Field("address", "Address", "", "Blank if transient", 120),
        Field("transient", "Transient", "N", "Y or N", 3, check=yes_no_check),
        Field("special", "Special class", "N", "Y: SVP, every 90 days", 3, check=yes_no_check),
        Field("registered", "Registered", clock.today().isoformat(), "YYYY-MM-DD", 10,
              check=date_check),
    ], submit, lambda r: f"{r.name}: next due {r.next_due}.")


def registered_form(session: Any, rid: int) -> FdForm:
    return FdForm("Registration recorded", [
        Field("on", "Registered on", clock.today().isoformat(), "YYYY-MM-DD", 10,
              check=date_check),
    ], lambda v: registrants.record_registration(session.db, session.actor, rid, v["on"]),
        lambda r: f"{r.name}: next due {r.next_due}.")


def move_form(session: Any, rid: int) -> FdForm:
    return FdForm("Change of address", [
        Field("address", "New address", "", "Blank if transient", 120),
        Field("on", "Moved on", clock.today().isoformat(), "YYYY-MM-DD", 10, check=date_check),
        Field("transient", "Transient", "N", "Y or N", 3, check=yes_no_check),
    ], lambda v: registrants.record_move(session.db, session.actor, rid, v["address"],
                                         v["on"], yes_no(v["transient"])),
        lambda r: f"{r.name}: next due {r.next_due}.")


def appointment_form(session: Any, rid: int) -> FdForm:
    return FdForm("Registration appointment", [
        Field("when", "When", "", "YYYY-MM-DD HH:MM", 40, check=required("When")),
    ], lambda v: registrants.set_appointment(session.db, session.actor, rid, v["when"]),
        lambda r: f"{r.name}: appointment {r.appointment} (due {r.next_due}).")


def view_text(session: Any, rid: int) -> str:
    r, history = registrants.view(session.db, session.actor, rid)
    out = [f"REGISTRANT  {r.name}", "", f"Type: PC {r.type}  Tier: {r.tier or '-'}"
           f"{'  SPECIAL CLASS' if r.special_class else ''}",
           f"Born: {r.birth_date}   Address: {r.address}",
           f"Last registered: {r.last_registered_on}   NEXT DUE: {r.next_due}",
           f"Appointment: {r.appointment or '-'}",
           f"Fee for {r.last_registered_on}: {'paid' if r.fee_paid else 'not paid'}"
           f" ({r.fee_reference})", "", "History:"]
    out += [f"{h.at[:16].replace('T', ' ')} {h.event:<13}{h.detail[:44]} {h.form}"
            for h in history]
    return "\n".join(out)


def registrants_list(session: Any) -> FdList:
    db = session.db

    def load() -> list[Row]:
        today = clock.today()
        rows = registrants.due_by(db, session.actor, today + dt.timedelta(days=7))
        seen = {r.id for r in rows}
        rows += [r for r in registrants.fee_unpaid(db, session.actor, today) if r.id not in seen]

        def note(r: registrants.Registrant) -> str:
            if r.last_registered_on == today and not r.fee_paid:
                return "fee due"
            return "OVERDUE" if r.next_due < today else "this week"

        return [Row((r.id, r.name, r.fee_reference),
                    (r.name[:22], r.type, r.last_registered_on.isoformat(),
                     r.next_due.isoformat(), note(r)))
                for r in rows]

    return FdList("Registrants due", ["Name", "PC", "Last reg.", "Due", ""], load, [
        Action("n", "New", open=lambda _k: new_form(session), needs_row=False),
        Action("v", "View", open=lambda k: DeskReport(
            f"Registrant {k[1]}", load=lambda: view_text(session, k[0]))),
        Action("r", "Registered", open=lambda k: registered_form(session, k[0])),
        Action("m", "Moved", open=lambda k: move_form(session, k[0])),
        Action("a", "Appt.", open=lambda k: appointment_form(session, k[0])),
        pay_action("f", "Fee", lambda: session, REGISTRATION, lambda k: k[2]),
    ], empty="Nobody due this week (or you are not cleared for police records).",
        summary=lambda rows: f"{len(rows)} due this week, overdue or with today's fee due.")
