"""Permit lookup: p50/p95 of the permits' F2 finder (`clerk_tui.domain.permits.lookup.find`)
over many permits (default 200,000: several years of a large residential permit programme),
against the floor: the one raw indexed query for the same text, run on the same connection.

Queries: a full permit number (exact, with its check digit), a plate, and a holder's name
prefix of 2-4 letters, drawn from the database with a fixed seed. Each is run `--repeat`
times and its best time kept. The goal is the lookup's: p95 <= 5 ms.

The permits are bulk-loaded (bench data, not demo data: no receipts or applications behind
them, foreign keys off for the load) into a database kept in the bench cache folder, keyed by
the count, the seed and the schema.
"""

from __future__ import annotations

import argparse
import random
import time
from pathlib import Path
from typing import TYPE_CHECKING

from bench.common import percentile, show
from bench.lookup import cache_dir, cached_build, schema_key, settle_file

if TYPE_CHECKING:
    from clerk_tui.db import Database

DEFAULT_PERMITS = 200_000
DEFAULT_SEED = 13
FIRST = ("Robin", "Chris", "Dana", "Sam", "Lee", "Pat", "Jordan", "Casey", "Morgan", "Alex",
         "Taylor", "Jamie", "Avery", "Riley", "Quinn", "Drew", "Kim", "Toni", "Jesse", "Noel")
LAST = ("Alvarez", "Nguyen", "Okafor", "Rivera", "Patel", "Smith", "Garcia", "Chen", "Kowalski",
        "Haddad", "Johnson", "Silva", "Murphy", "Tanaka", "Novak", "Dubois", "Ortiz", "Reyes",
        "Khan", "Larsen", "Moreau", "Baker", "Schmidt", "Rossi", "Cohen", "Ibrahim", "Walsh")
STREETS = ("OAK ST", "ELM ST", "2ND AVE", "UNIVERSITY AVE", "MAPLE DR", "CEDAR LN")


def permits_db(n: int, seed: int, cache: Path) -> tuple[Path, float | None]:
    """The bench database of `n` permits (built now if not cached) and the build time."""
    from clerk_tui.db import Database
    from clerk_tui.domain import setup
    from clerk_tui.domain.permits.numbers import format_permit_number

    if not 1 <= n <= 999_999:
        raise SystemExit("--permits: 1 to 999,999 (one stock serial each)")
    stem = f"lookup-permits-{n}-seed{seed}-"
    path = cache / f"{stem}{schema_key()}.db"
    started = time.perf_counter()

    def build(tmp: Path) -> None:
        db = Database.open(tmp, create=True)
        try:
            setup.initialize(db, "training")
            rng = random.Random(seed)
            db.conn.execute("PRAGMA foreign_keys = OFF").close()
            with db.write():
                db.insert("permit_stock_ranges", {
                    "district": "A", "stock": "decal", "low": 1, "high": n, "next_serial": n + 1,
                    "received_on": "2024-01-01", "received_by": "bench"})
                rows = []
                for serial in range(1, n + 1):
                    plate = f"{rng.randint(1, 9)}{''.join(rng.choices('ABCDEFGHJKLMNPRSTUVWXYZ', k=3))}{rng.randint(0, 999):03d}"
                    holder = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
                    rows.append((format_permit_number(serial), 1, serial, serial, 0, "A",
                                 rng.choice(("RA", "RQ", "GU")), rng.randint(1, 999),
                                 rng.choice(STREETS), "", holder, plate, "CA",
                                 rng.choice(("active", "lapsed", "replaced")),
                                 "2025-01-01", "2025-12-31", "2025-01-01T09:00:00", "bench"))
                db.executemany(
                    "INSERT INTO permits (number, range_id, serial, application_id, receipt_id, "
                    "district, permit_type, house_number, street, unit, holder, plate, "
                    "plate_state, status, valid_from, valid_until, issued_at, issued_by, "
                    "fee_cents) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,4000)", rows)
            db.conn.execute("PRAGMA foreign_keys = ON").close()
            db.conn.execute("ANALYZE").close()
            settle_file(db)
        finally:
            db.close()

    path, built = cached_build(path, build, replaces=f"{stem}*.db")
    return path, (time.perf_counter() - started) if built else None


