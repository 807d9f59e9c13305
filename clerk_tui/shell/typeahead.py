"""Type-ahead: keys reach the screens one at a time, each after the last one's effect landed.

A mixin of `ClerkApp` (clerk_tui/app.py); see `TypeAhead._deliver_key` for why.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from typing import TYPE_CHECKING

from textual.events import Key
from textual.widgets import Input

from clerk_tui.screens.base import ClerkScreen

if TYPE_CHECKING:
    from textual.app import App

    _Base = App[None]
else:
    _Base = object


class TypeAhead(_Base):
    """The key queue (`ClerkApp.on_event` hands every terminal key to `_deliver_key`)."""

    def _init_type_ahead(self) -> None:
        self._key_queue: deque[Key] = deque()
        self._key_wait = False
        self._key_task: asyncio.Task[None] | None = None

    async def _deliver_key(self, event: Key) -> None:
        """Type-ahead: typed keys reach the screens one at a time, each after the last one's
        effect has landed.

        Textual hands a key to the focused widget's own queue and goes on to the next key at
        once, while the effect of the first (a binding that opens another screen, an Enter
        that moves focus to the next field) lands later. A clerk who types ahead — or an SSH
        connection that delivers "F3 Enter 130 Enter" in one read — would lose keys or put them
        in the wrong field. So keys queue here. A printable key typed into a focused field goes
        straight through; any other key (Enter, Tab, F-keys, shortcuts) holds the queue until
        the app is idle again, and nothing is delivered to a screen that is still starting
        (`ClerkScreen.settled`).
        """
        self._key_queue.append(event)
        await self._pump_keys()

    def _keys_blocked(self) -> bool:
        screen = self.screen
        return isinstance(screen, ClerkScreen) and not screen.settled

    async def _pump_keys(self) -> None:
        while self._key_queue and not self._key_wait and not self._keys_blocked():
            key = self._key_queue.popleft()
            focused = self.focused
            typing = (isinstance(focused, Input) and key.is_printable
                      and key.character is not None)
            await super().on_event(key)
            if not typing:
                self._key_wait = True
                self._key_task = asyncio.get_running_loop().create_task(
                    self._keys_after_idle())
                return

    async def _keys_after_idle(self) -> None:
        try:
            await _until_idle(0.5)
        finally:
            self._key_wait = False
        if self._key_queue and self.is_running:
            self.call_later(self._pump_keys)

    def resume_keys(self) -> None:
        """A screen that was starting has settled: deliver the keys typed meanwhile."""
        if self._key_queue:
            self.call_later(self._pump_keys)


async def _until_idle(limit: float) -> None:
    """Wait until this process stops working (CPU time stalls against wall time) — the same
    test Textual's Pilot uses between keys — or `limit` seconds, whichever is first."""
    start = time.monotonic()
    while time.monotonic() - start < limit:
        cpu = time.process_time()
        await asyncio.sleep(0.01)
        if time.process_time() - cpu < 0.001:
            return

