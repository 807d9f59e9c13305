"""Posting: payments per second and commit latency (p50/p95/p99) with 1, 4 and 8 clerk processes
on one database, against a raw floor in the same run: as many plain writers, with the same
pragmas, writing exactly the rows a payment writes (counter bump, journal, receipt, two ledger
entries, item, tender, audit row and its counter) in one `BEGIN IMMEDIATE` on a copy of the same
database. (Until issue 12 the floor wrote one row per transaction, which made a payment look
1.5-1.9x dearer than the rows it writes.) Any "database is locked" error is reported (target:
none).

The clock starts at a barrier that every process reaches after it has imported clerk-tui and
opened the database: starting it before the processes launched measured Python start-up and
imports, not posting (it reported ~230 payments/s where the app posts ~1,800/s)."""

from __future__ import annotations

import argparse
import multiprocessing as mp
import shutil
import tempfile
import time
import uuid
from multiprocessing.synchronize import Barrier
from pathlib import Path

from bench.common import median, percentile, show

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


# The floor: the rows one payment writes (trace a real `post_payment`), as plain SQL in one
# `BEGIN IMMEDIATE` on a copy of the same database (same schema, indexes and append-only
# triggers), with every value worked out before the clock starts. What it leaves out is what the
# app adds: reads (the duplicate-submit check, the drawer, the account and its balance, the last
# audit row), pricing, hashing, the money-row digests and Python.
_FLOOR = (
    ("UPDATE counters SET value = value + 1 WHERE name = 'receipt_number' RETURNING value", None),
    ("INSERT INTO journals (kind, business_date, posted_at, clerk, workstation, memo, "
     "reverses_journal_id) VALUES ('receipt', ?, ?, ?, ?, 'receipt ' || ?, NULL)", "journal"),
    ("INSERT INTO receipts (number, journal_id, drawer_session_id, business_date, issued_at, "
     "clerk, workstation, idempotency_key, payer, total_cents, tendered_cents, change_cents) "
     "VALUES (?, ?, ?, ?, ?, ?, ?, ?, '', 4210, 5000, 790)", "receipt"),
    ("INSERT INTO ledger_entries (journal_id, book, kind, amount_cents, account_id, "
     "drawer_session_id, receipt_id, fund, gl_code, tender, reverses_entry_id, memo) VALUES "
     "(?, 'account', 'payment', -4210, ?, NULL, ?, '510', '510-1210', NULL, NULL, ?)", "credit"),
    ("INSERT INTO ledger_entries (journal_id, book, kind, amount_cents, account_id, "
     "drawer_session_id, receipt_id, fund, gl_code, tender, reverses_entry_id, memo) VALUES "
     "(?, 'drawer', 'tender.cash', 4210, NULL, ?, ?, '', '', 'cash', NULL, '')", "debit"),
    ("INSERT INTO receipt_items (receipt_id, line, kind, reference, description, amount_cents, "
     "fund, gl_code, account_id, new_balance_cents) VALUES (?, 1, 'account', ?, ?, 4210, '510', "
     "'510-1210', ?, 0)", "item"),
    ("INSERT INTO tenders (receipt_id, line, kind, amount_cents, tendered_cents, check_number, "
     "card_last4, auth_code) VALUES (?, 1, 'cash', 4210, 5000, NULL, NULL, NULL)", "tender"),
    ("UPDATE counters SET value = value + 1 WHERE name = 'audit_seq' RETURNING value", None),
    ("INSERT INTO audit_log (seq, at, clerk, workstation, action, entity, before_json, "
     "after_json, override_by, prev_hash, fmt, rows_json, hash) VALUES (?, ?, ?, ?, "
     "'payment.post', 'receipt:' || ?, NULL, ?, NULL, ?, 2, ?, ?)", "audit"),
)
FLOOR_STATEMENTS = len(_FLOOR) + 2  # and BEGIN IMMEDIATE, COMMIT


