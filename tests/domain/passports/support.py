"""A passport execution fee to sell in other counters' tests (the cross-process void test)."""

from __future__ import annotations

from clerk_tui.db import Database
from clerk_tui.domain import auth
from clerk_tui.domain.passports import agents, applications
from clerk_tui.domain.passports.items import reference


def passport_reference(db: Database) -> str:
    """A new adult book application's execution fee ($35.00), started by the test's
    supervisor ("sup"), certified as an acceptance agent once per database by the admin."""
    sup = auth.clerk_actor(db, "sup", "ws-test")
    if agents.get_agent(db, "sup") is None:
        agents.record_certification(db, auth.clerk_actor(db, "admin", "ws-test"), "sup",
                                    "2026-01-05")
    app = applications.start(db, sup, "Cross Process", "1980-01-01", "book")
    return reference(app.number, "EXEC")
