"""What a scanned visitor badge does (named in clerk_tui/counters/frontdesk.py): checks the
visitor out, from any screen, and says who left. Done in a thread (session.run)."""

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
        reload = getattr(app.screen, "action_reload", None)
        if reload is not None and getattr(app.screen, "title", "") == "In the building":
            reload()

    session.run(lambda override=None: visitors.check_out(session.db, session.actor, badge,
                                                         how="scan"),
                what=f"check out {badge}", on_done=done, on_error=refused)
