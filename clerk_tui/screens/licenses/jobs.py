"""Ctrl+T on F5: the counter's own jobs and reports (not on the utility desk, so letters never
collide between counters). Each runs through the session; reports open in the kit's report
view (P prints)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from clerk_tui.domain import clock
from clerk_tui.domain.licenses import bid, notices, reports
from clerk_tui.paths import data_home
from clerk_tui.screens.kit import Action, Choice, LetterMenu, ListAndAct, ReportScreen, Row
from clerk_tui.screens.licenses.common import WithStatusBar
from clerk_tui.screens.prompts import TextPrompt

if TYPE_CHECKING:
    from clerk_tui.screens.licenses.screen import LicensesScreen


def _last_month() -> str:
    return (clock.today().replace(day=1) - dt.timedelta(days=1)).strftime("%Y-%m")


def open_jobs(screen: LicensesScreen) -> None:
    menu = LetterMenu("Licenses: jobs and reports", [
        Choice("n", "Monthly renewal and delinquent notices"),
        Choice("m", "Mail letters: print all queued"),
        Choice("s", "Mail letters: save all queued to a folder"),
        Choice("b", f"BID remittance (month, default {_last_month()})"),
        Choice("i", "Report: licenses issued this month"),
        Choice("r", "Report: renewals due"),
        Choice("d", "Report: delinquent licenses"),
        Choice("v", "Report: revenue by class and fund/GL (this month)"),
        Choice("p", "Report: pending reviews by department"),
        Choice("c", "Report: CASp quarterly remittance (last quarter)"),
        Choice("e", "Report: BID collections (last month)"),
        Choice("x", "Special events and nonprofit permits"),
        Choice("w", "Pending reviews: the desk list (open one)"),
    ])
    screen.app.push_screen(menu, lambda letter: _chosen(screen, letter) if letter else None)


def _report(screen: LicensesScreen, title: str, fn: Any) -> None:
    def show(text: str | None) -> None:
        if text is None or not screen.is_attached:
            return
        screen._say("")
        screen.app.push_screen(ReportScreen(title, text, print_text=screen.session.print_text,
                                            run=screen.session.kit_run))

    screen._say("Reading…")
    screen._run(fn, title, show)


def _chosen(screen: LicensesScreen, letter: str) -> None:
    db, actor, station = screen.session.db, screen.session.actor, screen.session.station
    today = clock.today()
    first = today.replace(day=1)
    if letter == "n":
        screen._run(lambda: notices.monthly_run(db, actor), "run the notices",
                    lambda r: screen._say(r.message) if r else None)
    elif letter in ("m", "s"):
        def mail() -> str:
            queued = notices.undelivered(db)
            done: dict[int, str] = {}
            problem = ""
            folder = data_home() / "letters" / "licenses" / today.isoformat()
            for q in queued:
                if letter == "m":
                    result = station.print_text(f"{q.label} {q.id}", q.body)
                    if not result.ok:
                        problem = result.message
                        break
                    done[q.id] = "printed"
                else:
                    done[q.id] = f"file:{notices.save_letter(q, folder)}"
            n = notices.mark_delivered(db, actor, done) if done else 0
            return (f"{problem} " if problem else "") + \
                f"{n} of {len(queued)} letter(s) {'printed' if letter == 'm' else 'saved'}."
        screen._run(mail, "mail letters", lambda m: screen._say(m) if m else None)
    elif letter == "b":
        def remit(month: str | None) -> None:
            if month is None:
                return
            month = month.strip() or _last_month()
            screen._run(lambda: _remit_all(db, actor, month), "BID remittance",
                        lambda text: screen.app.push_screen(ReportScreen(
                            "BID remittance", text, print_text=screen.session.print_text,
                            run=screen.session.kit_run)) if text else None)
        screen.app.push_screen(TextPrompt("BID remittance: month (YYYY-MM)",
                                          placeholder=f"Enter = {_last_month()}", max_length=7),
                               remit)
    elif letter == "i":
        _report(screen, "Licenses issued", lambda: reports.issued(db, first, today))
    elif letter == "r":
        _report(screen, "Renewals due", lambda: reports.renewals_due(db, today))
    elif letter == "d":
        _report(screen, "Delinquent licenses", lambda: reports.delinquent(db, today))
    elif letter == "v":
        _report(screen, "License revenue", lambda: reports.revenue(db, first, today))
    elif letter == "p":
        _report(screen, "Pending reviews", lambda: reports.pending_by_department(db, today))
    elif letter == "c":
        q = (today.month - 1) // 3  # last complete quarter
        year, quarter = (today.year, q) if q else (today.year - 1, 4)
        _report(screen, "CASp remittance", lambda: reports.casp_report(db, year, quarter))
    elif letter == "e":
        _report(screen, "BID collections", lambda: reports.bid_month(db, _last_month()))
    elif letter == "x":
        from clerk_tui.screens.licenses.events import EventsScreen

        screen.app.push_screen(EventsScreen(screen))
    elif letter == "w":
        screen.app.push_screen(PendingReviews(screen))


class PendingReviews(WithStatusBar, ListAndAct):
    """The desk list of reviews waiting on a department, oldest first, with their age; O shows
    the license on F5 (where Ctrl+O V records the decision)."""

    def __init__(self, screen: LicensesScreen) -> None:
        from clerk_tui.domain.licenses import records

        db = screen.session.db
        self.owner = screen

        def load() -> list[Row]:
            return [Row(r["number"], (r["department"], f"{r['age_days']} d", r["number"],
                                      r["business_name"][:34]))
                    for r in records.pending_reviews(db)]

        super().__init__("Pending reviews", ["Department", "Age", "License", "Business"], load,
                         [Action("o", "Open the license", work=lambda key: key,
                                 said=lambda key: f"License {key}.", show=self._open)],
                         run=screen.session.kit_run, empty="No review is pending.",
                         heading="Reviews waiting on a department (oldest first)",
                         summary=lambda rows: f"{len(rows)} review(s) pending.")

    def _open(self, number: str) -> None:
        self.dismiss(None)
        self.owner.load(number)


def _remit_all(db: Any, actor: Any, month: str) -> str:
    """Every zone's remittance for the month (a zone with nothing to remit says so)."""
    from clerk_tui.domain.errors import StateError
    from clerk_tui.domain.licenses.rules import license_rules

    out: list[str] = []
    for zone in license_rules().zones_on(clock.today()):
        try:
            out.append(bid.format_remittance(bid.remit(db, actor, zone.code, month)))
        except StateError as e:
            out.append(str(e))
    return "\n\n".join(out) or "No BID zones."
