"""A scanned receipt barcode: the receipt as it will reprint (marked DUPLICATE), then print.

Opened by the app when a receipt barcode is scanned on any screen. Looking is free; printing
asks the domain for the reprint (which audits it — a second receipt can be misused) and hands
the copy to the devices in the background, like every other print.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import ModalScreen

from clerk_tui.domain.cashier import ReceiptView, reprint
from clerk_tui.domain.errors import ClerkError
from clerk_tui.screens.base import UsesSession
from clerk_tui.screens.station_calls import print_in_background
from clerk_tui.widgets.literal import LiteralLabel
from clerk_tui.widgets.report_view import ReportView
from clerk_tui.widgets.statusbar import StatusBar

if TYPE_CHECKING:
    from clerk_tui.app import ClerkApp


class ReprintScreen(UsesSession, ModalScreen[bool]):
    """Enter (or P) prints the DUPLICATE; Esc closes without printing. Dismisses True if sent."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "print", "Print copy", id="reprint.print"),
        Binding("p", "print", "Print copy", show=False, id="reprint.print_letter"),
        Binding("escape", "close", "Close", id="reprint.close"),
    ]
    AUTO_FOCUS = ""
    DEFAULT_CSS = """
    #reprint-log { height: 1fr; border: round $primary; }
    .-ascii #reprint-log { border: ascii $primary; }
    """

    def __init__(self, view: ReceiptView, preview: str) -> None:
        super().__init__(classes="opaque-screen", id="reprint")
        self.view = view
        self.preview = preview
        self.title = f"Receipt {view.number}"

    def compose(self) -> ComposeResult:
        yield StatusBar()
        state = " (VOIDED)" if self.view.voided else ""
        yield LiteralLabel(f"Receipt {self.view.number}{state}: Enter prints a copy marked "
                           "DUPLICATE, Esc closes.", style="bold", id="reprint-title")
        yield ReportView(self.preview, id="reprint-log")
        yield LiteralLabel("", id="reprint-message", classes="message")

    def action_print(self) -> None:
        app: ClerkApp = self.app  # type: ignore[assignment]
        if not self.session.signed_in:
            return
        try:
            view = reprint(self.session.db, self.session.actor, self.view.number)
        except ClerkError as e:
            self.query_one("#reprint-message", LiteralLabel).set_value(str(e))
            return
        print_in_background(app, view, duplicate=True)
        app.notify(f"Reprinting receipt {view.number} (DUPLICATE).", markup=False)
        self.dismiss(True)

    def action_close(self) -> None:
        self.dismiss(False)
