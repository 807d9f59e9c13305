"""Keystrokes: the keys a clerk presses for the standard counter jobs, counted by driving the
real app with Textual's Pilot at 80x24 on a scratch copy of the training database.

Each job starts on the home screen, signed in as csr2 with a drawer open (sign-in is not
counted), presses exactly the keys listed, and counts only if a receipt for the full amount due
was really posted (a counter's job that takes no money says what it did instead, and must post
nothing). A wedge scan (prefix, the scanned characters, Enter, all sent by the
scanner) counts as one key event. The search job types the first four letters of a customer's
surname (the README's example types "main"), opens the first hit, pays, and takes the amount
due in cash: exactly, or with change from the next ten dollars. Its accounts are picked from
the demo data by asking the real search: ones whose four letters, and no fewer, put them on
top (a clerk keeps typing until the right name is first), with a bill of $100-$999.99 so the
tendered amount is three digits as in the README's example; the scan jobs use the same kind.

Citation payment and license renewal are listed as "not built yet" while their counters are
not there, never with made-up numbers.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from bench.common import scratch, show

if TYPE_CHECKING:
    from textual.pilot import Pilot

    from clerk_tui.db import Database

WORKSTATION = "bench-1"
CLERK, PIN = "csr2", "3333"
WEDGE_PREFIX = "ctrl+circumflex_accent"  # how Textual reports RS (0x1E), the default prefix
QUERY_LETTERS = 4  # letters typed in Lookup, like the README's "main"
README_CLAIM = {"search": 12, "search exact": 9}  # "takes 12 keys ... exact cash it is 9"


@dataclass
class Keys:
    """Keys pressed in one job, as the clerk would name them."""

    pressed: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.pressed)


@dataclass(frozen=True)
class Target:
    number: str
    due_cents: int
    query: str  # what to type in Lookup so this account is the first hit


async def _settle(pilot: Pilot) -> None:
    """Let thread workers (PIN checks, searches, posting) finish and reach the screen."""
    for _ in range(3):
        app = pilot.app
        busy = [w for w in app.workers if w.group != "override" and not w.is_finished]
        if busy:
            await app.workers.wait_for_complete(busy)
        await pilot.pause()


async def _press(pilot: Pilot, keys: Keys, *names: str) -> None:
    for name in names:
        keys.pressed.append(name)
        await pilot.press(name)
    await _settle(pilot)


async def _type(pilot: Pilot, keys: Keys, text: str) -> None:
    await _press(pilot, keys, *[" " if c == " " else c for c in text])


async def _scan(pilot: Pilot, keys: Keys, code: str) -> None:
    """What a keyboard-wedge scanner sends: one key event for the clerk (the trigger)."""
    keys.pressed.append(f"<scan {code}>")
    await pilot.press(WEDGE_PREFIX, *list(code), "enter")
    await _settle(pilot)


def _tens_up(cents: int) -> str:
    """Dollars tendered for change: the next ten dollars at or above the amount ('130')."""
    return str(-(-cents // 1000) * 10)


async def job_scan(pilot: Pilot, t: Target, change: bool) -> Keys:
    from clerk_tui.domain.scanlines import make_stub_scanline

    k = Keys()
    await _scan(pilot, k, make_stub_scanline(t.number, t.due_cents))
    await _press(pilot, k, "enter")  # accept the stub's amount
    if change:
        await _type(pilot, k, _tens_up(t.due_cents))
    await _press(pilot, k, "enter")  # empty tendered = exact; otherwise post with change
    return k


async def job_search(pilot: Pilot, t: Target, change: bool) -> Keys:
    k = Keys()
    await _press(pilot, k, "f2")
    await _type(pilot, k, t.query)
    await _press(pilot, k, "enter")  # open the first hit
    await _press(pilot, k, "f3")  # pay this account
    await _press(pilot, k, "enter")  # empty amount = the amount due
    if change:
        await _type(pilot, k, _tens_up(t.due_cents))
    await _press(pilot, k, "enter")
    return k


def _due_accounts(db: Database) -> list[tuple[str, str, int]]:
    """Active accounts with a balance due: (number, customer name, due), oldest first."""
    from clerk_tui.domain import ledger

    out = []
    for r in db.all(
            "SELECT a.id, a.number, c.name FROM accounts a JOIN customers c "
            "ON c.id = a.customer_id WHERE a.status = 'active' ORDER BY a.id"):
        due = ledger.account_balance(db, r["id"])
        if due > 0:
            out.append((r["number"], r["name"], due))
    return out


def pick_targets(db: Database, n: int, letters: int = QUERY_LETTERS) -> list[Target]:
    """`n` distinct accounts with a balance due in [$100, $1,000) (three digits tendered, as in
    the README's example) whose surname's first `letters` letters, and no fewer, put it first
    in the real search: the README's "main" is four letters, so the counts compare."""
    from clerk_tui.domain.search import search_accounts

    targets: list[Target] = []
    for number, name, due in _due_accounts(db):
        words = [w for w in name.replace("&", " ").split() if w.isalpha() and len(w) > 1]
        if not words or not 10_000 <= due < 100_000:
            continue
        surname = words[-1].lower()
        for length in range(2, min(letters, len(surname)) + 1):
            hits = search_accounts(db, surname[:length]).hits
            if hits and hits[0].number == number:
                if length == letters:
                    targets.append(Target(number, due, surname[:length]))
                break
        if len(targets) == n:
            return targets
    raise RuntimeError("not enough demo accounts with a balance due to pay")


Job = Callable[["Pilot", Target, bool], Awaitable[Keys]]


async def run_job(db: Database, job: Job, target: Target, change: bool) -> tuple[Keys, int]:
    """Run one job in a fresh app; returns the keys and the receipt number it posted."""
    from clerk_tui.app import ClerkApp
    from clerk_tui.domain import auth
    from clerk_tui.domain.cashier import last_receipt_for_clerk

    actor = auth.clerk_actor(db, CLERK, WORKSTATION)
    before = last_receipt_for_clerk(db, actor)
    app = ClerkApp(db, workstation=WORKSTATION, sandbox=True, environ={})
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*CLERK, "enter", *PIN, "enter")  # sign-in: not counted
        await _settle(pilot)
        if type(app.screen).__name__ != "HomeScreen":
            raise RuntimeError(f"sign-in did not reach home: {type(app.screen).__name__}")
        keys = await job(pilot, target, change)
        await app.workers.wait_for_complete()
    after = last_receipt_for_clerk(db, actor)
    if after is None or (before is not None and after.number == before.number):
        raise AssertionError(f"{job.__name__}: no receipt was posted after {keys.pressed}")
    if after.total_cents != target.due_cents:
        raise AssertionError(f"{job.__name__}: receipt {after.number} is for "
                             f"{after.total_cents} cents, not the {target.due_cents} due")
    return keys, after.number


