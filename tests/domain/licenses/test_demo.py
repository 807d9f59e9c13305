"""The sandbox's license demo: thousands of licenses in about a second, every kind of state,
amounts consistent with the domain's own arithmetic, the audit chain intact."""

from __future__ import annotations

import time

from clerk_tui.db import Database
from clerk_tui.domain import audit
from clerk_tui.domain.licenses import demo, finders, records


def test_demo_builds_fast_and_consistent(db: Database) -> None:
    t = time.perf_counter()
    built = demo.build(db)
    assert time.perf_counter() - t < 30  # seconds, not minutes (about 1 s here)
    assert db.scalar("SELECT count(*) FROM licenses") == built.licenses == demo.DEMO_LICENSES + 3
    statuses = {r["status"] for r in db.all("SELECT DISTINCT status FROM licenses")}
    assert {"issued", "delinquent", "in_review", "closed"} <= statuses
    assert db.scalar("SELECT count(*) FROM licenses WHERE location = 'home'") > 50
    assert db.scalar("SELECT count(*) FROM licenses WHERE bid_zone = 'DTN'") > 50
    assert built.delinquent > 0 and built.in_review > 0
    bench = records.get_license(db, built.bench_number)
    assert bench.status == "issued" and bench.total_due_cents == 0
    some = db.scalar("SELECT number FROM licenses WHERE status = 'delinquent' LIMIT 1")
    assert records.get_license(db, some).total_due_cents > 0
    assert finders.search(db, built.bench_number, 5)[0].key == built.bench_number
    assert db.scalar("SELECT count(*) FROM event_permits WHERE status = 'applied'") == 3
    assert audit.verify(db).ok
