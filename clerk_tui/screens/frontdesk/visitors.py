"""Visitors: check in (badge printed), who is in the building (check out from the list,
print it for an evacuation), end of day (flag badges not returned). Scanning a badge checks
the visitor out from any screen (scans.py), this list included (it asks for badge scans)."""

from __future__ import annotations

from typing import Any

from clerk_tui.domain import clock
from clerk_tui.domain.frontdesk import visitors
from clerk_tui.screens.frontdesk.badge import print_badge
from clerk_tui.screens.frontdesk.common import DeskReport, FdForm, FdList, yes_no, yes_no_check
from clerk_tui.screens.kit import Action, Field, Row, required


def check_in_form(session: Any) -> FdForm:
    def submit(v: dict[str, str]) -> tuple[visitors.Visitor, Any]:
        visitor = visitors.check_in(session.db, session.actor, v["name"], v["company"],
                                    v["visiting"], v["purpose"], yes_no(v["id_seen"]))
        return visitor, print_badge(session.station, visitor)

    def describe(result: tuple[visitors.Visitor, Any]) -> str:
        visitor, printed = result
        paper = "badge printed" if printed.ok else printed.message
        return f"{visitor.name} checked in: badge {visitor.badge} ({paper})."

    return FdForm("Check in a visitor", [
        Field("name", "Name", "", "First and last name", 60, check=required("Name")),
        Field("company", "Company", "", "Optional", 60),
        Field("visiting", "Visiting", "", "Whom they visit", 60, check=required("Visiting")),
        Field("purpose", "Purpose", "", "Why", 80, check=required("Purpose")),
        Field("id_seen", "ID seen", "", "Y or N", 3, check=yes_no_check),
    ], submit, describe)


def in_building_list(session: Any) -> FdList:
    def load() -> list[Row]:
        return [Row(v.id, (v.badge, v.name[:22], v.visiting[:18], v.in_at[11:16],
                           "yes" if v.id_seen else "NO"))
                for v in visitors.in_building(session.db)]

    def out(vid: int) -> str:
        v = visitors.check_out(session.db, session.actor, visitor_id=vid, how="list")
        return f"{v.name} ({v.badge}) checked out."

    def day_end(_key: Any) -> str:
        flagged = visitors.flag_unreturned(session.db, session.actor)
        if not flagged:
            return "Every badge is back."
        return f"{len(flagged)} badge(s) not returned: " + \
            ", ".join(v.badge for v in flagged)[:60]

    def evacuation() -> str:
        return visitors.format_in_building(visitors.in_building(session.db), clock.stamp())

    return FdList("In the building", ["Badge", "Name", "Visiting", "In", "ID"], load, [
        Action("o", "Check out", work=out),
        Action("p", "Print list", open=lambda _k: DeskReport("In the building", load=evacuation),
               needs_row=False),
        Action("e", "End of day", work=day_end, needs_row=False,
               ask=lambda _k: "Flag every badge still out as not returned?"),
    ], empty="Nobody is checked in.", summary=lambda rows: f"{len(rows)} in the building.",
        accepts_scans=frozenset({"visitor_badge"}))  # a badge scanned here checks it out
