"""The till watch: while the cash drawer is known open, ask the printer now and then until it
is shut, so the status bar shows the clerk closed it (device traffic only, off the UI thread).

A mixin of `ClerkApp` (clerk_tui/app.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.app import App

    _Base = App[None]
else:
    _Base = object


class TillWatch(_Base):
    """Polls the drawer state in a thread worker while the till is open."""

    def _watch_till(self) -> None:
        """While the drawer is known open, ask the printer now and then until it is shut, so
        the status bar shows the clerk closed it. Device traffic only: nothing is redrawn
        (or sent over SSH) until the state changes."""
        drawer = self.station.devices.drawer
        if drawer is None or not drawer.can_confirm or self._till_timer is not None:
            return
        self._till_timer = self.set_interval(1.5, self._poll_till, name="till")

    def _poll_till(self) -> None:
        self.run_worker(self._till_state_worker, thread=True, exclusive=True, group="till")

    def _till_state_worker(self) -> None:
        drawer = self.station.devices.drawer
        state = drawer.state() if drawer is not None else None
        self.call_from_thread(self._till_polled, state)

    def _till_polled(self, state: bool | None) -> None:
        self.note_drawer_state(state)
        if state is not True and self._till_timer is not None:
            self._till_timer.stop()
            self._till_timer = None
