"""The police front desk (F7 / F): a letter picks a job. Visitors (check in with a badge,
who is in the building, check out), repossessions, reports; for a clerk cleared for police
records also records requests, stored vehicles and registrants; for an admin, clearances.

A scanned visitor badge checks the visitor out from any screen (scans.py). Whether the clerk
is cleared is read in a thread when the screen opens (no SQL on the UI thread); until then
only the visitor jobs are offered.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import OptionList

from clerk_tui.domain.authority import ALLOW, authority
from clerk_tui.domain.frontdesk import access, visitors
from clerk_tui.screens.base import CounterScreen
from clerk_tui.screens.counters import Counter
from clerk_tui.screens.frontdesk import (
    desk_jobs,
    records,
    registrants,
    reports,
    repos,
    vehicles,
)
from clerk_tui.screens.frontdesk import subpoenas as subpoena_screens
from clerk_tui.screens.frontdesk import visitors as visitor_screens
from clerk_tui.screens.frontdesk.common import FdForm, yes_no, yes_no_check
from clerk_tui.screens.kit import Choice, Field, letter_options, required
from clerk_tui.widgets.literal import LiteralLabel

if TYPE_CHECKING:
    from clerk_tui.session import Session


@dataclass(frozen=True)
class Job:
    letter: str
    label: str
    open: Callable[[], Screen]
    records: bool = False
    permission: str | None = None


class FrontDeskScreen(CounterScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "pick", "Start", show=False, id="frontdesk.pick"),
    ]
    AUTO_FOCUS = "#fd-jobs"
    CSS_PATH = "frontdesk.tcss"

    def __init__(self, counter: Counter) -> None:
        super().__init__(counter, id="frontdesk")
        self.cleared = False
        s = self.session_later
        self.all_jobs = [
            Job("v", "Check in a visitor (badge printed)",
                lambda: visitor_screens.check_in_form(s())),
            Job("b", "In the building: check out, print, end of day",
                lambda: visitor_screens.in_building_list(s())),
            Job("p", "Repossessions (CVC 28) and the $15 fee",
                lambda: repos.repos_list(s())),
            Job("r", "Records requests (CPRA)", lambda: records.requests_list(s()),
                records=True),
            Job("h", "Stored and impounded vehicles: releases",
                lambda: vehicles.vehicles_list(s()), records=True),
            Job("g", "Registrants: due and overdue", lambda: registrants.registrants_list(s()),
                records=True),
            Job("s", "Subpoenas: accept, deposit, reconcile, court calendar",
                lambda: subpoena_screens.subpoenas_list(s()), records=True),
            Job("a", "Ride-along applications", lambda: desk_jobs.ridealongs_list(s()),
                records=True),
            Job("l", "Clearance letters (identity, fee, print)",
                lambda: desk_jobs.letters_list(s()), records=True),
            Job("m", "Phone messages", lambda: desk_jobs.messages_list(s())),
            Job("t", "Reports", lambda: reports.reports_menu(s())),
            Job("k", "Clear a clerk for police records (admin)", lambda: clearance_form(s()),
                permission="frontdesk.clear"),
        ]
        self.jobs: list[Job] = []

    def session_later(self) -> Session:
        """The session, read when a job opens (not when the screen is built)."""
        return self.session

    def _allowed(self) -> list[Job]:
        role = self.session.actor.role
        return [j for j in self.all_jobs
                if (not j.records or self.cleared)
                and (j.permission is None or authority().mode(role, j.permission) == ALLOW)]

    def compose_body(self) -> ComposeResult:
        yield LiteralLabel("Police front desk: pick a job (letter, or Up/Down + Enter). "
                           "Scan a badge to check a visitor out.", style="bold")
        self.jobs = self._allowed()
        yield OptionList(*letter_options([Choice(j.letter, j.label) for j in self.jobs]),
                         id="fd-jobs")
        yield LiteralLabel("", id="fd-status")

    def on_mount(self) -> None:
        super().on_mount()
        self.refresh_status_line()

    def refresh_status_line(self) -> None:
        db = self.session.db
        actor = self.session.actor

        def read(override: object = None) -> tuple[bool, int]:
            return access.may_see_records(db, actor), len(visitors.in_building(db))

        def show(result: tuple[bool, int] | None) -> None:
            if result is None or not self.is_attached:
                return
            self.cleared, inside = result
            self.jobs = self._allowed()
            jobs = self.query_one("#fd-jobs", OptionList)
            at = jobs.highlighted
            jobs.clear_options()
            jobs.add_options(letter_options([Choice(j.letter, j.label) for j in self.jobs]))
            jobs.highlighted = at if at is not None and at < len(self.jobs) else 0
            note = "Cleared for police records." if self.cleared else \
                "Not cleared for police records: visitors and repossessions only."
            self.query_one("#fd-status", LiteralLabel).set_value(
                f"{inside} visitor(s) in the building.  {note}")

        self.session.run(read, what="read the front desk", on_done=show)

    def on_screen_resume(self) -> None:
        self.refresh_status_line()

    def start(self, letter: str) -> bool:
        job = next((j for j in self.jobs if j.letter == letter.lower()), None)
        if job is None:
            return False
        if job.letter == "t":
            self.app.push_screen(job.open(), self._report_picked)
        else:
            self.app.push_screen(job.open())
        return True

    def _report_picked(self, letter: str | None) -> None:
        if letter in reports.REPORTS:
            from clerk_tui.screens.frontdesk.common import DeskReport

            session = self.session
            self.app.push_screen(DeskReport(reports.REPORTS[letter],
                                            load=lambda: reports.report_text(session, letter)))

    def on_key(self, event: events.Key) -> None:
        if event.character and len(event.character) == 1 and event.character.isalpha() \
                and self.start(event.character):
            event.stop()
            return
        super().on_key(event)

    def action_pick(self) -> None:
        jobs = self.query_one("#fd-jobs", OptionList)
        if jobs.highlighted is not None and jobs.highlighted < len(self.jobs):
            self.start(self.jobs[jobs.highlighted].letter)

    @on(OptionList.OptionSelected, "#fd-jobs")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.start(str(event.option.id))


def clearance_form(session: Session) -> FdForm:
    def submit(v: dict[str, str]) -> access.Clearance:
        return access.set_clearance(session.db, session.actor,
                                    v["user"].strip(), yes_no(v["cleared"]), v["reason"])

    return FdForm("Cleared for police records", [
        Field("user", "Clerk", "", "Username", 32, check=required("Clerk")),
        Field("cleared", "Cleared", "Y", "Y or N", 3, check=yes_no_check),
        Field("reason", "Reason", "", "e.g. background check passed", 200, check=required("Reason")),
    ], submit, lambda c: f"{c.username}: {'cleared' if c.cleared else 'NOT cleared'} "
                         "for police records.")


COUNTER_SCREEN = FrontDeskScreen
