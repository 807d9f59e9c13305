"""Desk jobs write in short chunks (issue 10 F): a job killed half-way and run again ends
exactly where one clean run ends; an account changed between the job's compute and its write
is judged on its new figures; a payment on another connection commits while a job runs.

The town is the contention benchmark's (bench/contention.py) at 400 accounts: demo history,
an earlier notices run, and a new read for every account of the billed cycle.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench import contention as town
from clerk_tui.db import Database
from clerk_tui.domain import audit, clock, ledger
from clerk_tui.domain.actor import SYSTEM
from clerk_tui.domain.errors import StateError
from clerk_tui.domain.utility import billing, delinquency, letters, reads
from tests.conftest import copy_database
from tests.domain.utility.desk_jobs_support import JOBS, PROGRESS_SQL, run_job

CHUNK = 7
KILL_AFTER = 2  # chunks committed before the process is killed

@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("town") / "town.db"
    town.build(path, 400, 6)
    return path


@pytest.fixture
def day() -> Iterator[None]:
    clock.set_fixed(town.DAY)
    yield
    clock.set_fixed(None)


def copy(built: Path, to: Path) -> Path:
    """The town and its site secret (the audit chain is keyed with it)."""
    return copy_database(built, to)


def snapshot(db: Database) -> dict[str, list[tuple]]:
    """Every row of every table (the search index's shadow tables aside), in rowid order."""
    names = [r["name"] for r in db.all(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "AND name NOT LIKE 'account_search%' AND name NOT LIKE 'account_digits%' "
        "ORDER BY name")]
    return {n: [tuple(r.values()) for r in db.all(f"SELECT * FROM {n} ORDER BY rowid")]
            for n in names}


def test_killed_jobs_run_again_end_as_one_clean_run(built: Path, tmp_path: Path,
                                                    day: None) -> None:
    clean = Database.open(copy(built, tmp_path / "clean.db"))
    killed_path = copy(built, tmp_path / "killed.db")
    killed = Database.open(killed_path)
    try:
        for job in JOBS:
            clean_result = run_job(clean, job, CHUNK)
            full = clean.scalar(PROGRESS_SQL[job])
            before = killed.scalar(PROGRESS_SQL[job])
            proc = subprocess.run([sys.executable, "-m", "tests.domain.utility.desk_jobs_support",
                                   str(killed_path), job, str(CHUNK), str(KILL_AFTER)],
                                  capture_output=True, text=True, timeout=120,
                                  cwd=Path(__file__).parents[3])
            assert proc.returncode == -signal.SIGKILL, proc.stderr
            half = killed.scalar(PROGRESS_SQL[job])
            assert before < half < full, (job, before, half, full)  # really cut half-way
            if job == "create":  # a register cut short cannot be finalized
                run_id = killed.scalar("SELECT max(id) FROM billing_runs")
                with pytest.raises(StateError, match="interrupted"):
                    billing.finalize_run(killed, town._desk(killed), run_id)
            if job == "finalize":  # nor a run with bills posted be cancelled
                run_id = killed.scalar("SELECT max(id) FROM billing_runs")
                with pytest.raises(StateError, match="partly finalized"):
                    billing.cancel_run(killed, town._desk(killed), run_id)
                # Running the cycle again (the desk's B) brings that run back to finalize.
                again = billing.create_run(killed, town._desk(killed), town.CYCLE,
                                           period_end=town.READ_ON,
                                           bill_date=town.DAY.date().isoformat())
                assert (again.run.id, again.run.status) == (run_id, "preliminary")
            result = run_job(killed, job, CHUNK)  # started again: finishes the same run
            assert killed.scalar(PROGRESS_SQL[job]) == full, job
            if job != "fees":  # the same register, notices list or shutoff list as the clean
                assert result == clean_result, job  # run's (fees: what this call charged)
        mine, theirs = snapshot(killed), snapshot(clean)
        assert {k: v for k, v in mine.items() if k != "audit_log"} == {
            k: v for k, v in theirs.items() if k != "audit_log"}
        # The audit trail is the same row for row; only two summaries tell the story of the
        # interruption: how many chunks the finishing call wrote, and the fees IT assessed.
        told = {"billing.preliminary", "billing.late_fees"}
        assert [_audit(r, told) for r in mine["audit_log"]] == [
            _audit(r, told) for r in theirs["audit_log"]]
        assert audit.verify(killed).ok
        # The register equals the ledger over every journal of the run.
        run_id = killed.scalar("SELECT max(id) FROM billing_runs")
        reg = billing.register(killed, run_id)
        journals = billing.run_journals(killed, run_id)
        assert len(journals) == -(-len(reg.billed) // CHUNK) > 1
        marks = ",".join("?" * len(journals))
        books = {r["book"]: r["s"] for r in killed.all(
            f"SELECT book, sum(amount_cents) AS s FROM ledger_entries WHERE journal_id IN "
            f"({marks}) GROUP BY book", journals)}
        assert books == {"account": reg.total_cents, "revenue": -reg.total_cents}
        assert reg.run.status == "final" and reg.run.journal_id == journals[0]
    finally:
        clean.close()
        killed.close()


def _audit(row: tuple, told: set[str]) -> tuple:
    """An audit row without its hashes, and without the after-image of a summary in `told`."""
    seq, at, clerk, workstation, action, entity, before, after = row[:8]
    return (seq, at, clerk, workstation, action, entity, before,
            None if action in told else after)


def _pay_in_full(db: Database, account_id: int) -> None:
    owed = ledger.account_balance(db, account_id)
    with db.write():
        ledger.post(db, SYSTEM, "conversion", [
            ledger.Entry("account", "payment", -owed, account_id=account_id, memo="paid"),
            ledger.Entry("clearing", "payment", owed)])
        audit.record(db, SYSTEM, "test.pay_in_full", f"account:{account_id}")


def _notices(db: Database) -> list[tuple]:
    return [tuple(r.values()) for r in db.all(
        "SELECT n.*, l.body FROM notices n JOIN letters l ON l.id = n.letter_id "
        "ORDER BY n.id")]


def test_account_paid_between_compute_and_write_is_judged_on_the_payment(
        built: Path, tmp_path: Path, day: None) -> None:
    # Which accounts get a notice today, and the last of them (in a late chunk).
    probe = Database.open(copy(built, tmp_path / "probe.db"))
    run = run_job(probe, "notices")
    assert isinstance(run, delinquency.DelinquencyRun)
    target = run.done[-1].account_id
    probe.close()

    # A clean run after the customer paid ...
    clean = Database.open(copy(built, tmp_path / "clean.db"))
    _pay_in_full(clean, target)
    clean_run = run_job(clean, "notices", 1)
    assert isinstance(clean_run, delinquency.DelinquencyRun)
    # ... equals a run during which they paid, on another connection, after its compute.
    path = copy(built, tmp_path / "during.db")
    db, other = Database.open(path), Database.open(path)
    paid: list[int] = []

    def progress(done: int, total: int) -> None:
        if done == 1:
            _pay_in_full(other, target)
            paid.append(done)

    run = run_job(db, "notices", 1, progress)
    assert isinstance(run, delinquency.DelinquencyRun)
    assert paid == [1]
    assert target not in {ln.account_id for ln in run.done}
    assert run.lines == clean_run.lines
    assert _notices(db) == _notices(clean)
    for d in (db, other, clean):
        d.close()


def test_finalize_leaves_out_an_account_read_again_meanwhile(built: Path, tmp_path: Path,
                                                             day: None) -> None:
    db = Database.open(copy(built, tmp_path / "town.db"))
    other = Database.open(tmp_path / "town.db")
    reg = run_job(db, "create", CHUNK)
    assert isinstance(reg, billing.Register)
    target = reg.billed[-1].account_id
    last = reads.list_reads(other, target, 1)[0]

    def progress(done: int, total: int) -> None:
        if done == 1:  # a corrected read for the period comes in on another connection
            reads.record_read(other, SYSTEM, target, last.reading + 3, read_on=town.READ_ON,
                              kind="reread")

    fin = billing.finalize_run(db, town._desk(db), reg.run.id, chunk_size=CHUNK,
                               progress=progress)
    (left,) = [ln for ln in fin.skipped if ln.account_id == target]
    assert "changed while the run was finalized" in (left.skipped or "")
    assert db.scalar("SELECT count(*) FROM bills WHERE account_id = ? AND billing_run_id = ?",
                     [target, reg.run.id]) == 0
    journals = billing.run_journals(db, reg.run.id)
    marks = ",".join("?" * len(journals))
    account = db.scalar(f"SELECT sum(amount_cents) FROM ledger_entries WHERE journal_id IN "
                        f"({marks}) AND book = 'account'", journals)
    assert account == fin.total_cents == fin.run.total_cents == reg.total_cents - left_total(
        reg, target)
    db.close()
    other.close()


def left_total(reg: billing.Register, account_id: int) -> int:
    return next(ln.total_cents for ln in reg.lines if ln.account_id == account_id)


# Each job's chunk size made small, so a 400-account town is many short transactions.
SMALL_CHUNKS = {"create": (billing, "REGISTER_CHUNK", 2), "finalize": (billing, "BILL_CHUNK", 2),
                "fees": (billing, "FEE_CHUNK", 1), "notices": (delinquency, "NOTICE_CHUNK", 1),
                "shutoffs": (delinquency, "SHUTOFF_CHUNK", 1), "mail": (letters, "MARK_CHUNK", 2)}


@pytest.mark.parametrize("job", [*JOBS, "mail"])
def test_a_payment_commits_while_a_job_runs(job: str, built: Path, tmp_path: Path, day: None,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    from clerk_tui.domain.cashier import (
        SaleItem,
        Tender,
        new_idempotency_key,
        open_session,
        post_payment,
    )

    path = copy(built, tmp_path / "town.db")
    db, counter = Database.open(path), Database.open(path)
    if job == "finalize":
        run_job(db, "create")
    clerk = town._clerk(counter)
    open_session(counter, clerk)
    number = counter.scalar("SELECT number FROM accounts WHERE status = 'active' LIMIT 1")
    before = counter.scalar(PROGRESS_SQL[job])
    job_done = threading.Event()
    seen: dict[str, float | bool] = {}

    def pay_when_the_job_is_under_way() -> None:
        deadline = time.monotonic() + 30
        while counter.scalar(PROGRESS_SQL[job]) == before:
            if job_done.is_set() or time.monotonic() > deadline:
                return
            time.sleep(0.001)
        t = time.monotonic()
        post_payment(counter, clerk, new_idempotency_key(), [SaleItem("account", number, 500)],
                     [Tender("cash", 500)])
        seen["wait"] = time.monotonic() - t
        seen["job_running"] = not job_done.is_set()

    module, name, size = SMALL_CHUNKS[job]
    monkeypatch.setattr(module, name, size, raising=False)
    helper = threading.Thread(target=pay_when_the_job_is_under_way)
    helper.start()
    try:
        run_job(db, job)  # the desk's own call: no chunk size, no progress
    finally:
        job_done.set()
        helper.join(60)
    assert counter.scalar(PROGRESS_SQL[job]) > before + 2 * size  # the job did real work
    assert seen.get("job_running") is True, seen  # the payment committed before the job ended
    assert float(seen["wait"]) < 1.0, seen
    db.close()
    counter.close()
