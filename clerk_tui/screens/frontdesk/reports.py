"""The front desk's reports (R on the desk): each is read in a thread and shown in the kit's
report view (P prints). Police-record reports come out empty for an uncleared clerk."""

from __future__ import annotations

from typing import Any

from clerk_tui.domain import clock
from clerk_tui.domain.frontdesk import (
    access,
    records,
    registrants,
    repos,
    subpoenas,
    vehicles,
    visitors,
)
from clerk_tui.domain.frontdesk.reports import collections_report
from clerk_tui.screens.kit import Choice, LetterMenu

REPORTS: dict[str, str] = {
    "v": "Visitor log today",
    "i": "Who is in the building",
    "g": "Registrants due and overdue",
    "q": "Records requests open (deadline calendar)",
    "o": "Records requests overdue",
    "h": "Vehicles stored and released",
    "p": "Repossession fees",
    "c": "Front desk collections by fund/GL",
    "s": "Subpoena deposits held and reconciled",
    "k": "Court calendar by officer",
    "w": "Views of police records (supervisor)",
}


def report_text(session: Any, letter: str) -> str:
    db, actor, today = session.db, session.actor, clock.today()
    if letter == "v":
        return visitors.format_day_log(visitors.day_log(db, today), today)
    if letter == "i":
        return visitors.format_in_building(visitors.in_building(db), clock.stamp())
    if letter == "g":
        return registrants.format_due(registrants.due_by(db, actor, today),
                                      today, "REGISTRANTS OVERDUE OR DUE TODAY") + "\n\n" + \
            registrants.format_due(registrants.due_this_week(db, actor, today), today,
                                   "REGISTRANTS DUE THIS WEEK")
    if letter == "q":
        return records.format_open(records.open_requests(db, actor), today)
    if letter == "o":
        return records.format_open(records.overdue(db, actor, today), today)
    if letter == "h":
        return vehicles.format_list(vehicles.stored(db, actor, include_released=True), today)
    if letter == "p":
        return repos.format_list(repos.recent(db))
    if letter == "c":
        return collections_report(db, today)
    if letter == "s":
        return subpoenas.format_deposits(subpoenas.all_open(db, actor))
    if letter == "k":
        return subpoenas.format_calendar(subpoenas.calendar(db, actor), today)
    if letter == "w":
        return access.format_views(access.views(db, actor, today), today)
    raise KeyError(letter)


def reports_menu(session: Any) -> LetterMenu:
    return LetterMenu("Front desk reports", [Choice(k, v) for k, v in REPORTS.items()])

