"""A scanned citation barcode (C + 9 digits): its payment opens at once, the amount due
filled in (Enter takes it, Enter again on the empty tendered field = exact cash), exactly as
an account scan does; on Payments with a sale going it is one more item."""

from __future__ import annotations

from typing import TYPE_CHECKING

from clerk_tui.domain.scanlines import ScanResult
from clerk_tui.session import session_of

if TYPE_CHECKING:
    from clerk_tui.app import ClerkApp


def scan_opens(app: ClerkApp, scan: ScanResult) -> None:
    from clerk_tui.screens.cashier_scans import open_payment

    open_payment(app, scan.value.number)


def open_found(screen: object, key: str) -> None:
    """The F2 lookup's `open`: the citations counter showing that citation (and its plate's
    others one search away)."""
    from textual.screen import Screen

    app = screen.app if isinstance(screen, Screen) else screen

    def prepare(new: Screen) -> None:
        preload = getattr(new, "preload", None)
        if preload is not None:
            preload(key)

    session_of(app).open_counter("citations", prepare=prepare)
