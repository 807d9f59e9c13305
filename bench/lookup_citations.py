"""Citation lookup: p50/p95 of the F4/F2 citation search (`clerk_tui.domain.citations.finders
.search`: number, notice number, plate with and without state, owner name) over many citations
(default 1,000,000), goal p95 <= 5 ms. Each search returns the citations found WITH their
status and amount due (the pure `due` function over each one's history), as the screen shows.

The database is built once with bulk inserts (a bench fixture, not demo data: 1M rows through
the domain would take long) and cached like bench/lookup.py's, keyed by count, seed, schema.
Plates are skewed (most have 1-3 citations, one in a thousand about 30); a fifth of the
citations carry a notice event and some a payment, so `due` has history to read.
"""

from __future__ import annotations

import argparse
import random
import time

from bench.common import percentile, show
from bench.lookup import _time, cache_dir, cached_build, schema_key, settle_file

DEFAULT_CITATIONS = 1_000_000
DEFAULT_SEED = 13
CODES = (("MC10.12.040", 4500), ("MC10.20.010", 5500), ("22500(E)", 6000), ("22514", 7500))


def _plate(i: int) -> str:
    letters = "ABCDEFGHJKLMNPRSTUVWXYZ"
    return f"{i % 9 + 1}{letters[i // 9 % 23]}{letters[i // 207 % 23]}{letters[i // 4761 % 23]}" \
           f"{i // 109503 % 1000:03d}"


def build_db(path, count: int, seed: int) -> None:
    from clerk_tui.db import Database
    from clerk_tui.domain import setup
    from clerk_tui.domain.citations.numbers import make_number, notice_number

    rng = random.Random(seed)
    db = Database.open(path, create=True)
    try:
        setup.initialize(db, "training")
        plates = max(1, count // 3)
        stamp = "2026-11-01T09:00:00"
        with db.write():
            batch, events, owners = [], [], []
            for i in range(1, count + 1):
                # 3% of citations go to 1 in 1,000 plates (the repeat offenders, ~30 each
                # at 1M): a skewed town, as on the street; the rest spread over every plate
                p = rng.randrange(max(1, plates // 1000)) if rng.random() < 0.03 \
                    else rng.randrange(plates)
                day = f"2026-{rng.randint(1, 11):02d}-{rng.randint(1, 28):02d}"
                code, fine = rng.choice(CODES)
                number = make_number(i)
                batch.append((i, number, f"{day} 10:00:00", day, "100 Main St", _plate(p),
                              "CA", code, fine, "P1", "demo", stamp, "bench"))
                if i % 5 == 0:
                    events.append((i, "notice", day, 0, notice_number(number), stamp, "bench"))
                if i % 7 == 0:
                    events.append((i, "payment", day, fine, "", stamp, "bench"))
                if len(batch) >= 50_000 or i == count:
                    db.executemany(
                        "INSERT INTO citations (id, number, issued_at, issued_on, location, "
                        "plate, state, violation_code, fine_cents, officer, source, created_at,"
                        " clerk) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", batch)
                    db.executemany(
                        "INSERT INTO citation_events (citation_id, kind, on_date, amount_cents,"
                        " ref, at, clerk) VALUES (?,?,?,?,?,?,?)", events)
                    batch, events = [], []
            for p in range(0, plates, 2):
                owners.append((_plate(p), "CA", f"OWNER {p:07d}", f"OWNER {p:07d}",
                               "1 Elm St", "2026-01-01", stamp))
            db.executemany(
                "INSERT INTO citation_owners (plate, state, name, name_key, address, "
                "responded_on, at) VALUES (?,?,?,?,?,?,?)", owners)
        settle_file(db)
    finally:
        db.close()


def make_queries(db, count: int, seed: int, n: int) -> dict[str, list[str]]:
    """Texts a clerk would type, drawn from the database with a fixed seed (every plate and
    owner asked for has citations)."""
    from clerk_tui.domain.citations.numbers import make_number, notice_number

    rng = random.Random(seed + 1)
    picks = [rng.randint(1, count) for _ in range(n)]
    plate_of = [db.scalar("SELECT plate FROM citations WHERE id = ?", [i]) for i in picks]
    owners = [r["name"] for r in db.all(
        "SELECT o.name FROM citation_owners o WHERE EXISTS (SELECT 1 FROM citations c "
        "WHERE c.plate = o.plate AND c.state = o.state) AND o.id % 97 = ? LIMIT ?",
        [seed % 97, n])]
    return {
        "citation number": [make_number(i) for i in picks],
        "notice number": [notice_number(make_number(max(5, i - i % 5))) for i in picks],
        "plate": plate_of,
        "plate + state": [f"{p} CA" for p in reversed(plate_of)],
        "owner name": owners,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--citations", type=int, default=DEFAULT_CITATIONS)
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    ap.add_argument("--samples", type=int, default=100, help="queries per kind")
    ap.add_argument("--repeat", type=int, default=3, help="runs of each query, best kept")
    ap.add_argument("--cache", help="folder for built databases")
    args = ap.parse_args(argv)

    from clerk_tui.db import Database
    from clerk_tui.domain.citations.finders import search

    stem = f"citations-{args.citations}-seed{args.seed}-"
    path = cache_dir(args.cache) / f"{stem}{schema_key()}.db"
    started = time.perf_counter()
    path, built = cached_build(path, lambda tmp: build_db(tmp, args.citations, args.seed),
                               replaces=f"{stem}*.db")
    if built:
        print(f"built {args.citations:,} citations in {time.perf_counter() - started:.0f} s "
              f"-> {path}")
    db = Database.open(path)
    try:
        queries = make_queries(db, args.citations, args.seed, args.samples)
        for texts in queries.values():  # warm, as a counter up all morning is
            for t in texts[:20]:
                search(db, t)
        rows: list[list[object]] = []
        every: list[float] = []
        for kind, texts in queries.items():
            times = [_time(lambda t=t: search(db, t), args.repeat) for t in texts]
            every += times
            rows.append([kind, len(times), percentile(times, 50) * 1000,
                         percentile(times, 95) * 1000])
        rows.append(["all", len(every), percentile(every, 50) * 1000,
                     percentile(every, 95) * 1000])
    finally:
        db.close()
    p95 = percentile(every, 95) * 1000
    show(f"Citation lookup: finders.search with status and amount due, "
         f"{args.citations:,} citations", ["queries", "n", "p50 ms", "p95 ms"], rows,
         f"citation lookup p95 {p95:.2f} ms over {args.citations:,} citations, "
         f"{5 / p95:.1f}x inside the 5 ms goal" if p95 <= 5 else
         f"citation lookup p95 {p95:.2f} ms over {args.citations:,} citations, "
         f"{p95 / 5:.1f}x OVER the 5 ms goal")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