def make_queries(db: Database, samples: int, seed: int) -> dict[str, list[str]]:
    top = int(db.scalar("SELECT max(id) FROM permits"))
    rng = random.Random(seed)
    picked = [db.one("SELECT number, plate, holder FROM permits WHERE id = ?",
                     [rng.randint(1, top)]) for _ in range(samples)]
    return {
        "number (exact)": [p["number"] for p in picked if p],
        "plate": [p["plate"] for p in picked if p],
        "name prefix": [p["holder"][:rng.randint(2, 4)] for p in picked if p],
    }


def floor_query(db: Database, kind: str, text: str) -> list[dict]:
    """The one indexed query each kind needs, without the finder around it."""
    if kind == "number (exact)":
        return db.all("SELECT * FROM permits WHERE number = ?", [text.upper()])
    if kind == "plate":
        return db.all("SELECT * FROM permits WHERE plate = ? LIMIT 50", [text.upper()])
    return db.all("SELECT * FROM permits WHERE holder LIKE ? ESCAPE '\\' "
                  "ORDER BY holder COLLATE NOCASE LIMIT 50", [text + "%"])


def _time(fn: object, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        fn()  # type: ignore[operator]
        best = min(best, time.perf_counter() - started)
    return best


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--permits", type=int, default=DEFAULT_PERMITS,
                    help=f"permits to search (default {DEFAULT_PERMITS:,})")
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    ap.add_argument("--samples", type=int, default=100, help="permits typed (default 100)")
    ap.add_argument("--repeat", type=int, default=3, help="runs of each query, best kept")
    ap.add_argument("--cache", help="folder for built databases (default ~/.cache/clerk-tui-bench)")
    args = ap.parse_args(argv)

    from clerk_tui.db import Database
    from clerk_tui.domain.actor import SYSTEM
    from clerk_tui.domain.permits.lookup import find

    path, built = permits_db(args.permits, args.seed, cache_dir(args.cache))
    if built is not None:
        print(f"built {args.permits:,} permits in {built:.0f} s -> {path}")
    db = Database.open(path)
    try:
        queries = make_queries(db, args.samples, args.seed)
        for kind, texts in queries.items():  # warm, as a counter up all morning is
            for t in texts[:20]:
                find(db, SYSTEM, t, 50)
                floor_query(db, kind, t)
        rows: list[list[object]] = []
        all_app: list[float] = []
        all_floor: list[float] = []
        for kind, texts in queries.items():
            app_t = [_time(lambda t=t: find(db, SYSTEM, t, 50), args.repeat) for t in texts]
            floor_t = [_time(lambda t=t, k=kind: floor_query(db, k, t), args.repeat)
                       for t in texts]
            all_app += app_t
            all_floor += floor_t
            rows.append(_row(kind, app_t, floor_t))
        rows.append(_row("all", all_app, all_floor))
    finally:
        db.close()
    p95_app, p95_floor = percentile(all_app, 95), percentile(all_floor, 95)
    show(f"Permit lookup: the F2 finder vs the raw index query, {args.permits:,} permits",
         ["queries", "n", "p50 ms", "p95 ms", "floor p50 ms", "floor p95 ms", "p95 ratio"],
         rows,
         f"permit finder p95 {p95_app * 1000:.2f} ms over {args.permits:,} permits (goal "
         f"<= 5 ms), {p95_app / p95_floor:.1f}x the raw index query "
         f"(p95 {p95_floor * 1000:.2f} ms)")
    return 0


def _row(kind: str, app_t: list[float], floor_t: list[float]) -> list[object]:
    return [kind, len(app_t), percentile(app_t, 50) * 1000, percentile(app_t, 95) * 1000,
            percentile(floor_t, 50) * 1000, percentile(floor_t, 95) * 1000,
            f"{percentile(app_t, 95) / percentile(floor_t, 95):.1f}x"]


if __name__ == "__main__":
    raise SystemExit(main())
