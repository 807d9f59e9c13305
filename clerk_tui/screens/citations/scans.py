"""A scanned citation barcode (C + 9 digits): its payment opens at once, the amount due
filled in (Enter takes it, Enter again on the empty tendered field = exact cash), exactly as
an account scan does; on Payments with a sale going it is one more item."""

from __future__ import annotations

from typing import TYPE_CHECKING

from clerk_tui.domain.scanlines import ScanResult

if TYPE_CHECKING:
    from clerk_tui.app import ClerkApp


def scan_opens(app: ClerkApp, scan: ScanResult) -> None:
    from clerk_tui.screens.cashier_scans import open_payment

    open_payment(app, scan.value.number)


def open_found(screen: object, key: str) -> None:
    """The F2 lookup's `open`: the citations screen showing that citation."""
    from textual.screen import Screen

    from clerk_tui.screens.citations.screen import CitationsScreen
    from clerk_tui.screens.counters import get_counter

    app = screen.app if isinstance(screen, Screen) else screen  # type: ignore[attr-defined]
    page = CitationsScreen(get_counter("citations"))
    app.push_screen(page)
    page.call_after_refresh(page.open_number, key)
