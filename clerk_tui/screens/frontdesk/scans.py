"""What a scanned visitor badge does (named in clerk_tui/counters/frontdesk.py): checks the
visitor out from any screen that takes scans (the app ignores scans while a dialog, such as
a list or form, is open, unless it asks for badges: the list of who is in the building) and
says who left. Done in a thread (session.run)."""

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
        elif "visitor_badge" in getattr(app.screen, "accepts_scans", ()):
            reload = getattr(app.screen, "action_reload", None)
            if reload is not None:  # the list of visitors in the building
                reload()

    session.run(lambda override=None: visitors.check_out(session.db, session.actor, badge,
                                                         how="scan"),
                what=f"check out {badge}", on_done=done, on_error=refused)
