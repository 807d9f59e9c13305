"""Scanners and scan routing: the keyboard-wedge assembler on every key, the serial reader
thread, and what a scan does (routed by what it means, clerk_tui/scanning.py).

A mixin of `ClerkApp` (clerk_tui/app.py).
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from textual.events import Key
from textual.screen import ModalScreen

from clerk_tui.domain.errors import ClerkError, ValidationError
from clerk_tui.domain.scanlines import parse_scan
from clerk_tui.hardware.scanner import KeyEvent as WedgeKey
from clerk_tui.hardware.scanner import ScanEvent
from clerk_tui.scanning import ScannerProblem, ScanReceived, scan_handler
from clerk_tui.screens.diagnostics import DiagnosticsScreen

if TYPE_CHECKING:
    from textual.app import App

    _Base = App[None]
else:
    _Base = object


class ScanRouting(_Base):
    """Keys through the wedge assembler; scans (wedge or serial) to the counter that handles
    their kind; a bad or untimely scan beeps and changes nothing."""

    # ---- keyboard-wedge scanner --------------------------------------------------------
    async def _feed_wedge(self, event: Key) -> None:
        assert self._wedge is not None
        self._wedge_held[(event.key, event.time)] = event
        await self._wedge_results(self._wedge.feed(event.key, event.time, event.character))

    async def _wedge_results(self, results: list[WedgeKey | ScanEvent]) -> None:
        """Pass typed keys on (the original events, in order); turn scans into messages."""
        assert self._wedge is not None
        for item in results:
            if isinstance(item, WedgeKey):
                key = self._wedge_held.pop((item.key, item.t), None) or Key(item.key,
                                                                           item.character)
                await self._deliver_key(key)
            else:
                burst = list(self._wedge_held.values())
                self._wedge_held.clear()
                await self._wedge_scan(item, burst)
        if not self._wedge.in_scan and self._wedge.deadline() is None:
            self._wedge_held.clear()  # keys swallowed into a finished scan
        self._arm_wedge_timer()

    def _arm_wedge_timer(self) -> None:
        """Held keys (timing mode) and an unfinished prefixed scan need a wake-up call."""
        if self._wedge_timer is not None:
            self._wedge_timer.stop()
            self._wedge_timer = None
        deadline = self._wedge.deadline() if self._wedge is not None else None
        if deadline is not None:
            delay = max(deadline - time.monotonic(), 0.001)
            self._wedge_timer = self.set_timer(delay, self._wedge_poll, name="wedge")

    async def _wedge_poll(self) -> None:
        self._wedge_timer = None
        if self._wedge is not None:
            await self._wedge_results(self._wedge.poll(time.monotonic()))

    async def _wedge_scan(self, scan: ScanEvent, burst: list[Key]) -> None:
        """A prefixed scan is always a scan. A burst found by timing is only a guess: when it
        is not a code we know, or nobody may scan now, the keys go on as typed."""
        if scan.via == "timing" and not self._timing_scan_wanted(scan.data):
            for key in burst:
                await self._deliver_key(key)
            return
        self.post_message(ScanReceived(scan.data, scan.raw.encode("latin-1", "replace"),
                                       via=scan.via, symbology=scan.symbology))

    def _timing_scan_wanted(self, data: str) -> bool:
        if isinstance(self.screen, DiagnosticsScreen):
            return True
        if self.actor is None or self.locked:
            return False
        try:
            kind = parse_scan(data).kind
        except ClerkError:
            return False
        return not isinstance(self.screen, ModalScreen) or kind in _dialog_takes(self.screen)

    # ---- serial scanner ----------------------------------------------------------------
    def _serial_scan(self, text: str) -> None:
        """Reader thread: one CR/LF frame. post_message is thread-safe."""
        scanner = self.station.devices.scanner
        raw = scanner.last_raw[-1] if scanner is not None and scanner.last_raw else \
            text.encode("latin-1", "replace")
        self.post_message(ScanReceived(text, bytes(raw), via="serial"))

    def _serial_error(self, text: str) -> None:
        self.post_message(ScannerProblem(text))

    def on_scanner_problem(self, message: ScannerProblem) -> None:
        self.notify(message.text, severity="warning", markup=False)

    # ---- what a scan does ----------------------------------------------------------------
    def on_scan_received(self, message: ScanReceived) -> None:
        """Route a scan by what it means; a bad or untimely scan beeps and changes nothing."""
        record = self.scan_log.add(message)
        screen = self.screen
        if isinstance(screen, DiagnosticsScreen):
            try:
                record.outcome = parse_scan(message.data).display
            except ClerkError as e:
                record.outcome = f"not recognised: {e}"
            screen.show_scans()
            return
        if self.actor is None or self.locked:
            record.outcome = "ignored (not signed in)" if self.actor is None else \
                "ignored (locked)"
            self.notify("Scan ignored: sign in first." if self.actor is None else
                        "Scan ignored: the terminal is locked.", severity="warning",
                        markup=False)
            return
        error: ValidationError | None = None
        try:
            result = parse_scan(message.data)
        except ValidationError as e:
            result, error = None, e
        if isinstance(screen, ModalScreen) and (
                result is None or result.kind not in _dialog_takes(screen)):
            record.outcome = "ignored (dialog open)"
            self._refuse_scan("Scan ignored: finish or close the open dialog first.")
            return
        if result is None:
            record.outcome = f"refused: {error}"
            self._refuse_scan(str(error))
            return
        handler = scan_handler(result.kind)
        if handler is None:
            record.outcome = f"{result.kind}: no counter handles it"
            self._refuse_scan(f"Scanned {result.display}, but no counter here handles "
                              f"{result.kind.replace('_', ' ')} scans yet.")
            return
        record.outcome = result.display
        handler(self, result)

    def _refuse_scan(self, message: str) -> None:
        self.bell()
        self.notify(message, title="Scan", severity="error", markup=False)


def _dialog_takes(screen: object) -> frozenset[str]:
    """The scan kinds a dialog asks for by name (`accepts_scans`, e.g. the front desk's list of
    visitors takes their badges); every other dialog takes none, so a scan never acts behind
    a dialog that did not ask for it."""
    kinds = getattr(screen, "accepts_scans", frozenset())
    return kinds if isinstance(kinds, frozenset) else frozenset()