async def _manifest_jobs(db: Database) -> list[list[object]]:
    """Each counter's own keystroke jobs (its manifest's `bench_jobs`), from the home screen of
    a fresh app with the drawer open. `job(pilot) -> keys pressed`: a receipt must be posted.
    A job that takes no money (a visitor's badge) returns `(keys pressed, what it did)`,
    having checked that itself: it is shown with that text, and it must post no receipt."""
    from clerk_tui.app import ClerkApp
    from clerk_tui.counters import registry
    from clerk_tui.counters.manifest import resolve
    from clerk_tui.domain import auth
    from clerk_tui.domain.cashier import last_receipt_for_clerk
    from clerk_tui.hardware.sim import reset_sims

    rows: list[list[object]] = []
    actor = auth.clerk_actor(db, CLERK, WORKSTATION)
    for manifest in registry().manifests:
        for spec in manifest.bench_jobs:
            reset_sims()
            before = last_receipt_for_clerk(db, actor)
            app = ClerkApp(db, workstation=WORKSTATION, sandbox=True, environ={})
            async with app.run_test(size=(80, 24)) as pilot:
                await pilot.press(*CLERK, "enter", *PIN, "enter")  # sign-in: not counted
                await _settle(pilot)
                result = await resolve(spec)(pilot)
                await app.workers.wait_for_complete()
            pressed, said = result if isinstance(result, tuple) else (result, None)
            after = last_receipt_for_clerk(db, actor)
            posted = after is not None and (before is None or after.number != before.number)
            if said is None and not posted:
                raise AssertionError(f"{spec}: no receipt was posted after {pressed}")
            number = after.number if after is not None else None
            if said is not None and posted:
                raise AssertionError(f"{spec}: says {said!r} but posted receipt {number}")
            label = f"{manifest.name}: {spec.rsplit(':', 1)[1].removeprefix('job_')}"
            rows.append([label, len(pressed), "", " ".join(pressed),
                         said if said is not None else f"receipt {number}"])
    return rows


