"""Reports (F9): X and Z reports of a drawer, and the bank deposit slip for supervisors.

Reports are the domain's plain text (tabulate), shown in a scrollable Log: never markup, so a
reason or a name typed by anyone stays text. The Z report ends with the audit chain's head, so
a printed day can be checked against the database later. A deposit posts (it moves the
approved drawers' money to the bank clearing account), so it asks first.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import ModalScreen
from textual.widgets import Log, OptionList
from textual.widgets.option_list import Option

from clerk_tui.domain.cashier import (
    create_deposit,
    depositable,
    format_report,
    render_deposit_slip,
    x_report,
    z_report,
)
from clerk_tui.domain.errors import ClerkError
from clerk_tui.domain.text import visible
from clerk_tui.screens.base import CounterScreen
from clerk_tui.screens.counters import Counter
from clerk_tui.screens.prompts import TextPrompt
from clerk_tui.widgets.literal import LiteralLabel, join
from clerk_tui.widgets.statusbar import StatusBar


def _log_lines(log: Log, text: str) -> None:
    log.clear()
    log.write_lines([visible(line) for line in text.splitlines()])
    log.scroll_home(animate=False)


class ReportScreen(ModalScreen[None]):
    """A report over the whole screen; arrows/PgUp/PgDn scroll, Esc closes."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="report.close"),
    ]
    AUTO_FOCUS = "#report-log"
    CSS_PATH = "cashier.tcss"

    def __init__(self, title: str, text: str) -> None:
        super().__init__(classes="opaque-screen")
        self.title = title
        self.text = text

    def compose(self) -> ComposeResult:
        yield StatusBar()
        yield Log(id="report-log")
        yield LiteralLabel("Up/Down/PgUp/PgDn scroll    Esc = close", style="dim")

    def on_mount(self) -> None:
        _log_lines(self.query_one("#report-log", Log), self.text)

    def action_close(self) -> None:
        self.dismiss(None)


ACTIONS: tuple[tuple[str, str, str], ...] = (
    ("x", "x_report", "X report of my open drawer"),
    ("z", "z_report", "Z report of my last counted drawer"),
    ("s", "other_x", "X report of another drawer by number (supervisor)"),
    ("d", "deposit", "Make the bank deposit of approved drawers (supervisor)"),
)


class ReportsScreen(CounterScreen):
    """Pick a report (letter or arrows + Enter); it shows in the log below."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(letter, action, text.split(" (")[0], show=False, id=f"reports.{action}")
        for letter, action, text in ACTIONS
    ]
    AUTO_FOCUS = "#reports-actions"
    CSS_PATH = "cashier.tcss"

    def __init__(self, counter: Counter) -> None:
        super().__init__(counter, id="reports")
        self.shown = ""

    def compose_body(self) -> ComposeResult:
        yield OptionList(*[Option(join((f"{k.upper()}  ", "bold"), text), id=action)
                           for k, action, text in ACTIONS], id="reports-actions")
        yield LiteralLabel("", id="reports-message", classes="message")
        yield Log(id="report-log")

    @on(OptionList.OptionSelected, "#reports-actions")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            getattr(self, f"action_{event.option.id}")()

    def _show(self, make: Callable[[], str]) -> None:
        try:
            text = make()
        except ClerkError as e:
            self.query_one("#reports-message", LiteralLabel).set_value(str(e))
            return
        self.query_one("#reports-message", LiteralLabel).set_value("")
        self.shown = text
        _log_lines(self.query_one("#report-log", Log), text)

    def action_x_report(self) -> None:
        app = self.clerk_app
        self._show(lambda: format_report(x_report(app.db, app.actor)))  # type: ignore[arg-type]

    def action_z_report(self) -> None:
        app = self.clerk_app
        self._show(lambda: format_report(z_report(app.db, app.actor)))  # type: ignore[arg-type]

    def action_other_x(self) -> None:
        app = self.clerk_app

        def check(text: str) -> str | None:
            return None if text.strip().isdigit() else "Type the drawer number (digits)."

        def entered(text: str | None) -> None:
            if text:
                self._show(lambda: format_report(
                    x_report(app.db, app.actor, int(text.strip()))))  # type: ignore[arg-type]

        app.push_screen(TextPrompt("X report of drawer number:", max_length=9, check=check),
                        entered)

    def action_deposit(self) -> None:
        app = self.clerk_app
        try:
            ready = depositable(app.db)
        except ClerkError as e:
            self.query_one("#reports-message", LiteralLabel).set_value(str(e))
            return
        if not ready:
            self.query_one("#reports-message", LiteralLabel).set_value(
                "No approved drawers are waiting to be deposited.")
            return

        def go(yes: bool) -> None:
            if yes:
                self._show(lambda: render_deposit_slip(
                    create_deposit(app.db, app.actor), city=_city()))  # type: ignore[arg-type]

        app.confirm(f"Deposit drawers {', '.join(map(str, ready))}? This posts the deposit.",
                    go, yes="Deposit")


def _city() -> str:
    """The city name printed on slips (data/site.toml), if the station module has it."""
    try:
        from clerk_tui.station import load_site

        return load_site().name
    except Exception:
        return ""


COUNTER_SCREEN = ReportsScreen
