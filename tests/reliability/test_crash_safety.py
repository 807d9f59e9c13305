"""Crash safety: writers posting real payments are SIGKILLed hundreds of times; nothing is lost.

Each writer posts through `post_payment` (and sometimes `void_receipt`) and appends every
receipt number to its own log only after the call returned, with fsync. Before each sale it logs
the idempotency key it is about to use; a restarted writer re-submits that key, so a kill
between commit and log must come back as a replay, and a kill before commit as a fresh post.
After the storm: every invariant holds (`check_invariants`, including the real
`clerk-tui audit verify`), every logged receipt exists with exactly the sale that was
submitted, and the receipts are exactly the sales that were started, each once.

The second test proves the harness can fail: the same storm over a deliberately broken poster
(receipt and its money in two transactions) must be caught.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from clerk_tui.db import Database
from clerk_tui.domain import auth, clock
from clerk_tui.domain.cashier import open_session
from tests.reliability.invariants import InvariantError, check_db, check_invariants
from tests.reliability.writers import NOW, crash_writer, read_log, sale_for, seed_database

WRITERS = 4
KILLS = 240


@pytest.fixture(autouse=True)
def _writers_business_day() -> Iterator[None]:
    with clock.frozen(NOW):
        yield


class Zygote:
    """A warm `python -m tests.reliability.writers zygote` that forks writers on request."""

    def __init__(self, log_dir: Path) -> None:
        root = Path(__file__).resolve().parents[2]
        self.stderr = open(log_dir / "zygote.err", "w")  # noqa: SIM115 (closed in close())
        self.proc = subprocess.Popen([sys.executable, "-m", "tests.reliability.writers",
                                      "zygote"], cwd=root, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=self.stderr, text=True)

    def _ask(self, req: dict) -> dict:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(json.dumps(req) + "\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        if not line:
            raise AssertionError(f"the zygote died: {Path(self.stderr.name).read_text()}")
        return json.loads(line)

    def spawn(self, **kwargs: object) -> int:
        return int(self._ask({"spawn": kwargs})["pid"])

    def wait(self, pid: int) -> int:
        return int(self._ask({"wait": pid})["exitcode"])

    def close(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        self.proc.wait(30)
        self.stderr.close()


def _prepare(tmp_path: Path, writers: int) -> tuple[Path, list[str], list[tuple[str, str]]]:
    db_path = tmp_path / "counter.db"
    names = [(f"writer{i}", f"ws-{i}") for i in range(writers)]
    numbers = seed_database(db_path, clerks=[(u, "csr2") for u, _ in names], accounts=6)
    db = Database.open(db_path)
    try:
        for u, ws in names:
            open_session(db, auth.clerk_actor(db, u, ws))
    finally:
        db.close()
    return db_path, numbers, names


def kill_storm(db_path: Path, log_dir: Path, names: list[tuple[str, str]], numbers: list[str],
               *, kills: int, broken: bool, seed: int) -> Counter[str]:
    """Keep every writer running; SIGKILL one (sometimes all) at random moments and restart it.

    Finally each writer is started once more and left to finish: it settles the sale it was
    killed in (a replay if that sale had committed, else a fresh post).
    """
    rng = random.Random(seed)
    stats: Counter[str] = Counter()
    zygote = Zygote(log_dir)

    def start(i: int, **extra: object) -> int:
        user, ws = names[i]
        stats["starts"] += 1
        return zygote.spawn(db_path=str(db_path), log_path=str(log_dir / f"{user}.log"),
                            username=user, workstation=ws, account_numbers=numbers,
                            seed=rng.randrange(1 << 30), broken=broken, **extra)

    def died_alone(i: int, code: int) -> AssertionError:
        errors = [" ".join(ln) for ln in read_log(log_dir / f"{names[i][0]}.log")
                  if ln[0] == "error"]
        return AssertionError(f"writer {i} exited with {code} before it was killed: "
                              f"{errors[-1:] or 'no error logged'}")

    def posted() -> int:
        return sum(1 for u, _ in names for ln in read_log(log_dir / f"{u}.log")
                   if ln[0] == "paid")

    began = time.monotonic()
    pids = {i: start(i) for i in range(len(names))}
    try:
        while stats["kills"] < kills:
            # Kill about every 4 posts' time of one writer (however fast the disk is today),
            # at a uniformly random moment: during start-up, recovery, a transaction, a commit,
            # a checkpoint, or between commit and log.
            mean = 4 * (time.monotonic() - began) / max(posted(), 1)
            time.sleep(rng.uniform(0, 2 * min(max(mean, 0.003), 0.3)))
            everyone = rng.random() < 0.08
            victims = list(pids) if everyone else [rng.randrange(len(names))]
            for i in victims:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pids[i], signal.SIGKILL)
            for i in victims:
                code = zygote.wait(pids.pop(i))
                if code != -signal.SIGKILL:
                    raise died_alone(i, code)
                stats["kills"] += 1
            stats["all_at_once"] += everyone
            for i in victims:
                pids[i] = start(i)
        for i in list(pids):
            os.kill(pids[i], signal.SIGKILL)
            zygote.wait(pids.pop(i))
        for i in range(len(names)):
            code = zygote.wait(start(i, max_posts=0))
            if code != 0:
                raise died_alone(i, code)
    finally:
        for pid in pids.values():
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        zygote.close()
    return stats


@pytest.mark.slow
def test_sigkill_storm_loses_no_payment(tmp_path: Path) -> None:
    started = time.monotonic()
    db_path, numbers, names = _prepare(tmp_path, WRITERS)
    stats = kill_storm(db_path, tmp_path, names, numbers, kills=KILLS, broken=False, seed=6)
    storm_s = time.monotonic() - started

    summary = check_invariants(db_path)

    intents: dict[str, str] = {}
    paid: dict[str, tuple[int, str]] = {}
    voided: list[int] = []
    for user, _ in names:
        for ln in read_log(tmp_path / f"{user}.log"):
            assert ln[0] != "error", f"{user}: {' '.join(ln)}"
            if ln[0] == "intent":
                intents[ln[1]] = user
            elif ln[0] == "paid":
                assert ln[1] not in paid or paid[ln[1]][0] == int(ln[2]), \
                    f"key {ln[1]} was answered with two receipt numbers"
                paid[ln[1]] = (int(ln[2]), ln[3])
                stats[ln[3]] += 1
            elif ln[0] == "void":
                voided.append(int(ln[1]))

    db = Database.open(db_path)
    try:
        rows = {r["idempotency_key"]: r for r in db.all(
            "SELECT r.id, r.number, r.idempotency_key, r.clerk, "
            "(SELECT kind FROM receipt_voids v WHERE v.receipt_id = r.id) AS void "
            "FROM receipts r")}
        items = {}
        for i in db.all("SELECT receipt_id, kind, reference, amount_cents FROM receipt_items "
                        "ORDER BY receipt_id, line"):
            items.setdefault(i["receipt_id"], []).append(
                (i["kind"], i["reference"].replace("-", ""), i["amount_cents"]))
        # Every sale a writer started was posted exactly once: no loss, no double charge.
        assert set(rows) == set(intents), (
            f"{len(set(intents) - set(rows))} started sale(s) never posted, "
            f"{len(set(rows) - set(intents))} receipt(s) nobody started")
        assert set(paid) == set(intents)
        for key, (number, _how) in paid.items():
            r = rows[key]
            assert r["number"] == number, f"key {key}: logged receipt {number}, db {r['number']}"
            assert r["clerk"] == intents[key]
            want, tenders = sale_for(key, numbers)
            fee_default = {"BUSPASS": 4500}
            expect = [(s.kind, s.reference, s.amount_cents if s.amount_cents is not None
                       else fee_default[s.reference]) for s in want]
            assert items.get(r["id"]) == expect, f"receipt {number} lost or changed its items"
        for number in voided:
            r = next(x for x in rows.values() if x["number"] == number)
            assert r["void"] == "void", f"logged void of receipt {number} is not in the db"
    finally:
        db.close()

    assert stats["kills"] >= KILLS
    assert summary.receipts > KILLS, f"too little work between kills: {stats}"
    assert summary.voids > 0
    print(f"\ncrash storm: {dict(stats)}, {summary}, storm {storm_s:.1f}s")


@pytest.mark.slow
def test_storm_catches_a_two_transaction_poster(tmp_path: Path) -> None:
    """The broken poster is right when nothing interrupts it, and caught when killed."""
    db_path, numbers, names = _prepare(tmp_path, 1)
    user, ws = names[0]
    crash_writer(str(db_path), str(tmp_path / "control.log"), user, ws, numbers, 1,
                 broken=True, max_posts=40)
    db = Database.open(db_path)
    try:
        assert check_db(db).receipts == 40  # uninterrupted, it passes every invariant
    finally:
        db.close()

    kill_storm(db_path, tmp_path, names, numbers, kills=60, broken=True, seed=3)
    with pytest.raises(InvariantError) as caught:
        check_invariants(db_path, cli=False)
    problems = caught.value.problems
    half = [p for p in problems if p.startswith("receipt ") and p.endswith(" has no tenders")]
    assert half, str(caught.value)
    for p in half:  # each half-written receipt is named for everything it lacks
        number = p.split()[1]
        assert f"receipt {number} has no ledger entries" in problems