def _has_jobs(counter_id: str) -> bool:
    """True when the manifest declaring that counter lists bench jobs of its own."""
    from clerk_tui.counters import registry

    return any(m.bench_jobs for m in registry().manifests
               if any(c.id == counter_id for c in m.counters))


def counter_built(counter_id: str) -> bool:
    """True once the counter's manifest names a screen (placeholders name none)."""
    from clerk_tui.screens.counters import get_counter

    return get_counter(counter_id).screen is not None


def _shown(keys: Keys) -> str:
    names = {"enter": "Enter", "f2": "F2", "f3": "F3"}
    out: list[str] = []
    for k in keys.pressed:
        name = names.get(k, k)
        if len(name) == 1 and out and out[-1].isalnum() and out[-1] not in names.values():
            out[-1] += name  # letters and digits typed in a row read as one word
        else:
            out.append(name)
    return " ".join(out)


async def _measure(folder: Path) -> list[list[object]]:
    from clerk_tui.domain import auth
    from clerk_tui.domain.cashier import open_session
    from clerk_tui.hardware.sim import reset_sims
    from clerk_tui.sandbox import open_sandbox

    db = open_sandbox(folder / "training.db")
    try:
        open_session(db, auth.clerk_actor(db, CLERK, WORKSTATION))
        targets = pick_targets(db, 4)
        jobs = [
            ("cash, amount due, by scan (exact cash)", job_scan, False, "scan"),
            ("cash, amount due, by scan (with change)", job_scan, True, "scan"),
            ("cash, amount due, by search (exact cash)", job_search, False, "search exact"),
            ("cash, amount due, by search (with change)", job_search, True, "search"),
        ]
        rows: list[list[object]] = []
        for (label, job, change, claim), target in zip(jobs, targets, strict=True):
            reset_sims()
            keys, number = await run_job(db, job, target, change)
            rows.append([label, keys.count, README_CLAIM.get(claim, ""), _shown(keys),
                         f"receipt {number}"])
        rows += await _manifest_jobs(db)
    finally:
        db.close()
    from clerk_tui.counters import registry

    scripted = {m.name for m in registry().manifests if m.bench_jobs}  # measured above
    for label, counter in (("citation payment", "citations"), ("license renewal", "licenses")):
        if counter in scripted:
            continue
        state = "built, no job scripted yet" if counter_built(counter) else "not built yet"
        if counter_built(counter) and _has_jobs(counter):
            state = "built: its own jobs are listed above"
        rows.append([label, "—", "", state, ""])
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.parse_args(argv)
    folder = scratch("keys")
    try:
        rows = asyncio.run(_measure(folder))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    scan, search = rows[1][1], rows[3][1]
    show("Keystrokes: standard counter jobs, real app driven by Pilot at 80x24",
         ["job", "keys", "README", "keys pressed", "posted"], rows,
         f"a cash payment of the amount due with change takes {scan} keys by scan and "
         f"{search} by search ({int(search) / int(scan):.1f}x); exact cash "
         f"{rows[0][1]} and {rows[2][1]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
