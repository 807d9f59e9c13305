"""The demo builder makes every record kind through the real functions, quickly."""

from __future__ import annotations

from clerk_tui.db import Database
from clerk_tui.domain import auth
from clerk_tui.domain.actor import SYSTEM
from clerk_tui.domain.frontdesk import demo, records
from tests.conftest import PINS


def test_demo_builds_every_kind(db: Database) -> None:
    for name, role in (("csr2", "csr2"), ("csr3", "csr3"), ("super", "supervisor")):
        auth.add_clerk(db, SYSTEM, name, name, role, PINS[role])
    made = demo.generate(db)
    assert made.visitors and made.requests and made.vehicles and made.repos and made.registrants \
        and made.subpoenas
    for table in ("fd_visitors", "fd_requests", "fd_vehicles", "fd_repossessions",
                  "fd_registrants", "fd_registrant_history", "fd_clearances", "fd_subpoenas", "fd_messages",
                  "fd_ridealongs", "fd_clearance_letters"):
        assert db.scalar(f"SELECT count(*) FROM {table}") > 0, table
    csr3 = auth.clerk_actor(db, "csr3", "ws")
    assert records.open_requests(db, csr3) == []  # csr3 is not cleared in the sandbox
    assert records.open_requests(db, auth.clerk_actor(db, "csr2", "ws"))
