"""Eight clerks' busy day on one database file, all at once (separate processes).

Beyond the gapless-numbers test in tests/domain/cashier: every clerk mixes payments in every
tender (split, change, checks, cards, money orders) with voids, paid-ins, pickups, blind counts
(some over/short, some beyond tolerance), their supervisor's approvals, reopens and reversals,
and opens new drawers — while checking the domain's expected drawer against their own tally.
No operation may fail, in particular never with "database is locked"; afterwards every
invariant of the books holds.
"""

from __future__ import annotations

import multiprocessing as mp
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from clerk_tui.db import Database
from clerk_tui.domain import clock
from tests.reliability.invariants import check_invariants
from tests.reliability.writers import NOW, clerk_day, seed_database

PROCS, EACH = 8, 60


@pytest.fixture(autouse=True)
def _writers_business_day() -> Iterator[None]:
    with clock.frozen(NOW):
        yield


@pytest.mark.slow
def test_eight_clerks_busy_day(tmp_path: Path) -> None:
    db_path = tmp_path / "counter.db"
    people = [(f"clerk{i}", "csr2") for i in range(PROCS)]
    people += [(f"sup{i}", "supervisor") for i in range(PROCS)]
    numbers = seed_database(db_path, clerks=people, accounts=8)
    ctx = mp.get_context("spawn")
    barrier = ctx.Barrier(PROCS)
    out = ctx.Queue()
    procs = [ctx.Process(target=clerk_day, args=(str(db_path), i, numbers, EACH, 1000 + i,
                                                 barrier, out)) for i in range(PROCS)]
    for p in procs:
        p.start()
    try:
        results = [out.get(timeout=150) for _ in procs]
    finally:
        for p in procs:
            p.join(30)
            if p.is_alive():
                p.kill()
    errors = [r[2] for r in results if r[0] != "ok"]
    locked = [e for e in errors if "locked" in e or "OperationalError" in e]
    assert locked == [], f"busy/locked errors under load: {locked}"
    assert errors == [], "\n\n".join(errors)
    assert all(p.exitcode == 0 for p in procs)

    summary = check_invariants(db_path)

    stats: Counter[str] = Counter()
    for _, _, s in results:
        stats.update(s)
    assert summary.receipts == stats["payments"] == PROCS * EACH
    # The mix really happened (each of these is random per clerk, but over 8 clerks certain).
    for what in ("voids", "paid_ins", "pickups", "counts", "over_short", "held", "approvals",
                 "reopens", "reversals"):
        assert stats[what] > 0, f"no {what} in {dict(stats)}"
    assert summary.voids == stats["voids"] + stats["reversals"]
    db = Database.open(db_path)
    try:
        per_clerk = {r["clerk"]: r["n"] for r in db.all(
            "SELECT clerk, count(*) AS n FROM receipts GROUP BY clerk")}
        assert per_clerk == {f"clerk{i}": EACH for i in range(PROCS)}
        sessions = db.scalar("SELECT count(*) FROM drawer_sessions")
        assert sessions == PROCS + stats["approvals"]
        assert db.scalar("SELECT count(*) FROM drawer_sessions WHERE state = 'approved'") \
            == stats["approvals"]
        order = [r["clerk"] for r in db.all("SELECT clerk FROM receipts ORDER BY number")]
        switches = sum(a != b for a, b in zip(order, order[1:], strict=False))
        assert switches >= PROCS * 4, "the clerks did not really work at the same time"
    finally:
        db.close()
    print(f"\nconcurrency: {dict(stats)}, {summary}, {switches} clerk switches")
