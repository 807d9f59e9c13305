"""Keystroke bench job for payment batches (declared in the manifest's `bench_jobs`).

From the home screen (signed in; the bench's drawer is open but a batch needs none): F11, P
(the batches desk job), N, the control (3 stubs and their total), then each stub scanned and
taken with Enter (1 key per stub after the scan), Ctrl+Y and Y post it: three ordinary
receipts. The stubs are read from the database before the first key (not counted): the three
accounts owing the most, each paid its amount due.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from clerk_tui.session import session_of

if TYPE_CHECKING:
    from textual.pilot import Pilot

WEDGE_PREFIX = "ctrl+circumflex_accent"  # the default wedge prefix (RS)
STUBS = 3


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


def _stubs(pilot: Pilot) -> list[str]:
    from clerk_tui.domain.batches.demo import owing_stubs

    return owing_stubs(session_of(pilot.app).db, STUBS)


async def job_mail_batch_stubs(pilot: Pilot) -> list[str]:
    """A mail batch of three scanned stubs, each check for the stub's amount."""
    from clerk_tui.domain.scanlines import parse_scan

    stubs = _stubs(pilot)
    total = sum(parse_scan(s).value.amount_cents for s in stubs)
    pressed: list[str] = []
    await _press(pilot, pressed, "f11", "p", "n", *str(len(stubs)), "enter",
                 *f"{total // 100}.{total % 100:02d}", "enter")
    for stub in stubs:
        pressed.append(f"<scan {stub}>")
        await pilot.press(WEDGE_PREFIX, *list(stub), "enter")
        await _settle(pilot)
        await _press(pilot, pressed, "enter")
    await _press(pilot, pressed, "ctrl+y", "y")
    return pressed
