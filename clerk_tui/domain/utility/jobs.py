"""How the desk's long jobs write without starving the counter (issue 10 F).

A payment at the counter needs the database's one write lock for a few milliseconds. A job
that prices, notices or fees 100,000 accounts inside one `BEGIN IMMEDIATE` held that lock for
seconds (a payment waited 18.5 s behind a full run of the desk's jobs). So every long job here:

1. computes outside any write transaction (the reads see a committed snapshot; a payment can
   commit meanwhile), noting a *version stamp* taken BEFORE the figures it computes: the ledger's high-water
   mark (`ledger_mark`) for money, each account's `pricing_stamps` for a bill's price;
2. writes in short transactions of a few hundred accounts (`Chunks`), each one whole: its rows,
   its journal and its audit row commit together or not at all;
3. re-reads the stamps of a chunk's accounts inside the chunk's transaction and recomputes an
   account whose stamp moved, so nothing is written from a stale figure;
4. checks, inside the chunk, what makes the write idempotent (a notice already sent this
   delinquency, a bill already made for the run, a late fee already on the bill), so a job
   killed half-way and started again does nobody's work twice;
5. pauses after each chunk for as long as the chunk held the lock, so a waiting payment (its
   busy handler polls every few to 100 ms) gets the lock within a poll or two.

A job called inside a caller's open transaction (`db.in_write`) still works: its chunks join
that transaction and it does not pause (it would only hold the lock longer).
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator, Sequence
from typing import TypeVar

from clerk_tui.db import Database

T = TypeVar("T")

Progress = Callable[[int, int], None]
"""Called after each chunk commits with (chunks done, chunks in all)."""

MIN_PAUSE = 0.002  # seconds after a chunk, however short it was
MAX_PAUSE = 0.25


def chunked(items: Sequence[T], size: int) -> list[Sequence[T]]:
    """`items` in runs of `size` (at least 1)."""
    size = max(1, int(size))
    return [items[i:i + size] for i in range(0, len(items), size)]


class Chunks:
    """The write transactions of one job: `with chunks.write(): ...` per chunk.

    Times how long each chunk held the write lock and sleeps as long after it commits (the
    lock is then free about half the time while the job writes), and reports progress.
    """

    def __init__(self, db: Database, total: int, progress: Progress | None = None) -> None:
        self.db = db
        self.total = total
        self.done = 0
        self.progress = progress
        self.nested = db.in_write
        self.longest = 0.0

    @contextlib.contextmanager
    def write(self) -> Iterator[Database]:
        started = time.monotonic()
        with self.db.write():
            yield self.db
        held = time.monotonic() - started
        self.longest = max(self.longest, held)
        self.done += 1
        if not self.nested:
            time.sleep(min(MAX_PAUSE, max(MIN_PAUSE, held)))
        if self.progress is not None:
            self.progress(self.done, self.total)


def _in_list(ids: Sequence[int]) -> str:
    return ",".join("?" * len(ids))


def ledger_mark(db: Database) -> int:
    """The ledger's version stamp: the id of its newest entry. Entries are append-only with
    growing ids, so an account whose latest account-book entry is above the mark taken before
    a job read its figures has moved since (a payment, bill, fee, adjustment or reversal)."""
    return int(db.scalar("SELECT coalesce(max(id), 0) FROM ledger_entries") or 0)


def moved_since(db: Database, mark: int, account_ids: Sequence[int]) -> set[int]:
    """Which of `account_ids` have an account-book entry newer than `mark` (a range scan of
    the entries since the mark, not of the accounts' history)."""
    ids = list(account_ids)
    out: set[int] = set()
    for part in chunked(ids, 500):
        out |= {r["account_id"] for r in db.all(
            "SELECT DISTINCT account_id FROM ledger_entries WHERE id > ? AND book = 'account' "
            f"AND account_id IN ({_in_list(part)})", [mark, *part])}
    return out


def pricing_stamps(db: Database, account_ids: Sequence[int]) -> dict[int, tuple]:
    """Each account's version stamp for a bill's price: the account's status, cycle, rate class
    and services, its meters, its latest read, and its assistance enrolments (their status and
    expiry: a discount starts or ends with them). Reads and meters are appended with growing
    ids; enrolments change by UPDATE, so their fields are part of the stamp."""
    out: dict[int, tuple] = {}
    ids = list(account_ids)
    for part in chunked(ids, 500):
        marks = _in_list(part)
        rows = {r["id"]: r for r in db.all(
            f"SELECT id, status, cycle, rate_class, services FROM accounts WHERE id IN ({marks})",
            list(part))}
        meters = {r["account_id"]: (r["meters"], r["read"]) for r in db.all(
            "SELECT m.account_id, group_concat(m.id || ':' || coalesce(m.removed_on, '')) "
            "AS meters, (SELECT max(mr.id) FROM meter_reads mr JOIN meters m2 "
            "ON m2.id = mr.meter_id WHERE m2.account_id = m.account_id) AS read "
            f"FROM meters m WHERE m.account_id IN ({marks}) GROUP BY m.account_id", list(part))}
        aid = {r["account_id"]: r["e"] for r in db.all(
            "SELECT account_id, group_concat(id || ':' || status || ':' || "
            "coalesce(expires_on, '') || ':' || coalesce(decided_on, '')) AS e "
            f"FROM assistance_enrollments WHERE account_id IN ({marks}) GROUP BY account_id",
            list(part))}
        for i in part:
            a = rows.get(i)
            out[i] = ((a["status"], a["cycle"], a["rate_class"], a["services"]) if a else None,
                      meters.get(i), aid.get(i))
    return {i: out[i] for i in ids}


def finished(db: Database, entity: str, start: str, done: str) -> bool | None:
    """Whether the job whose audit rows name `entity` wrote its closing row (`done`) after
    its opening one (`start`); None when it wrote neither. Scans the audit log from its newest
    row back, so a job of today is found at once."""
    action = db.scalar("SELECT action FROM audit_log WHERE entity = ? AND action IN (?, ?) "
                       "ORDER BY seq DESC LIMIT 1", [entity, start, done])
    if action is None:
        return None
    return action == done
