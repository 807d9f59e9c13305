"""Shared helpers for the kit's tests: settle after keys, read the screen as text."""

from __future__ import annotations

from textual.pilot import Pilot

from tests.ui.conftest import SIZE, screen_text

__all__ = ["SIZE", "keys", "screen_text", "settle"]


async def settle(pilot: Pilot) -> None:
    for _ in range(3):
        busy = [w for w in pilot.app.workers if not w.is_finished]
        if busy:
            await pilot.app.workers.wait_for_complete(busy)
        await pilot.pause()


async def keys(pilot: Pilot, *pressed: str) -> None:
    for key in pressed:
        await pilot.press(key)
        await settle(pilot)
