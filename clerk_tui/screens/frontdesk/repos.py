"""Repossessions: the repossessor's report (CVC 28), who pays, and the $15 fee on Payments
(refused from the repossession agency: Gov. Code 41612)."""

from __future__ import annotations

from typing import Any

from clerk_tui.domain import clock
from clerk_tui.domain.errors import ValidationError
from clerk_tui.domain.frontdesk import repos
from clerk_tui.domain.frontdesk.items import REPO
from clerk_tui.screens.frontdesk.common import FdForm, FdList, pay_action
from clerk_tui.screens.kit import Action, Field, Row, required


def _when_check(value: str) -> str | None:
    try:
        repos._when(value, "")
    except ValidationError:
        return "a date and time, YYYY-MM-DD HH:MM."
    return None


def intake_form(session: Any) -> FdForm:
    now = clock.now().strftime("%Y-%m-%d %H:%M")

    def submit(v: dict[str, str]) -> repos.Repo:
        return repos.intake(session.db, session.actor, v["agency"], v["debtor"], v["plate"],
                            v["vin"], v["make"], v["taken"], v["phoned"],
                            v["written"] or None)

    def describe(r: repos.Repo) -> str:
        late = r.late_notices()
        return f"{r.reference} {r.plate} recorded" + (f"; LATE: {', '.join(late)}." if late
                                                       else ".")

    return FdForm("Repossession report (CVC 28)", [
        Field("agency", "Agency", "", "Repossession agency", 80, check=required("Agency")),
        Field("debtor", "Debtor", "", "Registered owner / debtor", 80, check=required("Debtor")),
        Field("plate", "Plate", "", "", 8, check=required("Plate")),
        Field("vin", "VIN", "", "", 17, check=required("VIN")),
        Field("make", "Make", "", "", 40, check=required("Make")),
        Field("taken", "Repossessed", now, "YYYY-MM-DD HH:MM", 16, check=_when_check),
        Field("phoned", "Phone notice", now, "YYYY-MM-DD HH:MM", 16, check=_when_check),
        Field("written", "Written notice", "", "Blank if not yet", 16,
              check=lambda x: None if not x.strip() else _when_check(x)),
    ], submit, describe)


def payer_form(session: Any, rid: int) -> FdForm:
    def submit(v: dict[str, str]) -> repos.Repo:
        return repos.record_payer(session.db, session.actor, rid, v["payer"],
                                  v["who"].strip().lower())

    return FdForm("Who pays the repossession fee", [
        Field("payer", "Payer", "", "Name of the person paying", 80, check=required("Payer")),
        Field("who", "Paying as", "debtor", "debtor / other (never the agency)", 8,
              check=lambda x: None if x.strip().lower() in repos.PAYERS else
              "debtor or other."),
    ], submit, lambda r: f"{r.plate}: {r.payer} pays; F on the list takes the fee.")


def notice_form(session: Any, rid: int) -> FdForm:
    def describe(r: repos.Repo) -> str:
        late = r.late_notices()
        return f"{r.plate}: written notice recorded" + (f"; LATE: {', '.join(late)}." if late
                                                         else ".")

    return FdForm("Written notice received (CVC 28)", [
        Field("at", "Received", clock.now().strftime("%Y-%m-%d %H:%M"), "YYYY-MM-DD HH:MM", 16,
              check=_when_check),
    ], lambda v: repos.record_written_notice(session.db, session.actor, rid, v["at"]), describe)


def repos_list(session: Any) -> FdList:
    db = session.db

    def load() -> list[Row]:
        return [Row((r.id, r.reference), (r.reference, r.plate, r.agency[:16], r.debtor[:16],
                                          "paid" if r.fee_receipt_id else
                                          (r.payer or "payer?")[:14],
                                          "LATE" if r.late_notices() else ""))
                for r in repos.recent(db)]

    return FdList("Repossessions", ["Ref", "Plate", "Agency", "Debtor", "Fee", "Notice"],
                  load, [
        Action("n", "New", open=lambda _k: intake_form(session), needs_row=False),
        Action("w", "Who pays", open=lambda k: payer_form(session, k[0])),
        Action("t", "Written notice", open=lambda k: notice_form(session, k[0])),
        pay_action("f", "Fee", lambda: session, REPO, lambda k: k[1]),
    ], empty="No repossessions.")
