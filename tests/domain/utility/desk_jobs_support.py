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
from clerk_tui.domain.utility import billing, delinquency, jobs

JOBS = ("create", "finalize", "fees", "notices", "shutoffs")


def run_job(db: Database, job: str, chunk: int | None = None,
            progress: jobs.Progress | None = None) -> object:
    """Run one desk job on the bench town's day, the way the utility desk runs it."""
    desk = town._desk()
    day = town.DAY.date()
    if job == "create":
        return billing.create_run(db, desk, town.CYCLE, period_end=town.READ_ON,
                                  bill_date=day.isoformat(), chunk_size=chunk,
                                  progress=progress)
    if job == "finalize":
        run_id = db.scalar("SELECT max(id) FROM billing_runs")
        return billing.finalize_run(db, desk, run_id, chunk_size=chunk, progress=progress)
    if job == "fees":
        return billing.assess_late_fees(db, desk, day, chunk_size=chunk, progress=progress)
    if job == "notices":
        return delinquency.run_notices(db, desk, on=day, chunk_size=chunk, progress=progress)
    if job == "shutoffs":
        return delinquency.run_shutoffs(db, desk, on=day, chunk_size=chunk, progress=progress)
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
