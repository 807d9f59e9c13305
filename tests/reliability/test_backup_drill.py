"""Backup and restore drill: `clerk-tui backup` (the real command, its own process) while clerk
processes keep posting payments through the real domain code.

What a city needs from a backup taken in the middle of a busy day:
- it finishes while clerks keep writing (it is never starved by their commits);
- the copy opens as the production database it is, passes `PRAGMA integrity_check` and
  `clerk-tui audit verify`, and is one consistent moment: receipt numbers gapless, every
  receipt whole (items, tenders, balanced ledger);
- it holds every receipt committed before the backup began: every number a writer had logged
  after its commit returned, and every number up to the highest the database showed;
- restored (opened as the database), the counter carries on: the next receipt takes the next
  number and the audit chain still holds.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pysqlite3.dbapi2 as sqlite3
import pytest

from clerk_tui.db import open_database
from clerk_tui.domain import accounts, audit, auth, clock, setup
from clerk_tui.domain.actor import SYSTEM
from clerk_tui.domain.cashier import (
    SaleItem,
    Tender,
    new_idempotency_key,
    open_session,
    post_payment,
)
from tests.conftest import PINS

pytestmark = pytest.mark.timeout(240)

ROOT = Path(__file__).resolve().parents[2]
WRITERS = 3
BACKUPS = 3


def clerk_tui(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "clerk_tui", *args], capture_output=True,
                          text=True, timeout=timeout, cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})


def logged(log: Path) -> set[int]:
    """Receipt numbers a writer has logged (each only after its commit returned)."""
    text = log.read_text(encoding="ascii") if log.exists() else ""
    lines = text.split("\n")
    # The last line may be half-written: only lines ending in a newline count.
    return {int(x) for x in lines[:-1] if x}


def read_max_receipt(path: Path) -> int:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=20)
    try:
        return int(conn.execute("SELECT coalesce(max(number), 0) FROM receipts").fetchone()[0])
    finally:
        conn.close()


def prepare(path: Path) -> None:
    db = open_database(path, create=True, migrate=True)
    try:
        setup.initialize(db, "production", admin_pin=PINS["admin"])
        for i in range(40):
            accounts.open_account(db, SYSTEM, name=f"Drill Customer {i}",
                                  service_address=f"{100 + i} Backup Ave",
                                  opened_on="2020-01-01")
        from clerk_tui.domain import auth

        for w in range(WRITERS):
            auth.add_clerk(db, SYSTEM, f"drill{w}", f"Drill Clerk {w}", "csr2", PINS["csr2"])
            open_session(db, auth.clerk_actor(db, f"drill{w}", f"ws-drill-{w}"))
    finally:
        db.close()


def check_copy(copy: Path, *, must_hold: set[int], max_before: int) -> int:
    """Everything a restored copy must be; returns its highest receipt number."""
    conn = sqlite3.connect(f"{copy.resolve().as_uri()}?mode=ro", uri=True)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        numbers = [r[0] for r in conn.execute("SELECT number FROM receipts ORDER BY number")]
        assert numbers == list(range(1, len(numbers) + 1)), "receipt numbers have a gap"
        held = set(numbers)
        assert max(numbers) >= max_before
        missing = must_hold - held
        assert not missing, f"committed before the backup but not in it: {sorted(missing)[:10]}"
        # Every receipt is whole: items, tenders, and a ledger journal that sums to zero.
        broken = conn.execute(
            "SELECT r.number FROM receipts r WHERE "
            " NOT EXISTS (SELECT 1 FROM receipt_items i WHERE i.receipt_id = r.id)"
            " OR NOT EXISTS (SELECT 1 FROM tenders t WHERE t.receipt_id = r.id)"
            " OR (SELECT coalesce(sum(i.amount_cents), -1) FROM receipt_items i"
            "     WHERE i.receipt_id = r.id) <> r.total_cents"
            " OR (SELECT count(*) FROM ledger_entries e WHERE e.journal_id = r.journal_id) = 0"
            " OR (SELECT sum(e.amount_cents) FROM ledger_entries e"
            "     WHERE e.journal_id = r.journal_id) <> 0").fetchall()
        assert broken == [], f"receipts not whole in the copy: {broken[:10]}"
        # The audit log has a row for each receipt the copy holds (same transaction).
        audited = conn.execute("SELECT count(*) FROM audit_log WHERE entity LIKE 'receipt:%'"
                               ).fetchone()[0]
        assert audited >= len(numbers)
        return max(numbers)
    finally:
        conn.close()


@pytest.mark.slow
def test_backup_while_clerks_post_holds_everything_committed_before_it(tmp_path: Path) -> None:
    live = tmp_path / "srv" / "city.db"
    prepare(live)
    stop = tmp_path / "stop"
    logs = [tmp_path / f"writer{w}.log" for w in range(WRITERS)]
    errs = [tmp_path / f"writer{w}.err" for w in range(WRITERS)]
    writers = [subprocess.Popen(
        [sys.executable, "-m", "tests.reliability.backup_writers", str(live), f"drill{w}",
         f"ws-drill-{w}", str(logs[w]), str(stop)],
        cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT),
                       # the writers' business day is this test's (a pinned clock or today)
                       "CLERK_TUI_NOW": clock.now().isoformat(timespec="seconds")},
        stdout=subprocess.DEVNULL, stderr=err.open("wb")) for w, err in enumerate(errs)]

    def writer_errors() -> str:
        return "\n".join(e.read_text(errors="replace") for e in errs)

    copies: list[tuple[Path, set[int], int]] = []
    try:
        # Let every clerk get going before the first backup.
        deadline = time.monotonic() + 60
        while not all(len(logged(log)) >= 20 for log in logs):
            assert all(p.poll() is None for p in writers), f"a writer died early: {writer_errors()}"
            assert time.monotonic() < deadline, "writers did not get going"
            time.sleep(0.05)
        for n in range(BACKUPS):
            must_hold = set().union(*(logged(log) for log in logs))
            max_before = read_max_receipt(live)
            dest = tmp_path / "backups" / f"city-{n}.db"
            started = time.monotonic()
            out = clerk_tui("backup", str(dest), "--db", str(live), timeout=60)
            took = time.monotonic() - started
            assert out.returncode == 0, out.stderr
            assert f"to {dest}" in out.stdout
            # The clerks were writing the whole time and still are.
            assert all(p.poll() is None for p in writers), f"a writer stopped during the backup: {writer_errors()}"
            assert read_max_receipt(live) > max_before  # ... and got commits in meanwhile
            copies.append((dest, must_hold, max_before))
            assert took < 30
            time.sleep(0.3)
        after = read_max_receipt(live)
    finally:
        stop.touch()
        for p in writers:
            try:
                p.wait(timeout=60)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
    assert [p.returncode for p in writers] == [0] * WRITERS, writer_errors()

    last_max = 0
    for dest, must_hold, max_before in copies:
        assert max_before > last_max  # the writers kept committing between backups
        copy_max = check_copy(dest, must_hold=must_hold, max_before=max_before)
        assert copy_max <= after
        last_max = max_before
        # The secret is not in the copy (it is backed up apart): name it to check the copy.
        verified = clerk_tui("audit", "verify", "--db", str(dest), "--secret", f"{live}.secret")
        assert verified.returncode == 0, verified.stdout + verified.stderr
        assert "Audit chain holds" in verified.stdout

    # Never overwrites: a second backup to the same name is refused and changes nothing.
    dest = copies[0][0]
    before = dest.read_bytes()
    again = clerk_tui("backup", str(dest), "--db", str(live))
    assert again.returncode == 1 and "already exists" in again.stderr
    assert dest.read_bytes() == before

    # Restore: the copy is the database now; the next receipt continues the sequence.
    restored_path, _, _ = copies[-1]
    shutil.copy2(f"{live}.secret", f"{restored_path}.secret")  # restored from its own backup
    restored = open_database(restored_path)
    try:
        assert restored.kind() == "production"
        top = int(restored.scalar("SELECT max(number) FROM receipts"))
        number = restored.scalar("SELECT number FROM accounts ORDER BY id LIMIT 1")
        receipt = post_payment(restored, auth.clerk_actor(restored, "drill0", "ws-drill-0"),
                               new_idempotency_key(), [SaleItem("account", number, 1234)],
                               [Tender("cash", 2000)]).receipt
        assert receipt.number == top + 1 and receipt.change_cents == 766
        assert audit.verify(restored).ok
    finally:
        restored.close()
