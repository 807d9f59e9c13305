"""Front desk lookup: p50/p95/max of the F2 finders (registrants by name prefix, records
requests by number and requester, impounds by plate, visitors by badge and name) over a
bench-size police front desk, for a cleared clerk, and for an uncleared one (who must get
nothing, and get it at once).

The rows are bulk-inserted into a scratch database (a bench, not demo data: the front desk's
demo builder makes a few of each through the domain). Each query runs `--repeat` times and
the p50, p95 and worst of those runs are shown (a shared machine adds outliers to the
worst). The target (docs/counters.md, finders): at most 5 ms per finder call.
"""

from __future__ import annotations

import argparse
import random
import shutil
import time
from collections.abc import Callable

from bench.common import percentile, scratch, show

SURNAMES = ["Abbott", "Baker", "Castell", "Dunmore", "Ellis", "Fenn", "Garcia", "Harrow",
            "Ibarra", "Jones", "Kale", "Lowry", "Marsh", "Nguyen", "Ortega", "Pike",
            "Quill", "Ruiz", "Sato", "Tran", "Ueda", "Vance", "Whitlock", "Xu", "Young", "Zhu"]


def build(db, n: int, seed: int) -> None:  # type: ignore[no-untyped-def]
    from clerk_tui.domain.frontdesk.visitors import make_badge

    rnd = random.Random(seed)

    def name(i: int) -> str:
        return f"{rnd.choice(SURNAMES)}{i % 97}, {rnd.choice(SURNAMES)}"

    now = "2026-03-02T10:00:00"
    with db.write():
        db.executemany(
            "INSERT INTO fd_visitors (id, badge, name, company, visiting, purpose, id_seen, "
            "business_date, in_at, in_by, out_at) VALUES (?, ?, ?, '', 'Records', 'Visit', 1, "
            "'2026-03-02', ?, 'bench', ?)",
            [(i, make_badge(i), name(i), now, now) for i in range(1, n + 1)])
        db.executemany(
            "INSERT INTO fd_requests (id, number, requester, contact, records, received_on, "
            "channel, due_on, status, created_by, created_at) VALUES (?, ?, ?, '', 'Logs', "
            "'2026-03-02', 'mail', '2026-03-12', 'received', 'bench', ?)",
            [(i, f"PRA26-{i:05d}", name(i), now) for i in range(1, n + 1)])
        db.executemany(
            "INSERT INTO fd_registrants (id, name, birth_date, type, address, "
            "last_registered_on, next_due, created_by, created_at) VALUES (?, ?, '1980-01-01', "
            "'290', '1 Elm', '2026-01-01', '2026-12-31', 'bench', ?)",
            [(i, name(i), now) for i in range(1, n + 1)])
        db.executemany(
            "INSERT INTO fd_vehicles (id, plate, vin, make, stored_on, reason_code, hold_until, "
            "status, created_by, created_at) VALUES (?, ?, ?, 'Sedan', '2026-03-01', '22651', "
            "'2026-03-01', 'stored', 'bench', ?)",
            [(i, f"{i:07d}", f"1HGCM8263{i:08d}", now) for i in range(1, n + 1)])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=50_000, help="rows of each record kind")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args(argv)

    from clerk_tui.counters import load_builtin
    from clerk_tui.db import Database
    from clerk_tui.domain import auth, setup
    from clerk_tui.domain.actor import SYSTEM
    from clerk_tui.domain.frontdesk import access, finders

    load_builtin()
    folder = scratch("frontdesk")
    db = Database.open(folder / "fd.db", create=True)
    try:
        setup.initialize(db, "production", admin_username="admin", admin_name="Admin",
                         admin_pin="9999")
        auth.add_clerk(db, SYSTEM, "cleared", "Cleared", "csr2", "3333")
        auth.add_clerk(db, SYSTEM, "other", "Other", "csr2", "3333")
        access.set_clearance(db, auth.clerk_actor(db, "admin", "bench"), "cleared", True,
                             "bench")
        started = time.perf_counter()
        build(db, args.rows, args.seed)
        print(f"built {args.rows:,} rows of each kind in {time.perf_counter() - started:.1f} s")
        cases: list[tuple[str, Callable, str]] = [
            ("registrant name prefix", finders.find_registrants, "Harrow1"),
            ("request by number", finders.find_requests, f"PRA26-{args.rows // 2:05d}"),
            ("request requester prefix", finders.find_requests, "Ortega4"),
            ("impound by plate", finders.find_impounds, f"{args.rows // 3:07d}"),
            ("visitor by badge", finders.find_visitors, "VB0000018"),
            ("visitor name prefix", finders.find_visitors, "Quill2"),
        ]
        rows: list[list[object]] = []
        worst = 0.0
        for who in ("cleared", "other"):
            actor = auth.clerk_actor(db, who, "bench")
            for label, find, text in cases:
                times = []
                hits = 0
                for _ in range(args.repeat):
                    t = time.perf_counter()
                    hits = len(find(db, actor, text, 50))
                    times.append((time.perf_counter() - t) * 1000)
                worst = max(worst, max(times))
                rows.append([f"{label} ({who})", hits, percentile(times, 50),
                             percentile(times, 95), max(times)])
        show(f"front desk finders over {args.rows:,} rows of each kind",
             ["query", "hits", "p50 ms", "p95 ms", "max ms"], rows,
             f"worst call {worst:.2f} ms (target <= 5 ms); an uncleared clerk gets 0 hits "
             "for police records")
    finally:
        db.close()
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
