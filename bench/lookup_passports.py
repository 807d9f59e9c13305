"""Passport lookup: p50/p95 of the F2 passport finder (`clerk_tui.domain.passports.finders
.find`: application number, a name's start, a date of birth) over many applications
(default 200,000: years of a busy acceptance facility), goal p95 <= 5 ms per keystroke.

The database is built once with bulk inserts (a bench fixture, not demo data) and cached like
bench/lookup.py's, keyed by count, seed and schema. Queries are drawn from the database with a
fixed seed: every name prefix from two letters on, whole birth dates, whole numbers.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import time

from bench.common import percentile, show
from bench.lookup import _time, cache_dir, cached_build, schema_key, settle_file

DEFAULT_APPLICATIONS = 200_000
DEFAULT_SEED = 15
FIRST = ("ANA", "BEN", "CRUZ", "DANA", "ELI", "FAY", "GUS", "HANA", "IVO", "JUNE", "KAI", "LENA",
         "MAX", "NINA", "OMAR", "PAZ", "QUINN", "ROSA", "SAM", "TESS")
LAST = ("ALVAREZ", "BROOKS", "CHEN", "DIAZ", "EVANS", "FONG", "GARCIA", "HUGHES", "ITO",
        "JONES", "KHAN", "LOPEZ", "MORRIS", "NGUYEN", "OKAFOR", "PATEL", "QUINTERO", "REYES",
        "SMITH", "TANAKA", "URIBE", "VEGA", "WONG", "XU", "YOUNG", "ZHANG")


def build_db(path, count: int, seed: int) -> None:  # noqa: ANN001
    from clerk_tui.db import Database
    from clerk_tui.domain import setup
    from clerk_tui.domain.passports.applications import application_number

    rng = random.Random(seed)
    db = Database.open(path, create=True)
    try:
        setup.initialize(db, "training")
        start = dt.date(2024, 12, 1)
        with db.write():
            batch = []
            for i in range(1, count + 1):
                name = f"{rng.choice(FIRST)} {rng.choice(LAST)}{rng.randrange(500):03d}"
                born = dt.date(1930, 1, 1) + dt.timedelta(days=rng.randrange(35000))
                day = (start + dt.timedelta(days=rng.randrange(730))).isoformat()
                batch.append((application_number(i), day, name.title(), name, born.isoformat(),
                              "adult", "book", 13000, "executed", f"{day}T10:00:00", "bench",
                              day))
                if len(batch) >= 50_000 or i == count:
                    db.executemany(
                        "INSERT INTO passport_applications (number, started_on, applicant_name,"
                        " name_key, birth_date, age_group, product, state_fee_cents, status, "
                        "created_at, created_by, executed_on) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                        batch)
                    batch = []
        settle_file(db)
    finally:
        db.close()


def make_queries(db, count: int, seed: int, n: int) -> dict[str, list[str]]:  # noqa: ANN001
    rng = random.Random(seed + 1)
    picks = [rng.randint(1, count) for _ in range(n)]
    rows = [db.one("SELECT number, name_key, birth_date FROM passport_applications "
                   "WHERE id = ?", [i]) for i in picks]
    names: list[str] = []
    for r in rows:
        key = r["name_key"]
        names.append(key[:rng.randint(2, len(key))].lower())
    return {"number": [r["number"] for r in rows], "name prefix": names,
            "date of birth": [r["birth_date"] for r in rows]}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--applications", type=int, default=DEFAULT_APPLICATIONS)
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    ap.add_argument("--samples", type=int, default=100, help="queries per kind")
    ap.add_argument("--repeat", type=int, default=3, help="runs of each query, best kept")
    ap.add_argument("--cache", help="folder for built databases")
    args = ap.parse_args(argv)

    from clerk_tui.db import Database
    from clerk_tui.domain.actor import Actor
    from clerk_tui.domain.passports.finders import find

    actor = Actor("bench", "csr1", "bench-1")  # find() reads the role only
    stem = f"passports-{args.applications}-seed{args.seed}-"
    path = cache_dir(args.cache) / f"{stem}{schema_key()}.db"
    started = time.perf_counter()
    path, built = cached_build(path, lambda tmp: build_db(tmp, args.applications, args.seed),
                               replaces=f"{stem}*.db")
    if built:
        print(f"built {args.applications:,} applications in "
              f"{time.perf_counter() - started:.0f} s -> {path}")
    db = Database.open(path)
    try:
        queries = make_queries(db, args.applications, args.seed, args.samples)
        for texts in queries.values():  # warm, as a counter up all morning is
            for t in texts[:20]:
                find(db, actor, t, 50)
        rows: list[list[object]] = []
        every: list[float] = []
        for kind, texts in queries.items():
            times = [_time(lambda t=t: find(db, actor, t, 50), args.repeat) for t in texts]
            every += times
            rows.append([kind, len(times), percentile(times, 50) * 1000,
                         percentile(times, 95) * 1000])
        rows.append(["all", len(every), percentile(every, 50) * 1000,
                     percentile(every, 95) * 1000])
    finally:
        db.close()
    p95 = percentile(every, 95) * 1000
    verdict = (f"{5 / p95:.1f}x inside the 5 ms goal" if p95 <= 5
               else f"{p95 / 5:.1f}x OVER the 5 ms goal")
    show(f"Passport lookup: finders.find, {args.applications:,} applications",
         ["queries", "n", "p50 ms", "p95 ms"], rows,
         f"passport lookup p95 {p95:.2f} ms over {args.applications:,} applications, {verdict}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
