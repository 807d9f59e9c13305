"""The cash drawer: kick it, confirm it opened where the hardware can tell, retry once.

Most drawers hang off the receipt printer's kick connector (ESC p) and report their switch on
pin 3 through DLE EOT 1; some are serial drawers of their own that open on a byte string and
report nothing. `kick()` returns a DrawerResult the app shows, and warns on when a cash sale
finishes with a drawer that never opened.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from clerk_tui.hardware.escpos import EscPos, UnsafePayload
from clerk_tui.hardware.printer import Printer
from clerk_tui.hardware.transports import DeviceError, Transport


@dataclass(frozen=True)
class DrawerResult:
    """opened: True = confirmed open, False = it never opened (or could not be reached),
    None = pulse sent but this drawer cannot report (no sensor / one-way transport)."""

    opened: bool | None
    attempts: int
    message: str

    @property
    def ok(self) -> bool:
        return self.opened is not False


class Drawer:
    """A drawer kicked through a Printer (`printer=`) or its own transport (`transport=`)."""

    def __init__(self, *, printer: Printer | None = None, transport: Transport | None = None,
                 pin: int = 2, pulse_ms: int = 50, command: bytes | None = None,
                 confirm_timeout: float = 1.0, poll_interval: float = 0.1) -> None:
        if (printer is None) == (transport is None):
            raise ValueError("a drawer is driven by a printer or by its own transport")
        if pin not in (2, 5):
            raise ValueError("drawer pin must be 2 or 5")
        self.printer = printer
        self.transport = transport if transport is not None else printer.transport  # type: ignore[union-attr]
        self.pin = pin
        self.pulse_ms = pulse_ms
        self.command = command
        self.confirm_timeout = confirm_timeout
        self.poll_interval = poll_interval
        self.lock = printer.lock if printer is not None else threading.RLock()
        self.last_result: DrawerResult | None = None

    @property
    def url(self) -> str:
        return self.transport.url

    @property
    def can_confirm(self) -> bool:
        return self.printer is not None and self.printer.check_status

    def kick_bytes(self) -> bytes:
        """What we send: the configured command for a serial drawer, else ESC p."""
        if self.command is not None and self.printer is None:
            return self.command
        return EscPos(safe7=self.transport.requires_7bit).kick(self.pin, self.pulse_ms).bytes()

    def state(self) -> bool | None:
        """True open / False closed / None unknown — for the status bar."""
        if not self.can_confirm:
            return None
        assert self.printer is not None
        st = self.printer.status()
        return st.drawer_open if st.known else None

    def kick(self) -> DrawerResult:
        """Open the drawer. Never raises for a device problem."""
        with self.lock:
            result = self._kick()
            self.last_result = result
            return result

    def _kick(self) -> DrawerResult:
        if self.can_confirm and self.state() is True:
            return DrawerResult(True, 0, "Drawer was already open")
        try:
            data = self.kick_bytes()
        except UnsafePayload as exc:
            return DrawerResult(False, 0, f"Drawer not opened: {exc}")
        for attempt in (1, 2):
            try:
                self.transport.write(data, 3.0)
            except DeviceError as exc:
                if attempt == 2:
                    return DrawerResult(False, attempt, f"Drawer not opened: {exc}")
                continue
            if not self.can_confirm:
                return DrawerResult(None, attempt, "Drawer kicked (it cannot report whether it opened)")
            seen = self._wait_open()
            if seen is True:
                return DrawerResult(True, attempt, "Drawer open")
            if seen is None:
                return DrawerResult(None, attempt, "Drawer kicked (printer did not report the drawer)")
        return DrawerResult(False, 2, "Drawer did not open after two tries: open it with the key")

    def _wait_open(self) -> bool | None:
        deadline = time.monotonic() + self.confirm_timeout
        state = self.state()
        while state is not True and time.monotonic() < deadline:
            time.sleep(self.poll_interval)
            state = self.state()
        return state

    def close(self) -> None:
        if self.printer is None:
            self.transport.close()
