"""Reports (F9): X and Z reports of a drawer, and the bank deposit slip for supervisors; the
reversal and NSF return of a receipt from a closed drawer start here too (R, N).

Reports are the domain's plain text (tabulate), shown in a scrollable ReportView that wraps
what is wider than the screen: never markup, so a reason or a name typed by anyone stays text. The Z report ends with the audit chain's head, so
a printed day can be checked against the database later. A deposit posts (it moves the
approved drawers' money to the bank clearing account), so it asks first.

P prints what is shown through the workstation's printer, in a thread; a printer that cannot
print says so plainly and the report stays on screen. (A report over the whole screen, as the
drawer's X and Z, is the screen kit's `ReportScreen`.)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from clerk_tui.domain.authority import DENY, authority
from clerk_tui.domain.cashier import (
    create_deposit,
    depositable,
    format_report,
    render_deposit_slip,
    waiting_batches,
    x_report,
    z_report,
)
from clerk_tui.screens.base import CounterScreen
from clerk_tui.screens.counters import Counter
from clerk_tui.screens.kit import print_message
from clerk_tui.screens.office.reports import ACTIONS as OFFICE_ACTIONS
from clerk_tui.screens.office.reports import OPEN as OFFICE_OPEN
from clerk_tui.screens.prompts import TextPrompt
from clerk_tui.widgets.literal import LiteralLabel, join
from clerk_tui.widgets.report_view import ReportView

ACTIONS: tuple[tuple[str, str, str], ...] = (
    ("x", "x_report", "X report of my open drawer"),
    ("z", "z_report", "Z report of my last counted drawer"),
    ("s", "other_x", "X report of another drawer by number (supervisor)"),
    ("d", "deposit", "Make the bank deposit of approved drawers (supervisor)"),
    ("r", "reverse", "Reverse a payment from a closed drawer (supervisor)"),
    ("n", "nsf", "NSF: post a check the bank returned (supervisor)"),
    *OFFICE_ACTIONS,  # the office's day (issue 17): O, G, A, C
)


class ReportsScreen(CounterScreen):
    """Pick a report (letter or arrows + Enter); it shows in the log below; P prints it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(letter, action, text.split(" (")[0], show=False, id=f"reports.{action}")
        for letter, action, text in ACTIONS
    ] + [Binding("p", "print", "Print", id="reports.print")]
    AUTO_FOCUS = "#reports-actions"
    CSS_PATH = "cashier.tcss"

    def __init__(self, counter: Counter) -> None:
        super().__init__(counter, id="reports")
        self.shown = ""
        self.shown_title = ""

    def compose_body(self) -> ComposeResult:
        yield OptionList(*[Option(join((f"{k.upper()}  ", "bold"), text), id=action)
                           for k, action, text in ACTIONS], id="reports-actions")
        yield LiteralLabel("", id="reports-message", classes="message")
        yield ReportView(id="report-log")

    @on(OptionList.OptionSelected, "#reports-actions")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            getattr(self, f"action_{event.option.id}")()

    def say_message(self, message: str) -> None:
        """What a report said (its refusal, or that it is shown), under the list."""
        self._say(message)

    def action_day_report(self) -> None:
        OFFICE_OPEN["day_report"](self)

    def action_gl_export(self) -> None:
        OFFICE_OPEN["gl_export"](self)

    def action_ap_refunds(self) -> None:
        OFFICE_OPEN["ap_refunds"](self)

    def action_day_close(self) -> None:
        OFFICE_OPEN["day_close"](self)

    def _say(self, message: str) -> None:
        if self.is_attached:
            self.query_one("#reports-message", LiteralLabel).set_value(message)

    def _show(self, make: Callable[[], str], title: str) -> None:
        """`make()` (a report read, or the deposit's post) runs in a thread through the
        session; the text shows in the log below when it is back."""

        def shown(text: str | None) -> None:
            if text is None or not self.is_attached:
                return
            self._say("P prints it.")
            self.shown = text
            self.shown_title = title
            self.query_one("#report-log", ReportView).show(text)

        self.session.run(lambda override=None: make(), what=title, on_done=shown,
                         on_error=lambda e: self._say(str(e)), screen=self)

    def action_print(self) -> None:
        """P: print what is shown on this workstation's printer, in a thread (session.run),
        one job at a time; what the printer said is shown below the list."""
        title = self.shown_title or "Report"
        if self.session.is_running(self):
            self._say(f"Printing {title}… wait for the printer.")
            return
        if not self.shown:
            self._say("Nothing to print: pick a report first.")
            return
        self._say(f"Printing {title}…")
        self.session.run(lambda override=None: self.session.print_text(title, self.shown),
                         what=f"print {title}", screen=self,
                         on_done=lambda result: self._say(print_message(title, result)),
                         on_error=lambda e: self._say(str(e)))

    def action_x_report(self) -> None:
        db, actor = self.session.db, self.session.actor
        self._show(lambda: format_report(x_report(db, actor)), "X report")

    def action_z_report(self) -> None:
        db, actor = self.session.db, self.session.actor
        self._show(lambda: format_report(z_report(db, actor)), "Z report")

    def _open_reversal(self, mode: str) -> None:
        """R / N: the reversal screen, unless the clerk's role may not do it even with a
        supervisor's override (said here, before any typing)."""
        from clerk_tui.screens.reversal import MODES, ReversalScreen

        actor = self.session.actor
        rules = authority()
        if actor is None or rules.mode(actor.role, MODES[mode][1]) == DENY:
            role = rules.role(actor.role).label if actor is not None else "clerk"
            what = "reverse a payment" if mode == "reverse" else "post a returned check"
            self._say(f"A {role} may not {what}.")
            return
        self.app.push_screen(ReversalScreen(mode))

    def action_reverse(self) -> None:
        self._open_reversal("reverse")

    def action_nsf(self) -> None:
        self._open_reversal("nsf")

    def action_other_x(self) -> None:
        app = self.clerk_app

        def check(text: str) -> str | None:
            return None if text.strip().isdigit() else "Type the drawer number (digits)."

        def entered(text: str | None) -> None:
            if text:
                db, actor, number = self.session.db, self.session.actor, int(text.strip())
                self._show(lambda: format_report(x_report(db, actor, number)),
                           f"X report, drawer {number}")

        app.push_screen(TextPrompt("X report of drawer number:", max_length=9, check=check),
                        entered)

    def action_deposit(self) -> None:
        """D: which approved drawers are waiting (read in a thread), then ask, then post."""
        db = self.session.db

        def ready(got: tuple[list[int], list[str]] | None) -> None:
            if got is None or not self.is_attached:
                return
            drawers, batches = got
            if not drawers and not batches:
                self._say("No approved drawers are waiting to be deposited.")
                return

            def go(yes: bool) -> None:
                if yes:
                    self._show(lambda: render_deposit_slip(
                        create_deposit(db, self.session.actor), city=_city()),
                        "Bank deposit slip")

            what = [f"drawers {', '.join(map(str, drawers))}"] if drawers else []
            if batches:  # approved mail/lockbox batches go into the bag as themselves
                what.append(f"batches {', '.join(batches)}")
            self.session.confirm(f"Deposit {' and '.join(what)}? This posts the deposit.", go,
                                 yes="Deposit")

        self.session.run(lambda override=None: (depositable(db), waiting_batches(db)),
                         what="approved drawers", on_done=ready,
                         on_error=lambda e: self._say(str(e)), screen=self)


def _city() -> str:
    """The city name printed on slips (data/site.toml), if the station module has it."""
    try:
        from clerk_tui.station import load_site

        return load_site().name
    except Exception:
        return ""


COUNTER_SCREEN = ReportsScreen
