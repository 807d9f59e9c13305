"""The workstation's devices as the app uses them: building the station from the config,
printing through the clerk's own terminal (the `terminal:` print sink), and what the drawer
and printer said after a sale (status bar and warnings; the till watch in shell/till.py).

A mixin of `ClerkApp` (clerk_tui/app.py).
"""

from __future__ import annotations

import threading
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from typing import TYPE_CHECKING

from clerk_tui.config import Config
from clerk_tui.hardware.drawer import DrawerResult
from clerk_tui.hardware.scanner import WedgeAssembler
from clerk_tui.hardware.transports import DeviceError
from clerk_tui.station import Station, StationResult

if TYPE_CHECKING:
    from textual.app import App

    _Base = App[None]
else:
    _Base = object

TERMINAL_PRINT_TIMEOUT = 10.0
"""Seconds a worker waits for the UI thread to hand a `terminal:` print job to the writer."""


class Devices(_Base):
    """Station, wedge, terminal printing, drawer/printer results and the drawer-kick audit."""

    # ---- devices: building, printing through the terminal, closing -------------------------
    def _build_station(self) -> Station:
        """The workstation's devices from the config file (sim in the sandbox, always).

        A dict config (tests, or no file) has no device sections: simulated devices, as
        Station.build gives for no configuration. Nothing is opened until first use.
        """
        config = self.config if isinstance(self.config, Config) else None
        return Station.build(self.workstation, config, sandbox=self.sandbox,
                             ssh_address=self.ssh_address, terminal_sink=self._terminal_sink)

    def _build_wedge(self) -> WedgeAssembler | None:
        """The keyboard-wedge assembler, or None for a serial scanner.

        Burst timing is only a fallback for local terminals: over SSH the network batches
        keys, so typed-ahead text would look like a scan. It is used only when a config file
        asks for it (`timing = true`, the file's default) and the session is not over SSH;
        without a file only the prefix (default Ctrl+^) marks a scan.
        """
        wedge = self.station.devices.wedge
        if wedge is None:
            return None
        timing = (isinstance(self.config, Config) and wedge.use_timing
                  and self.ssh_address is None)
        self.wedge_timing = bool(timing)
        return WedgeAssembler(prefix=wedge.prefix, suffixes=wedge.suffixes,
                              max_gap=wedge.max_gap, min_length=wedge.min_length,
                              use_timing=self.wedge_timing)

    def _terminal_sink(self, block: str) -> None:
        """`terminal:` printing: hand the ESC[5i…ESC[4i block to Textual's own writer.

        Called from worker threads, so it is marshalled onto the UI thread: there the block
        goes out as one write between screen updates, never inside one (a second writer on
        the tty could split an escape sequence and print screen garbage)."""
        loop = self._loop
        if self._driver is None or loop is None:
            raise DeviceError("The terminal is not ready to print (the app is not running)")
        if threading.get_ident() == self._thread_id:
            self._write_to_terminal(block)
            return
        # Not call_from_thread: it waits forever, and a worker printing while the app shuts
        # down must get an answer, not hang.
        done: Future[None] = Future()

        def write() -> None:
            try:
                self._write_to_terminal(block)
            except BaseException as e:  # handed back to the worker that asked
                done.set_exception(e)
            else:
                done.set_result(None)

        try:
            loop.call_soon_threadsafe(write)
            done.result(timeout=TERMINAL_PRINT_TIMEOUT)
        except RuntimeError as e:  # the loop has closed
            raise DeviceError("The terminal is not ready to print (the app is closing)") from e
        except FutureTimeout as e:
            raise DeviceError("The terminal did not take the print job in time") from e

    def _write_to_terminal(self, block: str) -> None:
        driver = self._driver
        if driver is None:
            raise DeviceError("The terminal is not ready to print (the app is not running)")
        driver.write(block)
        driver.flush()

    # ---- drawer and printer results ----------------------------------------------------
    def report_station_result(self, result: StationResult, duplicate: bool = False) -> None:
        """What the devices said after a payment or reprint (UI thread): the till state in the
        status bar, a warning when a cash sale ended with a drawer that never opened, an
        error when the receipt did not print (it can be reprinted)."""
        drawer = result.drawer
        if drawer is not None:
            self.note_drawer_result(drawer)
        for message in result.messages:
            is_drawer = drawer is not None and not drawer.ok and \
                message.startswith(drawer.message)
            if is_drawer:
                self.notify(f"Receipt {result.receipt_number}: the cash drawer never opened. "
                            f"{message}", title="Cash drawer", severity="warning",
                            markup=False, timeout=15)
            else:
                self.notify(message, title="Receipt printer", severity="error", markup=False,
                            timeout=15)

    def note_drawer_result(self, result: DrawerResult) -> None:
        """After a kick: "open" (confirmed), "shut" (never opened), "?" (cannot tell)."""
        self.note_drawer_state(result.opened)
        if result.opened is True:
            self._watch_till()

    def note_drawer_state(self, opened: bool | None) -> None:
        state = {True: "open", False: "shut"}.get(opened, "?")  # type: ignore[arg-type]
        if state != self.till_state:
            self.till_state = state
            self.refresh_status()
