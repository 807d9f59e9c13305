"""A report on the whole screen: title, the text wrapped to the width, P prints, Esc closes.

Generalised from the F9 `ReportScreen`. The text is the domain's plain text, shown literally
in a `ReportView` (wraps what is wider than the screen, so nothing printed is missing on
screen). Printing is a callable passed in (`print_text(title, text)`), run through `run` like
any other work, one job at a time; what it returns is what the clerk reads: a message, or a
`PrintResult`-like object (`ok`, `message`), or None for "no printer is set up".
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType

from clerk_tui.screens.kit.base import KitModal, Run
from clerk_tui.widgets.footer import ClerkFooter
from clerk_tui.widgets.literal import LiteralLabel
from clerk_tui.widgets.report_view import ReportView
from clerk_tui.widgets.statusbar import StatusBar

PrintText = Callable[[str, str], Any]


def print_message(title: str, result: Any) -> str:
    """What the clerk reads after a print job."""
    if result is None:
        return f"{title} not printed: no printer is set up for this workstation."
    if isinstance(result, str):
        return result
    if getattr(result, "ok", False):
        return f"{title} printed."
    return str(getattr(result, "message", "") or f"{title} not printed.")


class ReportScreen(KitModal[None]):
    """Arrows/PgUp/PgDn scroll, P prints (when a printer callable is given), Esc closes."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("p", "print", "Print", id="kit.report.print"),
        Binding("escape", "close", "Close", id="kit.report.close"),
    ]
    AUTO_FOCUS = "#kit-report"

    def __init__(self, title: str, text: str, *, print_text: PrintText | None = None,
                 run: Run | None = None) -> None:
        super().__init__(run, classes="kit-opaque")
        self.title = title
        self.text = text
        self.print_text = print_text

    def compose(self) -> ComposeResult:
        yield StatusBar()  # who and where, as on every screen (the report covers the screen)
        yield LiteralLabel(self.title, classes="kit-title", id="kit-title")
        yield ReportView(self.text, id="kit-report", classes="kit-report")
        yield LiteralLabel("", classes="kit-message", id="kit-message")
        keys = "Up/Down/PgUp/PgDn scroll    " + ("P = print    " if self.print_text else "")
        yield LiteralLabel(keys + "Esc = close", classes="kit-hint", id="kit-hint")
        yield ClerkFooter()

    def on_mount(self) -> None:
        self.query_one("#kit-report", ReportView).show(self.text)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "print":
            return self.print_text is not None
        return True

    def action_print(self) -> None:
        if self.print_text is None:
            return
        if not self.text.strip():
            self._say("Nothing to print.")
            return
        title = self.title or "Report"
        if self.work(self.print_text, title, self.text,
                     then=lambda result: self._say(print_message(title, result))):
            self._say(f"Printing {title}…")

    def action_close(self) -> None:
        self.dismiss(None)
