"""Keystroke bench jobs of the citations counter (run by bench/keystrokes.py from the home
screen, signed in with a drawer open): a citation paid by scanning its barcode, and all of a
plate's citations found by typing the plate and paid.

Targets are read from the database before the first key (not counted): an owed citation for
the scan, the plate with the most owed citations for the plate job."""

from __future__ import annotations

from typing import TYPE_CHECKING

from clerk_tui.session import session_of

if TYPE_CHECKING:
    from textual.pilot import Pilot

WEDGE_PREFIX = "ctrl+circumflex_accent"  # the default wedge prefix (RS), as bench/keystrokes


async def _settle(pilot: Pilot) -> None:
    for _ in range(3):
        busy = [w for w in pilot.app.workers if w.group != "override" and not w.is_finished]
        if busy:
            await pilot.app.workers.wait_for_complete(busy)
        await pilot.pause()


async def _press(pilot: Pilot, pressed: list[str], *keys: str) -> None:
    for key in keys:
        pressed.append(key)
        await pilot.press(key)
        await _settle(pilot)


def _owed(pilot: Pilot) -> list[tuple[str, str, int]]:
    """(number, plate, due) of owed citations, most citations per plate first."""
    from clerk_tui.domain.citations.finders import owed_by_busiest_plates

    return owed_by_busiest_plates(session_of(pilot.app).db)


async def job_scan_pay(pilot: Pilot) -> list[str]:
    """Scan a citation's barcode (one key event), Enter takes the amount due, Enter on the
    empty tendered field is exact cash: 2 keys after the scan."""
    number = _owed(pilot)[-1][0]
    pressed = [f"<scan {number}>"]
    await pilot.press(WEDGE_PREFIX, *list(number), "enter")
    await _settle(pilot)
    await _press(pilot, pressed, "enter", "enter")
    return pressed


async def job_plate_pay_all(pilot: Pilot) -> list[str]:
    """F4, the plate, Enter: the plate's citations with status and amount due (the list is
    up after these keys); A puts all owed ones on one receipt, Enter = exact cash."""
    plate = _owed(pilot)[0][1]
    pressed: list[str] = []
    await _press(pilot, pressed, "f4", *list(plate), "enter")
    await _press(pilot, pressed, "a", "enter")
    return pressed
