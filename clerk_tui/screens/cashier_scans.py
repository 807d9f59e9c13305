"""What the cashier counter's scans open (named in clerk_tui/counters/cashier.py).

The app only routes a scan to its kind's handler (clerk_tui/scanning.py); the payment
knowledge — a scanned account or bill stub opens that account's payment with the stub's
amount, a receipt barcode opens the reprint — lives here, with the cashier counter.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.screen import Screen

from clerk_tui.domain.errors import ClerkError
from clerk_tui.domain.scanlines import ScanResult, format_account
from clerk_tui.screens.base import CounterScreen

if TYPE_CHECKING:
    from clerk_tui.app import ClerkApp


def scan_pays(app: ClerkApp, scan: ScanResult) -> None:
    """Account number or bill stub: that account's payment, the stub's amount filled in.

    A screen that keys payments itself (a mail batch) takes the scan first: `take_scan`."""
    take = getattr(app.screen, "take_scan", None)
    if take is not None and take(scan):
        return
    value = scan.value
    amount = getattr(value, "amount_cents", None)
    open_payment(app, format_account(value.account_number), amount or None)


def scan_reprints(app: ClerkApp, scan: ScanResult) -> None:
    """A receipt barcode: the receipt as it will reprint; Enter prints it."""
    show_receipt(app, scan.value.receipt_number)


def open_receipt(screen: Screen, key: str) -> None:
    """A receipt line of the F2 lookup (key = the receipt number): the same reprint view."""
    show_receipt(screen.app, int(key))  # type: ignore[arg-type]


def show_receipt(app: ClerkApp, number: int) -> None:
    """The receipt as it will reprint (DUPLICATE preview); Enter prints, Esc closes."""
    from clerk_tui.domain.cashier import ReceiptView, get_receipt
    from clerk_tui.screens.reprint import ReprintScreen

    def refused(e: ClerkError) -> None:
        app.bell()
        app.notify(str(e), title="Receipt", severity="error", markup=False)

    def found(view: ReceiptView | None) -> None:
        if view is not None:
            app.push_screen(ReprintScreen(view, app.session.station.preview(view,
                                                                          duplicate=True)))

    # The receipt is read in a thread (session.run): no SQL on the UI thread.
    app.session.run(lambda override=None: get_receipt(app.session.db, number),
                    what=f"receipt {number}", on_done=found, on_error=refused)


def open_payment(app: ClerkApp, reference: str, amount_cents: int | None = None) -> None:
    """That account on the payment screen, the stub's amount filled in. A sale in progress
    gets it as one more item (several stubs, one payment); a finished sale makes way for a
    new one."""
    screen = app.screen
    add = getattr(screen, "add_scanned_item", None)
    if isinstance(screen, CounterScreen) and screen.counter.id == "payments" and add:
        if not add(reference, amount_cents):
            app.bell()
        return

    def prepare(new: Screen) -> None:
        preload = getattr(new, "preload", None)
        if preload is not None:
            preload(reference, amount_cents)

    app.session.open_counter("payments", prepare=prepare)
