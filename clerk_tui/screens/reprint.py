"""A scanned receipt barcode: the receipt as it will reprint (marked DUPLICATE), then print.

Opened by the app when a receipt barcode is scanned on any screen. Looking is free; printing
asks the domain for the reprint (which audits it — a second receipt can be misused) and hands
the copy to the devices in the background, like every other print.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType

from clerk_tui.domain.cashier import ReceiptView, reprint
from clerk_tui.screens.base import UsesSession
from clerk_tui.screens.kit import KitModal, Run
from clerk_tui.screens.station_calls import print_in_background
from clerk_tui.widgets.literal import LiteralLabel
from clerk_tui.widgets.report_view import ReportView
from clerk_tui.widgets.statusbar import StatusBar

if TYPE_CHECKING:
    from clerk_tui.app import ClerkApp


class ReprintScreen(UsesSession, KitModal[bool]):
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
        super().__init__(classes="kit-opaque")
        self.id = "reprint"
        self.view = view
        self.preview = preview
        self.title = f"Receipt {view.number}"

    def compose(self) -> ComposeResult:
        yield StatusBar()
        state = " (VOIDED)" if self.view.voided else ""
        yield LiteralLabel(f"Receipt {self.view.number}{state}: Enter prints a copy marked "
                           "DUPLICATE, Esc closes.", style="bold", id="reprint-title")
        yield ReportView(self.preview, id="reprint-log")
        yield LiteralLabel("", id="kit-message", classes="message")

    def action_print(self) -> None:
        """The reprint is audited (a write), so it runs in a thread through the session."""
        if not self.session.signed_in:
            return
        self.work(reprint, self.session.db, self.session.actor, self.view.number,
                  then=self._printed)

    @property
    def run_fn(self) -> Run:
        return self._run if self._run is not None else self.session.kit_run

    def _printed(self, view: ReceiptView | None) -> None:
        if view is None:
            return
        app: ClerkApp = self.app  # type: ignore[assignment]
        print_in_background(app, view, duplicate=True)
        self.session.say(f"Reprinting receipt {view.number} (DUPLICATE).")
        self.dismiss(True)

    def action_close(self) -> None:
        self.dismiss(False)
