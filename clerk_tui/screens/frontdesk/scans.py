"""What a scanned visitor badge does (named in clerk_tui/counters/frontdesk.py): checks the
visitor out from any screen that takes scans (the app ignores scans while a dialog, such as
a list or form, is open) and says who left. Done in a thread (session.run)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from clerk_tui.domain.errors import ClerkError
from clerk_tui.domain.frontdesk import visitors
from clerk_tui.domain.scanlines import ScanResult

if TYPE_CHECKING:
    from clerk_tui.app import ClerkApp


def scan_badge(app: ClerkApp, scan: ScanResult) -> None:
    badge = scan.value.badge
    session = app.session

    def refused(e: ClerkError) -> None:
        app.bell()
        app.notify(str(e), title="Badge scan", severity="error", markup=False)

    def done(v: visitors.Visitor | None) -> None:
        if v is None:
            return
        app.notify(f"{v.name} ({v.badge}) checked out.", title="Badge scan", markup=False)
        refresh = getattr(app.screen, "refresh_status_line", None)
        if refresh is not None:  # the front desk itself: its count of visitors inside
            refresh()

    session.run(lambda override=None: visitors.check_out(session.db, session.actor, badge,
                                                         how="scan"),
                what=f"check out {badge}", on_done=done, on_error=refused)
