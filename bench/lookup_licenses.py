"""Licenses lookup: p50/p95 of `domain.licenses.finders.find` (the F5 find field and the F2
finder) over `--licenses` demo licenses (default 100,000), by what the clerk types: a license
number (exact, with its check digit), a business-name prefix, a DBA prefix, an owner's name and
an address. Goal: the finder contract's 5 ms at bench size (docs/counters.md, "F2 lookup").
Baseline: the one indexed query the finder needs for the same text (the unique number index,
or the name index range), run on the same connection in the same run.

The database is built once with the sandbox's demo builder (one transaction, executemany) and
kept in the bench cache (`--cache`, `$CLERK_BENCH_CACHE`, ~/.cache/clerk-tui-bench).
"""

from __future__ import annotations

import argparse
import random
import time
from pathlib import Path

from bench.common import percentile, show
from bench.lookup import cache_dir, cached_build, schema_key, settle_file

DEFAULT_LICENSES = 100_000
GOAL_MS = 5.0


def demo_db(count: int, seed: int, cache: Path) -> tuple[Path, float | None]:
    from clerk_tui.counters import load_builtin
    from clerk_tui.db import Database
    from clerk_tui.domain import setup
    from clerk_tui.domain.licenses import demo

    load_builtin()
    stem = f"licenses-{count}-seed{seed}-"
    path = cache / f"{stem}{schema_key()}.db"
    started = time.perf_counter()

    def build(tmp: Path) -> None:
        db = Database.open(tmp, create=True)
        try:
            setup.initialize(db, "training")
            demo.build(db, count, seed)
            settle_file(db)
        finally:
            db.close()

    path, built = cached_build(path, build, replaces=f"{stem}*.db")
    return path, (time.perf_counter() - started) if built else None


def make_queries(db: object, samples: int, seed: int) -> dict[str, list[str]]:
    rng = random.Random(seed)
    rows = db.all("SELECT l.number, l.business_name, l.dba, l.address, "  # type: ignore[attr-defined]
                  "(SELECT name FROM license_owners o WHERE o.license_id = l.id LIMIT 1) AS owner "
                  "FROM licenses l WHERE l.id % 97 = 0 ORDER BY l.id")
    picked = rng.sample(rows, min(samples, len(rows)))
    return {
        "number": [r["number"] for r in picked],
        "name prefix": [r["business_name"][: rng.randint(3, 10)] for r in picked],
        "dba prefix": [r["dba"][:6] for r in picked if r["dba"]],
        "owner": [r["owner"] for r in picked],
        "address": [r["address"][: rng.randint(5, 12)] for r in picked],
    }


def floor_query(db: object, kind: str, text: str) -> object:
    from clerk_tui.domain.licenses.records import key

    if kind == "number":
        return db.all("SELECT id FROM licenses WHERE number = ?", [text])  # type: ignore[attr-defined]
    k = key(text)
    return db.all("SELECT id FROM licenses WHERE name_key >= ? AND name_key < ? "  # type: ignore[attr-defined]
                  "ORDER BY name_key LIMIT 20", [k, k[:-1] + chr(ord(k[-1]) + 1)])


def _time(fn: object, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        fn()  # type: ignore[operator]
        best = min(best, time.perf_counter() - t)
    return best * 1000


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--licenses", type=int, default=DEFAULT_LICENSES,
                    help="demo licenses to search (default 100,000)")
    ap.add_argument("--seed", type=int, default=14, help="demo data seed")
    ap.add_argument("--samples", type=int, default=100, help="licenses typed per kind")
    ap.add_argument("--repeat", type=int, default=3, help="runs per query, best kept")
    ap.add_argument("--cache", help="folder for built databases")
    args = ap.parse_args(argv)

    from clerk_tui.db import Database
    from clerk_tui.domain.actor import SYSTEM
    from clerk_tui.domain.licenses.finders import find

    path, built = demo_db(args.licenses, args.seed, cache_dir(args.cache))
    if built is not None:
        print(f"built {args.licenses:,} demo licenses in {built:.1f} s -> {path}")
    db = Database.open(path)
    rows: list[list[object]] = []
    worst = 0.0
    try:
        queries = make_queries(db, args.samples, args.seed)
        for texts in queries.values():  # warm, as a counter up all morning is
            for t in texts[:20]:
                find(db, SYSTEM, t, 20)
        all_app: list[float] = []
        for kind, texts in queries.items():
            app_t = [_time(lambda t=t: find(db, SYSTEM, t, 20), args.repeat) for t in texts]
            floor_t = [_time(lambda t=t, k=kind: floor_query(db, k, t), args.repeat)
                       for t in texts]
            hits = sum(1 for t in texts if find(db, SYSTEM, t, 20))
            all_app += app_t
            rows.append([kind, len(texts), percentile(app_t, 50), percentile(app_t, 95),
                         percentile(floor_t, 50), percentile(floor_t, 95), f"{hits}/{len(texts)}"])
        worst = percentile(all_app, 95)
        rows.append(["all", len(all_app), percentile(all_app, 50), worst, "", "", ""])
    finally:
        db.close()
    show(f"licenses lookup over {args.licenses:,} licenses (ms)",
         ["typed", "n", "p50", "p95", "floor p50", "floor p95", "found"], rows,
         f"p95 {worst:.2f} ms; goal p95 <= {GOAL_MS:.0f} ms: "
         f"{'met' if worst <= GOAL_MS else 'NOT met'}")
    return 0 if worst <= GOAL_MS else 1


if __name__ == "__main__":
    raise SystemExit(main())