def _floor_payment(conn, v: dict) -> None:
    """One payment's rows, raw: the same tables, columns and sizes as `post_payment` writes."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        number = conn.execute(_FLOOR[0][0]).fetchone()[0]
        j = conn.execute(_FLOOR[1][0], [v["date"], v["at"], v["clerk"], v["ws"],
                                        number]).lastrowid
        r = conn.execute(_FLOOR[2][0], [number, j, v["session"], v["date"], v["at"], v["clerk"],
                                        v["ws"], v["key"]]).lastrowid
        conn.execute(_FLOOR[3][0], [j, v["account"], r, v["reference"]])
        conn.execute(_FLOOR[4][0], [j, v["session"], r])
        conn.execute(_FLOOR[5][0], [r, v["reference"], v["description"], v["account"]])
        conn.execute(_FLOOR[6][0], [r])
        seq = conn.execute(_FLOOR[7][0]).fetchone()[0]
        conn.execute(_FLOOR[8][0], [seq, v["at"], v["clerk"], v["ws"], number, v["after"],
                                    v["prev"], v["rows"], v["hash"]])
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def _raw(path: str, clerk: int, numbers: list[str], template: dict, ready: Barrier,
         q: mp.Queue) -> None:
    import pysqlite3.dbapi2 as sqlite3

    from clerk_tui.db import BUSY_TIMEOUT_MS

    conn = sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA foreign_keys = ON")
    session = conn.execute("SELECT id FROM drawer_sessions WHERE clerk = ? AND state = 'open'",
                           [f"clerk{clerk}"]).fetchone()[0]
    payments = []
    for i, n in enumerate(numbers):
        account = conn.execute("SELECT id FROM accounts WHERE number = ?", [n]).fetchone()[0]
        reference = f"{n[:-1]}-{n[-1]}"
        payments.append({**template, "clerk": f"clerk{clerk}", "ws": f"ws{clerk}",
                         "session": session, "account": account, "reference": reference,
                         "description": f"Utility account {reference} {i} Bench St",
                         "key": uuid.uuid4().hex, "hash": uuid.uuid4().hex * 2})
    lat, errors = [], 0
    ready.wait()
    for v in payments:
        t = time.perf_counter()
        try:
            _floor_payment(conn, v)
        except sqlite3.OperationalError as e:
            if "locked" not in str(e):
                raise
            errors += 1
            continue
        lat.append(time.perf_counter() - t)
    conn.close()
    q.put((lat, errors))


def _template(path: Path) -> dict:
    """Sizes from a real payment: the audit row `post_payment` wrote (its JSON and hashes)."""
    from clerk_tui.db import Database

    db = Database.open(path)
    a = db.one("SELECT * FROM audit_log WHERE action = 'payment.post' ORDER BY seq LIMIT 1")
    db.close()
    return {"date": a["at"][:10], "at": a["at"], "after": a["after_json"],
            "prev": a["prev_hash"], "rows": a["rows_json"]}


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


def _once(workers: int, where: str | None
          ) -> tuple[float, list[float], int, float, list[float], int]:
    """One run at `workers` processes: the app on a prepared database, then the floor on a copy
    of it made before the app posted (the same accounts, drawers and rows before it)."""
    folder = Path(tempfile.mkdtemp(prefix="clerk-bench-posting-", dir=where))
    path = folder / "post.db"
    numbers = _prepare(path, workers)
    raw_path = folder / "raw.db"
    shutil.copyfile(path, raw_path)
    shutil.copyfile(f"{path}.secret", f"{raw_path}.secret")
    chunks = [numbers[w::workers] for w in range(workers)]
    el, lat, err = _run(_clerk, lambda w: (str(path), w, chunks[w]), workers)
    tpl = _template(path)
    rel, rlat, rerr = _run(_raw, lambda w: (str(raw_path), w, chunks[w], tpl), workers)
    shutil.rmtree(folder, ignore_errors=True)
    return len(lat) / el, lat, err, len(rlat) / rel, rlat, rerr


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--workers", default="1,4,8")
    ap.add_argument("--repeat", type=int, default=1,
                    help="runs per row; the table shows each run's median (ratio: median of "
                         "the runs' ratios, each against the floor of the same run)")
    ap.add_argument("--dir", default=None,
                    help="folder for the scratch databases (default: the system temp folder, "
                         "on disk; /dev/shm takes fsync out and leaves the CPU cost)")
    args = ap.parse_args(argv)
    rows = []
    worst = 0.0
    for workers in [int(w) for w in args.workers.split(",")]:
        runs = [_once(workers, args.dir) for _ in range(max(1, args.repeat))]
        pps = median([r[0] for r in runs])
        raw_tps = median([r[3] for r in runs])
        each = [r[3] / r[0] if r[0] else float("inf") for r in runs]
        ratio = median(each)
        worst = max(worst, ratio)
        ms = [f"{median([percentile(r[1], p) for r in runs]) * 1000:.1f}" for p in (50, 95, 99)]
        rms = [f"{median([percentile(r[4], p) for r in runs]) * 1000:.1f}" for p in (50, 95, 99)]
        rows.append([workers, len(runs), f"{pps:.0f}", *ms, sum(r[2] for r in runs),
                     f"{raw_tps:.0f}", *rms, sum(r[5] for r in runs),
                     f"{ratio:.2f}x" + (f" ({min(each):.2f}-{max(each):.2f})" if len(each) > 1
                                         else "")])
    show("Posting: payments vs a raw floor writing the same rows (clock from a barrier after "
         "start-up)",
         ["clerks", "runs", "payments/s", "p50 ms", "p95 ms", "p99 ms", "locked", "floor tx/s",
          "floor p50", "floor p95", "floor p99", "floor locked", "floor/app"], rows,
         f"a payment through post_payment costs at most {worst:.2f}x the raw floor writing the "
         f"same rows ({FLOOR_STATEMENTS} statements) in one transaction")


if __name__ == "__main__":
    main()
