"""Keystroke-bench job for Licenses (declared in the manifest's `bench_jobs`).

From the home screen with a drawer open: the renewal notice of the sandbox's "Tidy Offices"
(a flat-tax license, paid for this year) is scanned with the wedge prefix, then Enter (pay what
is due) and Enter (exact cash on the payment screen). The scan is one action, not a key:
the job returns ["<scan BL…>", "enter", "enter"], i.e. 2 keys after the scan (the bench counts
the scan as one, as it does for a bill stub). Imported only by the
bench and its test (Pilot), never by the app.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from clerk_tui.session import session_of

if TYPE_CHECKING:
    from textual.pilot import Pilot

PREFIX = "ctrl+circumflex_accent"  # the wedge's default scan prefix (RS)
AFTER_SCAN: tuple[str, ...] = ("enter", "enter")


def renewal_code(db: object) -> str:
    """The sandbox bench license's renewal notice barcode for next year."""
    from clerk_tui.domain import clock
    from clerk_tui.domain.licenses.finders import search
    from clerk_tui.domain.licenses.numbers import notice_code

    hit = next(f for f in search(db, "Tidy Offices", 5) if "Tidy" in f.title)  # type: ignore[arg-type]
    return notice_code(hit.key, clock.today().year + 1)


async def _settle(pilot: Pilot) -> None:
    for _ in range(3):
        busy = [w for w in pilot.app.workers if not w.is_finished]
        if busy:
            await pilot.app.workers.wait_for_complete(busy)
        await pilot.pause()


async def job_renewal_scan_cash(pilot: Pilot) -> list[str]:
    """Scan the renewal notice, then Enter, Enter: the renewal paid in cash."""
    code = await asyncio.to_thread(renewal_code, session_of(pilot.app).db)
    await pilot.press(PREFIX, *list(code), "enter")
    await _settle(pilot)
    pressed = [f"<scan {code}>"]
    for key in AFTER_SCAN:
        pressed.append(key)
        await pilot.press(key)
        await _settle(pilot)
    return pressed
