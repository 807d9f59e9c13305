"""The desk jobs as the chunk tests call them, in-process or in a process killed after chunk k.

`python -m tests.domain.utility.desk_jobs_support DB JOB CHUNK K` runs JOB on DB in chunks of
CHUNK and SIGKILLs its own process as soon as chunk K has committed: a real crash half-way
through a job, like a power cut or `kill -9` of a clerk's session.
"""

from __future__ import annotations

import os
import signal
import sys

from bench import contention as town
from clerk_tui.db import Database
from clerk_tui.domain import clock
from clerk_tui.domain.utility import billing, delinquency, jobs, letters

JOBS = ("create", "finalize", "fees", "notices", "shutoffs")
# What each job writes one row per item of, to see how far it got.
PROGRESS_SQL = {
    "create": "SELECT count(*) FROM billing_run_lines",
    "finalize": "SELECT count(*) FROM bills WHERE billing_run_id IS NOT NULL",
    "fees": "SELECT count(*) FROM late_fees",
    "notices": "SELECT count(*) FROM notices WHERE sent_on = '2026-11-23'",
    "shutoffs": "SELECT count(*) FROM shutoff_list",
    "mail": "SELECT count(*) FROM letters WHERE delivered != ''",
}


def run_job(db: Database, job: str, chunk: int | None = None,
            progress: jobs.Progress | None = None) -> object:
    """Run one desk job on the bench town's day, the way the utility desk runs it."""
    desk = town._desk(db)
    day = town.DAY.date()
    kw: dict = {}  # only what is asked for, so the plain call is the desk's own
    if chunk is not None:
        kw["chunk_size"] = chunk
    if progress is not None:
        kw["progress"] = progress
    if job == "create":
        return billing.create_run(db, desk, town.CYCLE, period_end=town.READ_ON,
                                  bill_date=day.isoformat(), **kw)
    if job == "finalize":
        run_id = db.scalar("SELECT max(id) FROM billing_runs")
        return billing.finalize_run(db, desk, run_id, **kw)
    if job == "fees":
        return billing.assess_late_fees(db, desk, day, **kw)
    if job == "notices":
        return delinquency.run_notices(db, desk, on=day, **kw)
    if job == "shutoffs":
        return delinquency.run_shutoffs(db, desk, on=day, **kw)
    if job == "mail":  # mark every letter still to mail as printed (progress: not reported)
        kw.pop("progress", None)
        queued = letters.undelivered_letters(db)
        return letters.mark_batch_delivered(db, desk, {q.letter.id: "printed" for q in queued},
                                            **kw)
    raise ValueError(job)


def main(argv: list[str]) -> None:
    path, job, chunk, kill_after = argv[0], argv[1], int(argv[2]), int(argv[3])
    clock.set_fixed(town.DAY)
    db = Database.open(path)

    def progress(done: int, total: int) -> None:
        if done == kill_after:
            os.kill(os.getpid(), signal.SIGKILL)

    run_job(db, job, chunk, progress)
    raise SystemExit(f"{job} finished before chunk {kill_after} ({chunk} per chunk)")


if __name__ == "__main__":
    main(sys.argv[1:])
