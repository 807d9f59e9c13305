"""Stored and impounded vehicles: intake, checklist, the supervisor's legal exception to a
hold, the release fee on Payments, the release (form printed with its number), the
post-storage hearing. Only a cleared clerk sees any."""

from __future__ import annotations

from typing import Any

from clerk_tui.domain import clock
from clerk_tui.domain.frontdesk import vehicles
from clerk_tui.domain.frontdesk.items import RELEASE
from clerk_tui.domain.frontdesk.rules import words
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


def store_form(session: Any) -> FdForm:
    codes = [r.code for r in vehicles.reasons()]

    def submit(v: dict[str, str]) -> vehicles.Vehicle:
        return vehicles.store(session.db, session.actor, v["plate"], v["vin"], v["make"],
                              v["owner"], v["stored"], v["reason"])

    return FdForm("Stored or impounded vehicle", [
        Field("plate", "Plate", "", "e.g. 7ABC123", 8, check=required("Plate")),
        Field("vin", "VIN", "", "11 to 17 characters", 17, check=required("VIN")),
        Field("make", "Make", "", "Make and model", 40, check=required("Make")),
        Field("owner", "Owner", "", "Registered owner", 80),
        Field("stored", "Stored on", clock.today().isoformat(), "YYYY-MM-DD", 10,
              check=date_check),
        Field("reason", "Reason (CVC)", "", " ".join(codes), 10,
              check=lambda x: None if x.strip() in codes else f"one of {', '.join(codes)}."),
    ], submit, lambda v: f"{v.plate} stored {v.stored_on} ({v.reason_code}); held until "
                         f"{v.hold_until}.")


def checklist_form(session: Any, vid: int) -> FdForm:
    items = words("vehicles", "checklist")
    fields = [Field(f"i{n}", item[:18], "", "Y or N", 3, check=yes_no_check)
              for n, item in enumerate(items)]
    fields.append(Field("legal", "Legal owner", "N", "Y: legal owner's release letter", 3,
                        check=yes_no_check))

    def submit(v: dict[str, str]) -> vehicles.Vehicle:
        done = [item for n, item in enumerate(items) if yes_no(v[f"i{n}"])]
        legal = yes_no(v["legal"])
        if legal:
            done.append(str(vehicles.rule_set("vehicles").get("legal_owner_item")))
        return vehicles.check_items(session.db, session.actor, vid, done, legal_owner=legal)

    def describe(v: vehicles.Vehicle) -> str:
        missing = [k for k, ok in v.checklist.items() if not ok]
        return "Checklist complete." if not missing else f"Still missing: {', '.join(missing)}."

    return FdForm("Release checklist", fields, submit, describe)


def release_form(session: Any, vid: int) -> FdForm:
    def submit(v: dict[str, str]) -> str:
        done = vehicles.release(session.db, session.actor, vid, v["to"])
        return vehicles.release_form(done)

    return FdForm("Release the vehicle", [
        Field("to", "Released to", "", "Name of the person taking it", 80, check=required("Released to")),
    ], submit, lambda text: text.splitlines()[0] + " - P on the list prints the form.")


def outcome_form(session: Any, vid: int) -> FdForm:
    return FdForm("Post-storage hearing outcome", [
        Field("outcome", "Outcome", "", "e.g. storage valid / released, fees waived", 200,
              check=required("Outcome")),
    ], lambda v: vehicles.hearing_outcome(session.db, session.actor, vid, v["outcome"]),
        lambda v: f"{v.plate}: hearing {v.hearing_on}: {v.hearing_outcome}.")


def vehicles_list(session: Any) -> FdList:
    db = session.db
    today = clock.today()

    def load() -> list[Row]:
        return [Row((v.id, v.reference, v.plate),
                    (v.plate, v.make[:14], v.stored_on.isoformat(), v.reason_code[:8],
                     v.hold_until.isoformat() if v.held(today) else "-",
                     "paid" if v.fee_receipt_id else v.status))
                for v in vehicles.stored(db, session.actor)]

    def exception_prompt(_key: Any) -> Picker:
        return Picker("Legal exception", [(e, e[:60]) for e in words("vehicles", "exceptions")])

    def exception(key: tuple[int, str, str], chosen: str, override: Any = None) -> str:
        v = vehicles.record_exception(db, session.actor, key[0], chosen, override=override)
        return f"{v.plate}: early release allowed ({v.exception_by})."

    def form_text(key: tuple[int, str, str]) -> str:
        return vehicles.release_form(vehicles.get(db, session.actor, key[0]))

    def hearing(key: tuple[int, str, str]) -> str:
        v = vehicles.request_hearing(db, session.actor, key[0])
        return f"{v.plate}: post-storage hearing on {v.hearing_on}."

    return FdList("Stored vehicles", ["Plate", "Make", "Stored", "Reason", "Held to",
                                      "Status"], load, [
        Action("n", "New", open=lambda _k: store_form(session), needs_row=False),
        Action("c", "Checklist", open=lambda k: checklist_form(session, k[0])),
        Action("e", "Exception", prompt=exception_prompt, work=exception,
               said=lambda r: str(r)),
        pay_action("f", "Fee", lambda: session, RELEASE, lambda k: k[1]),
        Action("l", "Release", open=lambda k: release_form(session, k[0])),
        Action("p", "Print form", open=lambda k: DeskReport(
            f"Release {k[2]}", load=lambda: form_text(k))),
        Action("h", "Hearing", work=hearing,
               ask=lambda k: f"Record a post-storage hearing request for {k[2]} today?"),
        Action("o", "Outcome", open=lambda k: outcome_form(session, k[0])),
    ], empty="No stored vehicles (or you are not cleared for police records).")
