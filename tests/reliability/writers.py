"""Code the reliability tests run in child processes (kept free of pytest).

- `seed_database`: a production database with clerks, supervisors and utility accounts.
- `crash_writer`: posts payments through the real domain code (`post_payment`, sometimes
  `void_receipt`) until it is SIGKILLed, logging each receipt number only after the post has
  returned (write + fsync). On restart it retries the sale it had started, with the same
  idempotency key, so a kill between commit and log shows up as a replay, never a second charge.
- `broken_post_payment`: a DELIBERATELY BROKEN poster (two transactions instead of one) used
  only to prove that the crash test catches a half-written receipt.
- `clerk_day`: one clerk's busy day for the concurrency test: payments in every tender, voids,
  paid-ins and pickups, blind counts (some over/short), supervisor approvals, reopens, new
  drawers and reversals, checking the domain's drawer arithmetic against its own tally.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import time
import traceback
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from clerk_tui.counters import load_builtin
from clerk_tui.db import Database, open_database
from clerk_tui.domain import audit, auth, clock, ledger, setup
from clerk_tui.domain.actor import SYSTEM, Actor
from clerk_tui.domain.cashier import (
    CountedItem,
    DrawerCount,
    SaleItem,
    Tender,
    approve_session,
    current_session,
    new_idempotency_key,
    open_session,
    paid_in,
    pickup,
    plan_tenders,
    post_payment,
    price_items,
    reopen_session,
    reverse_receipt,
    submit_count,
    void_receipt,
)
from clerk_tui.domain.cashier.denominations import make_change
from clerk_tui.domain.cashier.items import get_kind
from clerk_tui.domain.cashier.payments import insert_tenders
from clerk_tui.domain.cashier.receipts import last_receipt_for_key
from clerk_tui.domain.checkdigit import luhn_digit

NOW = dt.datetime(2026, 3, 2, 10, 0, 0)
PIN = {"csr1": "2222", "csr2": "3333", "csr3": "4444", "supervisor": "5555"}
WRITER_LIFETIME_S = 30.0  # a writer nobody kills stops by itself (a crashed test leaks nothing)


# ---- set-up -------------------------------------------------------------------------------------
def seed_database(path: str | os.PathLike[str], *, clerks: Sequence[tuple[str, str]] = (),
                  accounts: int = 6, balance_cents: int = 1_000_000) -> list[str]:
    """Create the database, add clerks `(username, role)`, and bill `accounts` accounts.

    Returns the account numbers (8 digits with the Luhn check digit).
    """
    clock.set_fixed(NOW)
    db = open_database(path, create=True, migrate=True)
    try:
        setup.initialize(db, "production", admin_pin="9999")
        for username, role in clerks:
            auth.add_clerk(db, SYSTEM, username, f"Test {username}", role, PIN[role])
        numbers = []
        with db.write():
            for i in range(accounts):
                base = str(2000001 + i)
                number = base + luhn_digit(base)
                cid = db.insert("customers", {"name": f"Customer {i}",
                                              "created_at": clock.stamp()})
                aid = db.insert("accounts", {"number": number, "customer_id": cid,
                                             "service_address": f"{100 + i} N Main St",
                                             "opened_on": "2020-01-01"})
                ledger.post(db, SYSTEM, "bill", [
                    ledger.Entry(book="account", kind="bill", amount_cents=balance_cents,
                                 account_id=aid, fund="510", gl_code="510-4100"),
                    ledger.Entry(book="revenue", kind="bill", amount_cents=-balance_cents,
                                 fund="510", gl_code="510-4100"),
                ])
                numbers.append(number)
            audit.record(db, SYSTEM, "test.accounts", "accounts", after={"n": accounts})
    finally:
        db.close()
    return numbers


# ---- sales --------------------------------------------------------------------------------------
def sale_for(key: str, account_numbers: Sequence[str]) -> tuple[list[SaleItem], list[Tender]]:
    """A random but reproducible sale for an idempotency key (a retry re-submits the same one)."""
    rng = random.Random(key)
    items: list[SaleItem] = []
    for _ in range(rng.choice((1, 1, 1, 2, 3))):
        pick = rng.random()
        if pick < 0.7:
            items.append(SaleItem("account", rng.choice(account_numbers),
                                  rng.randrange(100, 20_000)))
        elif pick < 0.85:
            items.append(SaleItem("fee", "COPY", rng.randrange(10, 500)))
        else:
            items.append(SaleItem("fee", "BUSPASS"))
    total = sum(i.amount_cents if i.amount_cents is not None else 4500 for i in items)
    return items, tenders_for(rng, total)


def tenders_for(rng: random.Random, total: int) -> list[Tender]:
    """Every way a customer pays: exact cash, cash with change, check, card, money order,
    and split tenders (a non-cash part first, cash for the rest with change)."""
    how = rng.random()
    num = str(rng.randrange(100, 99_999))
    if how < 0.25:
        return [Tender("cash", total)]
    if how < 0.5:
        return [Tender("cash", (total // 2000 + 1) * 2000)]  # next $20: change
    if how < 0.6:
        return [Tender("check", total, number=num)]
    if how < 0.7:
        return [Tender("card", total, card_last4=f"{rng.randrange(10_000):04d}",
                       auth_code=f"A{rng.randrange(10**5)}")]
    if how < 0.75:
        return [Tender("money_order", total, number=f"MO-{num}")]
    part = rng.randrange(1, total) if total > 1 else total
    rest = total - part
    first = rng.choice((Tender("check", part, number=num),
                        Tender("card", part, card_last4="4242", auth_code="OK1"),
                        Tender("money_order", part, number=f"MO{num}")))
    if rest == 0:
        return [first]
    return [first, Tender("cash", rest + rng.choice((0, 0, 1, 99, 500, 1234)))]


# ---- the append-only, fsynced log ---------------------------------------------------------------
def log_line(fd: int, line: str) -> None:
    os.write(fd, (line + "\n").encode())
    os.fsync(fd)


def read_log(path: str | os.PathLike[str]) -> list[list[str]]:
    """Complete lines only: a line cut short by a kill (no newline yet) did not happen."""
    try:
        text = Path(path).read_text()
    except FileNotFoundError:
        return []
    lines = text.split("\n")
    return [ln.split() for ln in lines[:-1] if ln]


def pending_key(lines: list[list[str]]) -> str | None:
    """The sale this writer started and did not see return (retried with the same key)."""
    done = {ln[1] for ln in lines if ln[0] == "paid"}
    intents = [ln[1] for ln in lines if ln[0] == "intent"]
    return intents[-1] if intents and intents[-1] not in done else None


# ---- the deliberately broken poster -------------------------------------------------------------
def broken_post_payment(db: Database, actor: Actor, key: str, items: Sequence[SaleItem],
                        tenders: Sequence[Tender]) -> tuple[int, bool]:
    """DELIBERATELY BROKEN (test code only): the receipt in one transaction, its money in a
    second. Uninterrupted it writes what `post_payment` writes (plus one audit row for the
    first half), so the invariants hold;
    killed between the two commits it leaves a receipt with no tenders and no ledger entries,
    which the crash test must catch."""
    done = last_receipt_for_key(db, key)
    if done is not None:
        return done.number, True
    session = current_session(db, actor)
    assert session is not None and session.state == "open"
    preview = price_items(db, items)
    tp = plan_tenders(preview, tenders)
    today = clock.today().isoformat()
    entries = [get_kind(p.quote.kind).entry(p.quote, p.amount_cents) for p in preview.items]
    entries += tp.drawer_entries(session.id)
    with db.write():  # transaction 1: number, journal header, receipt, items
        db.execute("UPDATE counters SET value = value + 1 WHERE name = 'receipt_number'")
        number = int(db.scalar("SELECT value FROM counters WHERE name = 'receipt_number'"))
        jid = db.insert("journals", {"kind": "receipt", "business_date": today,
                                     "posted_at": clock.stamp(), "clerk": actor.username,
                                     "workstation": actor.workstation,
                                     "memo": f"receipt {number}"})
        rid = db.insert("receipts", {
            "number": number, "journal_id": jid, "drawer_session_id": session.id,
            "business_date": today, "issued_at": clock.stamp(), "clerk": actor.username,
            "workstation": actor.workstation, "idempotency_key": key, "payer": "",
            "total_cents": tp.total_cents, "tendered_cents": tp.tendered_cents,
            "change_cents": tp.change_cents})
        balances: dict[int, int] = {}  # as post_payment prints it: after the whole receipt
        for pi in preview.items:
            aid = pi.quote.account_id
            if aid is not None:
                balances.setdefault(aid, ledger.account_balance(db, aid))
                balances[aid] -= pi.amount_cents
        for line, pi in enumerate(preview.items, start=1):
            aid = pi.quote.account_id
            new_balance = balances[aid] if aid is not None else None
            db.insert("receipt_items", {
                "receipt_id": rid, "line": line, "kind": pi.quote.kind,
                "reference": pi.quote.reference, "description": pi.quote.description,
                "amount_cents": pi.amount_cents, "fund": pi.quote.fund,
                "gl_code": pi.quote.gl_code, "account_id": aid,
                "new_balance_cents": new_balance})
        # Money rows commit only with an audit row after them (db.write refuses otherwise), so
        # even this broken poster audits its first half; the second half is still separate.
        audit.record(db, actor, "payment.begin", f"receipt:{number}")
    with db.write():  # transaction 2: the ledger entries, tenders and audit row
        for e in entries:
            db.insert("ledger_entries", {
                "journal_id": jid, "book": e.book, "kind": e.kind,
                "amount_cents": e.amount_cents, "account_id": e.account_id,
                "drawer_session_id": e.drawer_session_id, "receipt_id": rid, "fund": e.fund,
                "gl_code": e.gl_code, "tender": e.tender, "memo": e.memo})
        insert_tenders(db, rid, tp.lines)  # the real poster's rows, in the wrong transaction
        audit.record(db, actor, "payment.post", f"receipt:{number}",
                     after={"number": number, "total_cents": tp.total_cents})
    return number, False


# ---- crash writer -------------------------------------------------------------------------------
def crash_writer(db_path: str, log_path: str, username: str, workstation: str,
                 account_numbers: Sequence[str], seed: int, broken: bool = False,
                 max_posts: int | None = None, void_rate: float = 0.1) -> None:
    """Post until killed (or `max_posts`, or the lifetime runs out); log after each return."""
    fd = os.open(log_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        clock.set_fixed(NOW)
        rng = random.Random(seed)
        stop = time.monotonic() + WRITER_LIFETIME_S
        db = Database.open(db_path)
        actor = auth.clerk_actor(db, username, workstation)

        def post(key: str) -> tuple[int, bool]:
            items, tenders = sale_for(key, account_numbers)
            if broken:
                return broken_post_payment(db, actor, key, items, tenders)
            r = post_payment(db, actor, key, items, tenders)
            return r.receipt.number, r.replayed

        key = pending_key(read_log(log_path))
        if key is not None:
            number, replayed = post(key)
            log_line(fd, f"paid {key} {number} {'replay' if replayed else 'retry'}")
        posts = 0
        while time.monotonic() < stop and (max_posts is None or posts < max_posts):
            key = new_idempotency_key()
            log_line(fd, f"intent {key}")
            number, replayed = post(key)
            log_line(fd, f"paid {key} {number} {'replay' if replayed else 'fresh'}")
            posts += 1
            if not broken and rng.random() < void_rate:
                session = current_session(db, actor)
                assert session is not None
                live = [r["number"] for r in db.all(
                    "SELECT number FROM receipts r WHERE drawer_session_id = ? AND NOT EXISTS "
                    "(SELECT 1 FROM receipt_voids v WHERE v.receipt_id = r.id)", [session.id])]
                if live:
                    target = rng.choice(live)
                    void_receipt(db, actor, target, "KEY", "crash test")
                    log_line(fd, f"void {target}")
        db.close()
    except BaseException:
        log_line(fd, "error " + traceback.format_exc().replace("\n", " | "))
        os._exit(3)
    finally:
        os.close(fd)


# ---- a clerk's busy day (concurrency test) ------------------------------------------------------
class Tally:
    """What the clerk knows went into the current drawer, kept independently of the domain."""

    def __init__(self, bank: int) -> None:
        self.bank = bank
        self.cash = 0  # net of change, movements and voids
        self.checks: dict[int, list[tuple[str, int]]] = {}
        self.money_orders: dict[int, list[tuple[str, int]]] = {}
        self.cash_by_receipt: dict[int, int] = {}

    def take(self, number: int, tenders: Sequence[Any], change: int) -> None:
        cash = sum(t.tendered_cents for t in tenders if t.kind == "cash") - change
        self.cash_by_receipt[number] = cash
        self.cash += cash
        self.checks[number] = [(t.check_number, t.tendered_cents) for t in tenders
                               if t.kind == "check"]
        self.money_orders[number] = [(t.check_number, t.tendered_cents) for t in tenders
                                     if t.kind == "money_order"]

    def void(self, number: int) -> None:
        self.cash -= self.cash_by_receipt.pop(number)
        del self.checks[number], self.money_orders[number]

    def expected(self) -> dict[str, int]:
        return {"cash": self.bank + self.cash,
                "check": sum(a for v in self.checks.values() for _, a in v),
                "money_order": sum(a for v in self.money_orders.values() for _, a in v)}

    def count(self, cash_delta: int) -> tuple[DrawerCount, int]:
        exp = self.expected()
        cash = max(0, exp["cash"] + cash_delta)
        count = DrawerCount(
            make_change(cash),
            checks=[CountedItem(n, a) for v in self.checks.values() for n, a in v],
            money_orders=[CountedItem(n, a) for v in self.money_orders.values() for n, a in v])
        return count, cash - exp["cash"]


def clerk_day(db_path: str, idx: int, account_numbers: Sequence[str], payments: int, seed: int,
              barrier: Any, out: Any) -> None:
    """One clerk (and their supervisor) working flat out; reports stats or the first error."""
    stats: Counter[str] = Counter()
    load_builtin()  # a worker process posts and reverses money: every counter's item kinds
    try:
        clock.set_fixed(NOW)
        rng = random.Random(seed)
        db = Database.open(db_path)
        clerk = auth.clerk_actor(db, f"clerk{idx}", f"ws-{idx}")
        sup = auth.clerk_actor(db, f"sup{idx}", f"ws-sup-{idx}")
        barrier.wait(60)
        session = open_session(db, clerk)
        tally = Tally(session.opening_bank_cents)
        closed_receipts: list[int] = []
        next_close = rng.randrange(8, 16)
        for k in range(payments):
            key = new_idempotency_key()
            items, tenders = sale_for(key, account_numbers)
            r = post_payment(db, clerk, key, items, tenders)
            tally.take(r.receipt.number, r.receipt.tenders, r.receipt.change_cents)
            stats["payments"] += 1
            time.sleep(rng.uniform(0, 0.004))  # the next customer steps up: others get the lock
            roll = rng.random()
            if roll < 0.12:
                target = rng.choice(list(tally.cash_by_receipt))
                void_receipt(db, clerk, target, rng.choice(("KEY", "TENDER", "DUP")))
                tally.void(target)
                stats["voids"] += 1
            elif roll < 0.17:
                amount = rng.randrange(100, 2000)
                paid_in(db, clerk, amount, "petty cash returned")
                tally.cash += amount
                stats["paid_ins"] += 1
            elif roll < 0.22 and tally.expected()["cash"] > 6000:
                amount = rng.randrange(1000, tally.expected()["cash"] - 5000)
                pickup(db, clerk, amount, "drop to safe", bag=f"B{k}")
                tally.cash -= amount
                stats["pickups"] += 1
            elif roll < 0.26 and closed_receipts:
                target = closed_receipts.pop(rng.randrange(len(closed_receipts)))
                reverse_receipt(db, sup, target, "ERROR", "found after close")
                stats["reversals"] += 1
            if k + 1 < next_close:
                continue
            # ---- close the drawer: blind count, maybe off; approve, or reopen and go on ------
            next_close = k + 1 + rng.randrange(8, 16)
            delta = rng.choice((0, 0, 0, rng.randrange(-300, 300), rng.choice((-900, 777))))
            count, delta = tally.count(delta)
            res = submit_count(db, clerk, count)
            stats["counts"] += 1
            if res.expected != tally.expected() or res.over_short_cents != delta:
                raise AssertionError(
                    f"clerk{idx} drawer {res.session_id}: domain expected {res.expected} "
                    f"over/short {res.over_short_cents}; the clerk's tally says "
                    f"{tally.expected()} over/short {delta}")
            if res.needs_approval != (abs(delta) > res.tolerance_cents):
                raise AssertionError(f"{delta} over/short: needs_approval is "
                                     f"{res.needs_approval}, tolerance {res.tolerance_cents}")
            stats["held"] += res.needs_approval
            stats["over_short"] += bool(delta)
            if rng.random() < 0.3:
                reopen_session(db, sup, res.session_id, "recount")
                stats["reopens"] += 1
                continue
            approve_session(db, sup, res.session_id, "over/short accepted" if delta else "")
            stats["approvals"] += 1
            closed_receipts += list(tally.cash_by_receipt)
            session = open_session(db, clerk)
            tally = Tally(session.opening_bank_cents)
        db.close()
        out.put(("ok", idx, dict(stats)))
    except BaseException as e:  # report, never hang the test
        out.put(("error", idx, f"{type(e).__name__}: {e}\n{traceback.format_exc()}"))


# ---- the zygote: fork writers from a warm process -----------------------------------------------
def zygote() -> None:
    """`python -m tests.reliability.writers zygote`: fork writers on request, fast.

    Reads one JSON request a line on stdin, answers one JSON line on stdout:
    `{"spawn": {...crash_writer kwargs...}}` -> `{"pid": N}` (the child runs the writer);
    `{"wait": N}` -> `{"pid": N, "exitcode": code}` (negative: killed by that signal).
    The domain is imported once here and no database is ever opened here, so a restart after
    a kill costs a fork, not a Python start-up, and no connection crosses a fork.
    """
    import json
    import sys

    for line in sys.stdin:
        req = json.loads(line)
        if "spawn" in req:
            pid = os.fork()
            if pid == 0:
                code = 0
                try:
                    null = os.open(os.devnull, os.O_RDWR)
                    os.dup2(null, 0)
                    os.dup2(null, 1)
                    crash_writer(**req["spawn"])
                except BaseException:
                    code = 3
                finally:
                    os._exit(code)
            answer: dict[str, int] = {"pid": pid}
        else:
            pid = int(req["wait"])
            _, status = os.waitpid(pid, 0)
            answer = {"pid": pid, "exitcode": os.waitstatus_to_exitcode(status)}
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    import sys

    if sys.argv[1:] != ["zygote"]:
        raise SystemExit("usage: python -m tests.reliability.writers zygote")
    zygote()
