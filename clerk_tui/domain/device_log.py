"""Audit rows for device actions that are not part of a sale.

Opening the cash drawer outside a sale ("no sale", from the diagnostics screen) is how money
walks out of a till, so it is audited like any other change: who, which workstation, what the
drawer reported. Printing a test page is harmless and is not recorded.
"""

from __future__ import annotations

from clerk_tui.db import Database
from clerk_tui.domain import audit
from clerk_tui.domain.actor import Actor


def record_drawer_opened(db: Database, actor: Actor, *, reason: str, result: str) -> int:
    """One audit row `drawer.kick` for a drawer opened without a sale; returns its seq."""
    with db.write():
        return audit.record(db, actor, "drawer.kick", f"workstation:{actor.workstation}",
                            after={"reason": reason, "result": result})
