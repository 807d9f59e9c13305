"""Keystroke-bench jobs for the front desk (both named in the manifest's `bench_jobs`): the
repossession fee returns its keys and the bench checks the receipt; the visitor job posts
no receipt, so it returns its keys with what it did (checked in the database) and the bench
shows that instead of a receipt.

From the home screen, signed in with a drawer open, on the sandbox's demo data:
- `job_repo_fee_cash`: F7, P (repossessions: the demo's repossession with its debtor recorded
  as payer is the first row), F (the $15 fee on Payments), 15 Enter in cash.
- `job_visitor_badge`: F7, V, the visitor's details (badge printed), Esc, then the badge is
  scanned (one trigger pull, shown as `<scan VB…>`) and the visitor is checked out.
Returns the keys pressed as the clerk names them.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.pilot import Pilot

WEDGE_PREFIX = "ctrl+circumflex_accent"  # RS (0x1E), the scanners' default prefix

REPO_FEE_CASH: tuple[str, ...] = ("f7", "p", "f", "1", "5", "enter")
VISITOR_IN: tuple[str, ...] = (
    "f7", "v",
    *"Ann Lee", "enter",      # name
    *"Acme", "enter",         # company
    *"Records", "enter",      # visiting
    *"Meeting", "enter",      # purpose
    "y", "enter",             # ID seen: the badge prints
    "escape", "escape",       # back to home
)


async def _settle(pilot: Pilot) -> None:
    for _ in range(2):
        busy = [w for w in pilot.app.workers if w.group != "override" and not w.is_finished]
        if busy:
            await pilot.app.workers.wait_for_complete(busy)
        await pilot.pause()


async def _press(pilot: Pilot, keys: tuple[str, ...], pressed: list[str]) -> None:
    for key in keys:
        pressed.append(key)
        await pilot.press("space" if key == " " else key)
        await _settle(pilot)


async def job_repo_fee_cash(pilot: Pilot) -> list[str]:
    pressed: list[str] = []
    await _press(pilot, REPO_FEE_CASH, pressed)
    return pressed


async def job_visitor_badge(pilot: Pilot) -> tuple[list[str], str]:
    """Check a visitor in (badge printed), then check them out by scanning the badge. No
    receipt: returns the keys and what was done, read back from the database (in a thread,
    never on the UI's) so a scan that checked nobody out fails the job."""
    pressed: list[str] = []
    await _press(pilot, VISITOR_IN, pressed)
    badge = next((line.split()[-1].rstrip("]") for line in reversed(
        pilot.app.session.station.printer_text()) if line.startswith("[barcode VB")), None)
    if badge is None:
        raise AssertionError("no badge was printed")
    pressed.append(f"<scan {badge}>")
    await pilot.press(WEDGE_PREFIX, *list(badge), "enter")
    await _settle(pilot)
    from clerk_tui.domain.frontdesk import visitors

    v = await asyncio.to_thread(visitors.by_badge, pilot.app.session.db, badge)
    if v.out_how != "scan":
        raise AssertionError(f"{badge} was not checked out by the scan ({v.out_how})")
    return pressed, f"no receipt: {badge} in, out by scan"
