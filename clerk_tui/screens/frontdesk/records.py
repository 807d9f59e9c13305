"""Records requests (CPRA): the open list by deadline; intake, view (audited), extension,
decision, copy fee on Payments, release, denial, letters. Only a cleared clerk sees any."""

from __future__ import annotations

from typing import Any

from clerk_tui.domain import clock
from clerk_tui.domain.frontdesk import records
from clerk_tui.domain.frontdesk.items import COPY
from clerk_tui.domain.frontdesk.rules import words
from clerk_tui.screens.frontdesk.common import (
    DeskReport,
    FdForm,
    FdList,
    date_check,
    pay_action,
    pick_check,
    whole_check,
    yes_no,
    yes_no_check,
)
from clerk_tui.screens.kit import Action, Field, Picker, Row, required


def numbered(choices: list[str]) -> str:
    return "  ".join(f"{n}={c[:34]}" for n, c in enumerate(choices, start=1))


def intake_form(session: Any) -> FdForm:
    def submit(v: dict[str, str]) -> records.Request:
        return records.intake(session.db, session.actor, v["requester"], v["contact"],
                              v["records"], v["received"], v["channel"].lower(),
                              yes_no(v["victim"]))

    return FdForm("New records request", [
        Field("requester", "Requester", "", "Name (and organisation)", 80, check=required("Requester")),
        Field("contact", "Contact", "", "Phone, e-mail or address", 80),
        Field("records", "Records", "", "What records are asked for", 400, check=required("Records")),
        Field("received", "Received", clock.today().isoformat(), "YYYY-MM-DD", 10,
              check=date_check),
        Field("channel", "Channel", "counter", "/".join(records.CHANNELS), 8,
              check=lambda x: None if x.lower() in records.CHANNELS else
              f"one of {', '.join(records.CHANNELS)}."),
        Field("victim", "Victim (FC 6228)", "N", "Y: free copy, shorter deadline", 3,
              check=yes_no_check),
    ], submit, lambda r: f"{r.number} received {r.received_on}: decide by {r.due_on}.")


def extend_form(session: Any, rid: int) -> FdForm:
    reasons = words("cpra", "extension_reasons")

    def submit(v: dict[str, str]) -> records.Request:
        return records.extend(session.db, session.actor, rid,
                              reasons[int(v["reason"]) - 1], int(v["days"]))

    return FdForm("Extend a records request", [
        Field("reason", "Reason no.", "", "1 to " + str(len(reasons)), 2,
              check=pick_check(reasons)),
        Field("days", "Days", "14", "Calendar days, at most 14", 2, check=whole_check),
    ], submit, lambda r: f"{r.number} extended to {r.extended_to}: print the extension "
                         "letter (T).", heading=numbered(reasons))


def decide_form(session: Any, rid: int) -> FdForm:
    exemptions = words("cpra", "exemptions")

    def submit(v: dict[str, str]) -> records.Request:
        ex = exemptions[int(v["exemption"]) - 1] if v["exemption"] else ""
        return records.prepare(session.db, session.actor, rid, int(v["pages"]),
                               v["released"], v["withheld"], ex)

    def ex_check(value: str) -> str | None:
        return None if not value.strip() else pick_check(exemptions)(value)

    return FdForm("Records ready", [
        Field("pages", "Pages", "", "Pages copied", 6, check=whole_check),
        Field("released", "Released", "", "What goes out", 400, check=required("Released")),
        Field("withheld", "Withheld", "", "What is held back (blank: nothing)", 400),
        Field("exemption", "Exemption no.", "", "If withheld: 1 to " + str(len(exemptions)),
              2, check=ex_check),
    ], submit, lambda r: f"{r.number} ready: {r.pages} page(s), fee "
                         f"{records.format_money(records.copy_fee(r))}.",
        heading=numbered(exemptions))


def deny_form(session: Any, rid: int) -> FdForm:
    exemptions = words("cpra", "exemptions")
    return FdForm("Deny a records request", [
        Field("exemption", "Exemption no.", "", "1 to " + str(len(exemptions)), 2,
              check=pick_check(exemptions)),
    ], lambda v: records.deny(session.db, session.actor, rid,
                              exemptions[int(v["exemption"]) - 1]),
        lambda r: f"{r.number} denied ({r.exemption}): print the denial letter (T).",
        heading=numbered(exemptions))


def view_text(session: Any, rid: int) -> str:
    r = records.view_request(session.db, session.actor, rid)
    return "\n".join([
        f"RECORDS REQUEST {r.number}", "", f"Requester: {r.requester}",
        f"Contact:   {r.contact}", f"Records:   {r.records}",
        f"Received:  {r.received_on} by {r.channel}{'   VICTIM (FC 6228)' if r.victim else ''}",
        f"Decide by: {r.due_on}" + (f"   extended to {r.extended_to}: {r.extension_reason}"
                                    if r.extended_to else ""),
        f"Status:    {r.status_label}", f"Released:  {r.released}",
        f"Withheld:  {r.withheld}" + (f" ({r.exemption})" if r.exemption else ""),
        f"Pages:     {r.pages}   Fee: {records.format_money(records.copy_fee(r))}"
        f"{' paid' if r.fee_receipt_id else ''}",
    ])


def requests_list(session: Any) -> FdList:
    db = session.db
    today = clock.today()

    def load() -> list[Row]:
        return [Row((r.id, r.number), (r.number, r.requester[:20], r.deadline.isoformat(),
                                       r.status_label[:9],
                                       "OVERDUE" if r.overdue(today) else
                                       ("paid" if r.fee_receipt_id else
                                        ("victim" if r.victim else ""))))
                for r in records.open_requests(db, session.actor)]

    def letter_prompt(_key: Any) -> Picker:
        return Picker("Which letter?", [(k, k.capitalize()) for k in records.LETTERS])

    def letter(key: tuple[int, str], kind: str) -> str:
        return records.write_letter(db, session.actor, key[0], kind)

    return FdList("Records requests", ["Number", "Requester", "Deadline", "Status", "Note"],
                  load, [
        Action("n", "New", open=lambda _k: intake_form(session), needs_row=False),
        Action("v", "View", open=lambda k: DeskReport(
            f"Request {k[1]}", load=lambda: view_text(session, k[0]))),
        Action("x", "Extend", open=lambda k: extend_form(session, k[0])),
        Action("d", "Ready", open=lambda k: decide_form(session, k[0])),
        pay_action("f", "Fee", lambda: session, COPY, lambda k: k[1]),
        Action("l", "Release", work=lambda k: (
            f"{records.release(db, session.actor, k[0]).number} released."),
            ask=lambda k: f"Hand over the records of {k[1]}?"),
        Action("y", "Deny", open=lambda k: deny_form(session, k[0])),
        Action("t", "Letter", prompt=letter_prompt, work=letter,
               said=lambda _t: "Letter kept on file.",
               show=lambda text: DeskReport("Records request letter", text)),
        Action("w", "Withdrawn", work=lambda k: (
            f"{records.set_status(db, session.actor, k[0], 'withdrawn').number} withdrawn."),
            ask=lambda k: f"Mark {k[1]} withdrawn by the requester?"),
    ], empty="No open records requests (or you are not cleared for police records).",
        summary=lambda rows: f"{len(rows)} open; deadlines first.")
