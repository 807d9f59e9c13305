"""The demo builder runs through the real functions and leaves a consistent picture."""

from __future__ import annotations

import time
from collections.abc import Callable

from clerk_tui.db import Database
from clerk_tui.domain import audit
from clerk_tui.domain.actor import Actor
from clerk_tui.domain.permits import demo, export, permits, stock


def test_demo_builds_two_districts_with_stock_and_permits(
        db: Database, make_clerk: Callable[..., Actor]) -> None:
    make_clerk("csr2", "csr2")
    make_clerk("supervisor", "super")
    started = time.perf_counter()
    built = demo.generate(db)
    assert time.perf_counter() - started < 10  # seconds, not minutes (generous on a busy box)
    assert len(built.numbers) == len(demo.SALES)
    assert permits.get_permit(db, built.replaced).hot == "lost"
    assert permits.get_permit(db, built.replacement).status == "active"
    assert {r.district for r in stock.ranges(db)} == {"A", "B"}
    assert all(stock.reconcile(db, r.id).balances for r in stock.ranges(db))
    rows = export.rows(db)
    assert sum(r[0] == "HOT" for r in rows) == 1
    assert sum(r[0] == "VALID" for r in rows) == len(demo.SALES)
    assert "NO" not in export.format_stock_report(db).split("Balances", 1)[1]
    assert audit.verify(db).ok
