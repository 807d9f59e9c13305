"""Posting: payments per second and commit latency (p50/p95/p99) with 1, 4 and 8 clerk processes
on one database, against a baseline of bare `BEGIN IMMEDIATE; INSERT; COMMIT` writers with the
same pragmas in the same run. Any "database is locked" error is reported (target: none).

The clock starts at a barrier that every process reaches after it has imported clerk-tui and
opened the database: starting it before the processes launched measured Python start-up and
imports, not posting (it reported ~230 payments/s where the app posts ~1,800/s)."""

from __future__ import annotations

import argparse
import multiprocessing as mp
import time
from multiprocessing.synchronize import Barrier
from pathlib import Path

from bench.common import percentile, scratch, show

PAYMENTS_PER_WORKER = 150


def _prepare(path: Path, clerks: int) -> list[str]:
    from clerk_tui.db import open_database
    from clerk_tui.domain import audit, auth, clock, ledger, setup
    from clerk_tui.domain.actor import SYSTEM
    from clerk_tui.domain.cashier import open_session
    from clerk_tui.domain.checkdigit import luhn_digit

    db = open_database(path, create=True, migrate=True)
    setup.initialize(db, "training")
    numbers = []
    with db.write():
        for i in range(clerks * PAYMENTS_PER_WORKER):
            base = str(2000000 + i)
            number = base + luhn_digit(base)
            cid = db.insert("customers", {"name": f"Bench {i}", "created_at": clock.stamp()})
            aid = db.insert("accounts", {"number": number, "customer_id": cid,
                                         "service_address": f"{i} Bench St",
                                         "opened_on": "2020-01-01"})
            ledger.post(db, SYSTEM, "bill", [
                ledger.Entry(book="account", kind="bill", amount_cents=4210, account_id=aid),
                ledger.Entry(book="revenue", kind="bill", amount_cents=-4210),
            ])
            numbers.append(number)
        audit.record(db, SYSTEM, "bench.accounts", "accounts", after={"n": len(numbers)})
    for c in range(clerks):
        auth.add_clerk(db, SYSTEM, f"clerk{c}", f"Clerk {c}", "csr2", "1234")
        open_session(db, auth.clerk_actor(db, f"clerk{c}", f"ws{c}"))
    db.close()
    return numbers


def _clerk(path: str, clerk: int, numbers: list[str], ready: Barrier, q: mp.Queue) -> None:
    from clerk_tui.counters import load_builtin

    load_builtin()  # a worker process posts money: every counter's item kinds
    from clerk_tui.db import open_database
    from clerk_tui.domain import auth
    from clerk_tui.domain.cashier import SaleItem, Tender, new_idempotency_key, post_payment

    db = open_database(path)
    actor = auth.clerk_actor(db, f"clerk{clerk}", f"ws{clerk}")
    lat, errors = [], 0
    ready.wait()
    for n in numbers:
        t = time.perf_counter()
        try:
            post_payment(db, actor, new_idempotency_key(), [SaleItem("account", n)],
                         [Tender("cash", 5000)])
        except Exception as e:  # count, don't stop: the figure is the point
            errors += 1 if "locked" in str(e) else 0
            continue
        lat.append(time.perf_counter() - t)
    db.close()
    q.put((lat, errors))


def _raw(path: str, n: int, ready: Barrier, q: mp.Queue) -> None:
    from clerk_tui.db import Database

    db = Database.open(path)
    lat, errors = [], 0
    ready.wait()
    for i in range(n):
        t = time.perf_counter()
        try:
            with db.write():
                db.execute("INSERT INTO raw (v) VALUES (?)", [i])
        except Exception:
            errors += 1
            continue
        lat.append(time.perf_counter() - t)
    db.close()
    q.put((lat, errors))


def _run(target, args_for, workers: int) -> tuple[float, list[float], int]:
    ctx = mp.get_context("spawn")
    q: mp.Queue = ctx.Queue()
    ready = ctx.Barrier(workers + 1)
    procs = [ctx.Process(target=target, args=(*args_for(w), ready, q)) for w in range(workers)]
    for p in procs:
        p.start()
    ready.wait(timeout=300)  # every process imported and connected: now the clock starts
    start = time.perf_counter()
    results = [q.get(timeout=600) for _ in procs]
    elapsed = time.perf_counter() - start
    for p in procs:
        p.join()
    lat = [x for r in results for x in r[0]]
    return elapsed, lat, sum(r[1] for r in results)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--workers", default="1,4,8")
    args = ap.parse_args(argv)
    rows = []
    worst = 0.0
    for workers in [int(w) for w in args.workers.split(",")]:
        folder = scratch("posting")
        path = folder / "post.db"
        numbers = _prepare(path, workers)
        chunks = [numbers[w::workers] for w in range(workers)]
        el, lat, err = _run(_clerk, lambda w, c=chunks, p=path: (str(p), w, c[w]), workers)
        raw_path = folder / "raw.db"
        from clerk_tui.db import Database

        d = Database.open(raw_path, create=True)
        d.execute("CREATE TABLE raw (id INTEGER PRIMARY KEY, v INTEGER)")
        d.close()
        rel, rlat, rerr = _run(_raw, lambda w, p=raw_path: (str(p), PAYMENTS_PER_WORKER), workers)
        pps, raw_tps = len(lat) / el, len(rlat) / rel
        ratio = raw_tps / pps if pps else float("inf")
        worst = max(worst, ratio)
        ms = [f"{percentile(lat, p) * 1000:.1f}" for p in (50, 95, 99)]
        rows.append([workers, f"{pps:.0f}", *ms, err, f"{raw_tps:.0f}",
                     f"{percentile(rlat, 95) * 1000:.1f}", rerr, f"{ratio:.1f}x"])
    show("Posting: payments vs bare single-row commits (clock from a barrier after start-up)",
         ["clerks", "payments/s", "p50 ms", "p95 ms", "p99 ms", "locked", "raw tx/s",
          "raw p95 ms", "raw locked", "raw/payment"], rows,
         f"a full payment (receipt, items, tenders, ledger, audit) costs at most {worst:.1f}x a "
         "bare one-row commit")


if __name__ == "__main__":
    main()
