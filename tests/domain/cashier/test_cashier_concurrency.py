"""Gapless receipt numbers when eight clerks post at the same moment (separate processes)."""

from __future__ import annotations

import multiprocessing as mp
from pathlib import Path

from clerk_tui.db import Database
from clerk_tui.domain import audit, ledger
from clerk_tui.domain.cashier import open_session

from .conftest import NOW
from .workers import post_many

PROCS, EACH = 8, 15


def test_gapless_numbers_under_concurrency(db: Database, db_path: Path, make_clerk,
                                           account) -> None:
    acct = account(PROCS * EACH * 100)
    clerks = [make_clerk("csr2", f"clerk{i}", f"ws-{i}") for i in range(PROCS)]
    for c in clerks:
        open_session(db, c)
    ctx = mp.get_context("spawn")
    barrier = ctx.Barrier(PROCS)
    out = ctx.Queue()
    procs = [ctx.Process(target=post_many, args=(str(db_path), c.username, c.workstation,
                                                 acct.number, EACH, NOW.isoformat(), barrier,
                                                 out)) for c in clerks]
    for p in procs:
        p.start()
    results = [out.get(timeout=90) for _ in procs]
    for p in procs:
        p.join(30)
    errors = [r for r in results if r[0] != "ok"]
    assert errors == []
    numbers = sorted(n for r in results for n in r[2])
    assert numbers == list(range(1, PROCS * EACH + 1))  # no gaps, no duplicates
    assert db.scalar("SELECT value FROM counters WHERE name = 'receipt_number'") == PROCS * EACH
    assert db.scalar("SELECT count(DISTINCT number) FROM receipts") == PROCS * EACH
    assert ledger.account_balance(db, acct.id) == 0
    per_clerk = db.all("SELECT clerk, count(*) AS n FROM receipts GROUP BY clerk")
    assert all(r["n"] == EACH for r in per_clerk) and len(per_clerk) == PROCS
    assert audit.verify(db).ok
    order = [r["clerk"] for r in db.all("SELECT clerk FROM receipts ORDER BY number")]
    switches = sum(a != b for a, b in zip(order, order[1:], strict=False))
    assert switches >= PROCS - 1  # (typically ~100: the clerks really did interleave)
