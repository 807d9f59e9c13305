"""Keystroke-bench job for Passports (declared in the manifest's `bench_jobs`).

From the home screen with a drawer open, as a certified agent: F6, a new adult routine book
application, the checklist walked with Enter (first document of each list, photo brought),
the applicant's check to the State Department recorded (pass-through, default amount and
payer), the city's $35 execution fee paid in exact cash on the payment screen, back, and the
application executed. Returns the keys pressed; the caller checks a receipt was posted.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.pilot import Pilot

ADULT_BOOK_CASH: tuple[str, ...] = (
    "f6", "n",
    *"Pat Doe", "enter", *"1980-01-01", "enter",   # applicant, born
    "enter", "enter", "enter", "enter", "enter",  # no parents; book; routine; no 1-2 day/search
    "enter", "enter",                             # citizenship: US birth certificate
    "enter", "enter",                             # identity: driver licence
    "enter", "y",                                 # photocopies made
    "enter", "b",                                 # photo brought
    "enter", "y", "enter", "y", "enter", "y",     # oath, signature, sealed
    "enter", "enter", *"1001", "enter", "enter", "enter", "enter",  # State fee: check 1001
    "enter",                                      # pay the city's execution fee
    "enter",                                      # exact cash ($35.00)
    "escape",                                     # back to the checklist
    "enter", "y",                                 # execute
)
ADULT_BOOK_CASH_TOTAL_CENTS = 3500


async def job_adult_book_cash(pilot: Pilot) -> list[str]:
    """Press `ADULT_BOOK_CASH` one key at a time, letting each key's work land first."""
    pressed: list[str] = []
    for key in ADULT_BOOK_CASH:
        pressed.append(key)
        await pilot.press(key)
        for _ in range(2):
            busy = [w for w in pilot.app.workers if not w.is_finished]
            if busy:
                await pilot.app.workers.wait_for_complete(busy)
            await pilot.pause()
    return pressed
