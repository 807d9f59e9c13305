"""The phone message log, ride-along applications and clearance letters on the front desk."""

from __future__ import annotations

from typing import Any

from clerk_tui.domain.frontdesk import desk
from clerk_tui.domain.frontdesk.items import LETTER
from clerk_tui.screens.frontdesk.common import (
    DeskReport,
    FdForm,
    FdList,
    date_check,
    pay_action,
    yes_no,
    yes_no_check,
)
from clerk_tui.screens.kit import Action, Field, Picker, Row, required


def message_form(session: Any) -> FdForm:
    return FdForm("Take a phone message", [
        Field("caller", "Caller", "", "Who called", 80, check=required("Caller")),
        Field("callback", "Call back", "", "Number (optional)", 40),
        Field("for", "For", "", "Whom the message is for", 60, check=required("For")),
        Field("message", "Message", "", "What they said", 300, check=required("Message")),
    ], lambda v: desk.take_message(session.db, session.actor, v["caller"], v["callback"],
                                   v["for"], v["message"]),
        lambda m: f"Message for {m.for_whom} taken at {m.taken_at[11:16]}.")


def messages_list(session: Any) -> FdList:
    def load() -> list[Row]:
        return [Row(m.id, (m.taken_at[11:16], m.for_whom[:16], m.caller[:16],
                           m.callback[:12], m.message[:24]))
                for m in desk.open_messages(session.db)]

    return FdList("Phone messages", ["Time", "For", "Caller", "Call back", "Message"], load, [
        Action("n", "New", open=lambda _k: message_form(session), needs_row=False),
        Action("d", "Done", work=lambda mid: (
            f"Message for {desk.message_done(session.db, session.actor, mid).for_whom} done.")),
    ], empty="No open messages.")


def ride_form(session: Any) -> FdForm:
    return FdForm("Ride-along application", [
        Field("name", "Name", "", "Applicant", 80, check=required("Name")),
        Field("born", "Born", "", "YYYY-MM-DD", 10, check=date_check),
        Field("phone", "Phone", "", "", 40),
        Field("waiver", "Waiver signed", "N", "Y or N", 3, check=yes_no_check),
    ], lambda v: desk.apply_ridealong(session.db, session.actor, v["name"], v["born"],
                                      v["phone"], yes_no(v["waiver"])),
        lambda r: f"Application #{r.id} for {r.name}: background check pending.")


def ride_appointment_form(session: Any, rid: int) -> FdForm:
    return FdForm("Ride-along appointment", [
        Field("when", "When", "", "YYYY-MM-DD HH:MM and shift", 40, check=required("When")),
        Field("waiver", "Waiver signed", "Y", "Y or N", 3, check=yes_no_check),
    ], lambda v: desk.ridealong_appointment(session.db, session.actor, rid, v["when"],
                                            yes_no(v["waiver"])),
        lambda r: f"{r.name} rides {r.appointment}.")


def ridealongs_list(session: Any) -> FdList:
    def load() -> list[Row]:
        return [Row(r.id, (r.name[:20], r.applied_on, "yes" if r.waiver_signed else "NO",
                           r.background, r.appointment or "-"))
                for r in desk.ridealongs(session.db, session.actor)]

    def background_prompt(_key: Any) -> Picker:
        return Picker("Background check", [("clear", "Clear"), ("refused", "Refused")])

    return FdList("Ride-alongs", ["Name", "Applied", "Waiver", "Background", "Appointment"],
                  load, [
        Action("n", "New", open=lambda _k: ride_form(session), needs_row=False),
        Action("b", "Background", prompt=background_prompt, work=lambda rid, result: (
            f"Background check {desk.ridealong_background(session.db, session.actor, rid, result).background}.")),
        Action("a", "Appointment", open=lambda rid: ride_appointment_form(session, rid)),
    ], empty="No ride-along applications (or you are not cleared for police records).")


def letter_form(session: Any) -> FdForm:
    return FdForm("Clearance letter", [
        Field("name", "Name", "", "As on the ID", 80, check=required("Name")),
        Field("born", "Born", "", "YYYY-MM-DD", 10, check=date_check),
        Field("purpose", "Purpose", "", "Visa, employment, adoption …", 120,
              check=required("Purpose")),
        Field("id", "ID seen", "", "Kind and number of the ID shown", 60,
              check=required("ID seen")),
    ], lambda v: desk.request_letter(session.db, session.actor, v["name"], v["born"],
                                     v["purpose"], v["id"]),
        lambda ltr: f"{ltr.reference} for {ltr.name}: F takes the fee, then P prints it.")


def letters_list(session: Any) -> FdList:
    def load() -> list[Row]:
        return [Row((x.id, x.reference), (x.reference, x.name[:20], x.purpose[:20],
                                          "paid" if x.fee_receipt_id else "fee due",
                                          "printed" if x.printed_at else "-"))
                for x in desk.letters(session.db, session.actor)]

    return FdList("Clearance letters", ["Ref", "Name", "Purpose", "Fee", "Printed"], load, [
        Action("n", "New", open=lambda _k: letter_form(session), needs_row=False),
        pay_action("f", "Fee", lambda: session, LETTER, lambda k: k[1]),
        Action("p", "Print", open=lambda k: DeskReport(
            f"Letter {k[1]}", load=lambda: desk.print_letter(session.db, session.actor, k[0]))),
    ], empty="No clearance letters (or you are not cleared for police records).")
