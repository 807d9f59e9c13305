"""Reports: the end-of-day collections reports over many receipts (default 100,000 across 4
drawers), against a plain SQL SUM over the same drawer ledger rows as the floor, in the same run.

Timed, each as the median of `--repeat` runs (the deposit once: it can be made only once):
- `x_report` of one drawer and of every drawer of the day (what a supervisor prints at close),
- `z_report` of one drawer after its blind count,
- `create_deposit` of the whole day (approved drawers into the bank bag).
Every report's totals are checked against the floor's: a fast wrong report is no result.

The receipts are posted through the real `post_payment` (and a few `void_receipt`), many to one
outer transaction so 100,000 of them take a couple of minutes rather than one fsync each; every
rule of a payment still runs (numbering, balanced journals, audit chain, tender rules). The
built database is checked (audit chain, gapless numbers, balanced journals) and cached under
`--cache` (default `$CLERK_BENCH_CACHE` or ~/.cache/clerk-tui-bench) keyed by receipts,
drawers, seed and schema; each run works on a scratch copy, since closing drawers changes it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from bench.common import show, working_copy
from bench.lookup import cache_dir, cached_build, schema_key, settle_file

if TYPE_CHECKING:
    from clerk_tui.db import Database
    from clerk_tui.domain.cashier import DrawerCount, SessionReport

T = TypeVar("T")

BUSINESS_DAY = dt.datetime(2026, 11, 23, 8, 30)  # fixed: the cached day is the same every build
ACCOUNTS = 1000
BATCH = 500  # payments per outer transaction while building
FEES = ("BUSPASS", "RECONNECT", "LOSTPERMIT", "PPT-EXEC", "NSF1")
DEPOSIT = "HYDRANT-DEP"  # trust money: check or money order only
DRAWER_FLOOR = ("SELECT coalesce(tender, 'cash') AS tender, sum(amount_cents) AS cents "
                "FROM ledger_entries WHERE book = 'drawer' AND drawer_session_id IN ({ids}) "
                "GROUP BY tender")


def _clerk(db, i: int):
    """Clerk i at window i (issued by auth: the domain takes no hand-built actor)."""
    from clerk_tui.domain import auth

    return auth.clerk_actor(db, f"clerk{i}", f"window-{i}")


def _supervisor(db):
    from clerk_tui.domain import auth

    return auth.clerk_actor(db, "boss", "office")


def build_day(path: Path, receipts: int, clerks: int, seed: int) -> None:
    """A business day of `receipts` receipts over `clerks` open drawers, all through the domain."""
    from clerk_tui.db import Database
    from clerk_tui.domain import audit, auth, clock, demo, setup
    from clerk_tui.domain.actor import SYSTEM
    from clerk_tui.domain.cashier import (
        new_idempotency_key,
        open_session,
        post_payment,
        price_items,
        void_receipt,
    )

    clock.set_fixed(BUSINESS_DAY)
    rng = random.Random(seed)
    db = Database.open(path, create=True)
    try:
        setup.initialize(db, "training")
        demo.generate(db, ACCOUNTS, seed=seed, history_months=2)
        accounts = [(r["number"], bool(r["no_checks"])) for r in db.all(
            "SELECT number, no_checks FROM accounts WHERE status = 'active' ORDER BY id")]
        for i in range(clerks):
            auth.add_clerk(db, SYSTEM, f"clerk{i}", f"Clerk {i}", "csr2", "2468")
        actors = [_clerk(db, i) for i in range(clerks)]
        for a in actors:
            open_session(db, a)
        auth.add_clerk(db, SYSTEM, "boss", "Sam Supervisor", "supervisor", "1357")
        done = 0
        while done < receipts:
            with db.write():  # one commit per batch; each post_payment joins it
                for i in range(done, min(receipts, done + BATCH)):
                    actor = actors[i % clerks]
                    items, pay = _sale(rng, accounts, i)
                    tenders = pay(price_items(db, items).total_cents)
                    r = post_payment(db, actor, new_idempotency_key(), items, tenders)
                    if rng.random() < 0.005:
                        void_receipt(db, actor, r.receipt.number, "KEY", "bench")
            done = min(receipts, done + BATCH)
        # The domain's own checks, before anything is cached.
        result = audit.verify(db)
        assert result.ok, f"audit chain broken at {result.bad_seq}: {result.problem}"
        n, lo, hi = (db.one("SELECT count(*) AS n, min(number) AS lo, max(number) AS hi "
                            "FROM receipts") or {}).values()
        assert n == receipts and hi - lo + 1 == n, "receipt numbers are not gapless"
        assert not db.all("SELECT journal_id FROM ledger_entries GROUP BY journal_id "
                          "HAVING sum(amount_cents) <> 0"), "an unbalanced journal"
        settle_file(db)
    finally:
        db.close()
        clock.set_fixed(None)


def _sale(rng: random.Random, accounts: list[tuple[str, bool]], i: int):
    """One believable sale: mostly utility payments, some fees and deposits, mixed tenders.
    Returns the items and a function from the sale's total to its tenders."""
    from clerk_tui.domain.cashier import SaleItem, Tender

    roll = rng.random()
    if roll < 0.05:
        kind = "check" if rng.random() < 0.7 else "money_order"
        return [SaleItem("fee", DEPOSIT)], lambda c: [Tender(kind, c, number=str(100000 + i))]
    no_checks = False
    if roll < 0.20:
        items = [SaleItem("fee", rng.choice(FEES))]
    else:
        number, no_checks = accounts[rng.randrange(len(accounts))]
        items = [SaleItem("account", number, rng.randrange(2000, 25000))]
        if roll > 0.95:
            items.append(SaleItem("fee", rng.choice(FEES)))
    t, round_up = rng.random(), rng.random() < 0.7
    if t < 0.55 or (no_checks and t < 0.75):
        if round_up:  # a twenty or two, with change
            return items, lambda c: [Tender("cash", -(-c // 2000) * 2000)]
        return items, lambda c: [Tender("cash", c)]
    if t < 0.70:
        return items, lambda c: [Tender("check", c, number=str(5000 + i))]
    if t < 0.75:
        return items, lambda c: [Tender("money_order", c, number=f"MO{i}")]
    if t < 0.95:
        return items, lambda c: [Tender("card", c, card_last4=f"{i % 10000:04d}",
                                        auth_code=f"A{i}")]
    return items, lambda c: [Tender("cash", min(c, 2000))] + (
        [Tender("card", c - 2000, card_last4="4242", auth_code=f"S{i}")] if c > 2000 else [])


def _median_time(fn: Callable[[], T], repeat: int) -> tuple[float, T]:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), out


def _floor(db: Database, ids: list[int]) -> dict[str, int]:
    rows = db.all(DRAWER_FLOOR.format(ids=",".join("?" * len(ids))), ids)
    return {r["tender"]: int(r["cents"]) for r in rows}


def _tenders(report: SessionReport) -> dict[str, int]:
    return {t.tender: t.amount_cents for t in report.by_tender}


def _count_for(db: Database, sid: int) -> DrawerCount:
    """An exact blind count of a drawer: its cash in bills, each check and money order."""
    from clerk_tui.domain.cashier import CountedItem, DrawerCount
    from clerk_tui.domain.cashier.denominations import make_change
    from clerk_tui.domain.cashier.sessions import cash_on_hand, get_session

    cash = cash_on_hand(db, get_session(db, sid))
    items: dict[str, list[CountedItem]] = {"check": [], "money_order": []}
    for r in db.all(
            "SELECT t.kind, t.check_number, t.amount_cents FROM tenders t "
            "JOIN receipts r ON r.id = t.receipt_id WHERE r.drawer_session_id = ? "
            "AND t.kind IN ('check', 'money_order') AND NOT EXISTS (SELECT 1 FROM "
            "receipt_voids v WHERE v.receipt_id = r.id) ORDER BY t.id", [sid]):
        items[r["kind"]].append(CountedItem(r["check_number"], r["amount_cents"]))
    return DrawerCount(make_change(cash), items["check"], items["money_order"])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--receipts", type=int, default=100_000, help="receipts in the day")
    ap.add_argument("--clerks", type=int, default=4, help="drawers they are spread over")
    ap.add_argument("--seed", type=int, default=6)
    ap.add_argument("--repeat", type=int, default=5, help="runs of each report (median)")
    ap.add_argument("--cache", help="folder for built databases (default ~/.cache/clerk-tui-bench)")
    args = ap.parse_args(argv)

    from clerk_tui.db import Database
    from clerk_tui.domain import clock
    from clerk_tui.domain.cashier import (
        approve_session,
        create_deposit,
        submit_count,
        x_report,
        z_report,
    )

    stem = f"reports-{args.receipts}-{args.clerks}-seed{args.seed}-"
    started = time.perf_counter()
    cached, built = cached_build(cache_dir(args.cache) / f"{stem}{schema_key()}.db",
                                 lambda p: build_day(p, args.receipts, args.clerks, args.seed),
                                 replaces=f"{stem}*.db")
    if built:
        took = time.perf_counter() - started
        print(f"posted {args.receipts:,} receipts through post_payment in {took:.0f} s "
              f"({args.receipts / took:.0f}/s) -> {cached}")
    folder, work = working_copy(cached, "reports", "day.db")
    clock.set_fixed(BUSINESS_DAY + dt.timedelta(hours=9))
    db = Database.open(work)
    rows: list[list[object]] = []
    ratios: list[float] = []

    def row(what: str, n: int, t: float, floor_t: float, agree: bool) -> None:
        ratios.append(t / floor_t)
        rows.append([what, n, t * 1000, floor_t * 1000, f"{t / floor_t:.1f}x",
                     "yes" if agree else "NO"])

    try:
        sup = _supervisor(db)
        sids = [r["id"] for r in db.all("SELECT id FROM drawer_sessions ORDER BY id")]
        per = {sid: int(db.scalar("SELECT count(*) FROM receipts WHERE drawer_session_id = ?",
                                  [sid])) for sid in sids}
        first = sids[0]
        t, rep = _median_time(lambda: x_report(db, sup, first), args.repeat)
        ft, fl = _median_time(lambda: _floor(db, [first]), args.repeat)
        row("X report, one drawer", per[first], t, ft, _tenders(rep) == fl)

        def all_x() -> dict[str, int]:
            total: dict[str, int] = {}
            for sid in sids:
                for k, v in _tenders(x_report(db, sup, sid)).items():
                    total[k] = total.get(k, 0) + v
            return total

        t, tot = _median_time(all_x, args.repeat)
        ft, fl = _median_time(lambda: _floor(db, sids), args.repeat)
        row(f"X reports, all {len(sids)} drawers", sum(per.values()), t, ft, tot == fl)

        clerk0 = _clerk(db, 0)
        before = _floor(db, [first])
        submit_count(db, clerk0, _count_for(db, first))
        t, rep = _median_time(lambda: z_report(db, clerk0), args.repeat)
        ft, fl = _median_time(lambda: _floor(db, [first]), args.repeat)
        row("Z report, one drawer (counted)", per[first], t, ft,
            _tenders(rep) == fl == before and rep.count is not None
            and rep.count.over_short_cents == 0)

        for i, sid in enumerate(sids):
            if i:
                submit_count(db, _clerk(db, i), _count_for(db, sid))
            approve_session(db, sup, sid)
        day = _floor(db, sids)
        t0 = time.perf_counter()
        slip = create_deposit(db, sup)
        t = time.perf_counter() - t0
        ft, _ = _median_time(lambda: _floor(db, sids), args.repeat)
        in_bag = slip.check_cents + slip.money_order_cents + slip.card_cents
        row(f"bank deposit, {len(sids)} drawers (once)", sum(per.values()), t, ft,
            in_bag == day.get("check", 0) + day.get("money_order", 0) + day.get("card", 0))
    finally:
        db.close()
        clock.set_fixed(None)
        shutil.rmtree(folder, ignore_errors=True)
    worst = max(ratios)
    show(f"Reports: end of day over {args.receipts:,} receipts vs a plain SQL SUM",
         ["report", "receipts", "ms", "SUM floor ms", "ratio", "totals agree"], rows,
         f"the day's X reports over {sum(per.values()):,} receipts take "
         f"{rows[1][2]:.0f} ms, {ratios[1]:.1f}x a plain SUM over the same rows "
         f"(worst report {worst:.1f}x)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
