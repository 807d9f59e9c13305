"""The passports demo builds through the real domain, fast, and shows what a trainee needs."""

from __future__ import annotations

import time

from clerk_tui.db import Database
from clerk_tui.domain import audit
from clerk_tui.domain.passports import agents, transmittals
from clerk_tui.domain.passports.demo import generate

from .conftest import TODAY


def test_demo_month(db: Database, make_clerk) -> None:
    for role, name in (("csr1", "csr1"), ("csr2", "csr2"), ("csr3", "csr3"),
                       ("supervisor", "super")):
        make_clerk(role, name)
    start = time.monotonic()
    demo = generate(db, seed=7)
    elapsed = time.monotonic() - start
    assert demo.applications >= 20 and demo.transmittals >= 16 and demo.appointments >= 10
    assert elapsed < 30  # one transaction: seconds, not minutes
    assert agents.get_agent(db, "csr3").lapsed(TODAY)
    assert agents.agent_warning(db, "csr2").startswith("Your agent certification expires")
    assert "Facility compliance due" in agents.facility_warning(db)
    kinds = {o.what for o in transmittals.overdue(db)}
    assert kinds == {"application", "envelope"}
    assert db.scalar("SELECT count(*) FROM passport_applications WHERE status = 'returned'") == 1
    assert db.scalar("SELECT count(*) FROM drawer_sessions WHERE state = 'approved'") == 20
    assert audit.verify(db).ok
