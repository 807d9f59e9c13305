"""Keystroke-bench job for Misc. sales (declared in the manifest's `bench_jobs`).

From the home screen with a drawer open: F12, two items (12 copies, one notary signature),
pay in cash with change from $20. Returns the keys pressed, as the clerk names them, so the
bench can count them; the caller checks that a receipt was really posted. Imported only by the
bench and its test (Pilot), never by the app.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.pilot import Pilot

TWO_ITEMS_CASH: tuple[str, ...] = (
    "f12",
    "c", "enter", "1", "2", "enter",   # copies, 12 pages
    "n", "enter", "enter",             # notary, Enter = 1
    "enter",                           # empty item field: pay
    "2", "0", "enter",                 # $20.00 cash: change $3.80
)
TWO_ITEMS_CASH_TOTAL_CENTS = 1620


async def job_two_items_cash(pilot: Pilot) -> list[str]:
    """Press `TWO_ITEMS_CASH` one key at a time, letting each key's work land first."""
    pressed: list[str] = []
    for key in TWO_ITEMS_CASH:
        pressed.append(key)
        await pilot.press(key)
        for _ in range(2):
            busy = [w for w in pilot.app.workers if not w.is_finished]
            if busy:
                await pilot.app.workers.wait_for_complete(busy)
            await pilot.pause()
    return pressed
