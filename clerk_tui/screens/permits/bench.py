"""Keystroke-bench job for parking permits (declared in the manifest's `bench_jobs`).

From the home screen with a drawer open and permit stock received: F4 (citations), Tab out of
its find field and P open the permits screen, then a new resident annual permit by keys (application form, documents
checklist, exact cash). Returns the keys pressed; the caller checks a permit was issued.
Imported only by the bench and its test (Pilot), never by the app.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.pilot import Pilot

ISSUE_PERMIT: tuple[str, ...] = (
    "f4", "tab", "p",                                 # citations, out of its find field, P
    "ctrl+n",                                         # new permit: the form, type RA
    "enter",                                          # RA (filled in)
    *"398 Oak St", "enter",                           # address (district A, even side)
    *"Bench Resident", "enter",                       # name
    *"4BEN123", "enter",                              # plate
    "enter", "enter",                                 # state CA (filled in), no vehicle: check
    "a", "enter",                                     # every document seen
    "enter",                                          # exact cash: the permit is issued
)


async def _settle(pilot: Pilot) -> None:
    for _ in range(2):
        busy = [w for w in pilot.app.workers if not w.is_finished]
        if busy:
            await pilot.app.workers.wait_for_complete(busy)
        await pilot.pause()


async def job_issue_permit(pilot: Pilot) -> list[str]:
    """Press `ISSUE_PERMIT` one key at a time from the home screen."""
    pressed: list[str] = []
    for key in ISSUE_PERMIT:
        pressed.append(key)
        await pilot.press(key)
        await _settle(pilot)
    return pressed
