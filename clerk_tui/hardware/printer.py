"""The receipt printer: ask its status, print a receipt, report plainly.

Blocking and thread-safe: the app calls these from a Textual worker. Every call returns within
its timeouts and never raises for a device problem: a missing, busy, offline or paper-out
printer comes back as a `PrintResult` with `ok=False` and a message for the clerk. The payment
is already committed when we get here, so the only consequence of a failure is "reprint".
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from clerk_tui.hardware.escpos import (
    STATUS_OFFLINE,
    STATUS_PAPER,
    STATUS_PRINTER,
    PrinterStatus,
    UnsafePayload,
    decode_status,
    status_request,
)
from clerk_tui.hardware.receipt import ReceiptDoc, diagnostic_page, render_escpos
from clerk_tui.hardware.transports import DeviceError, Transport, describe


@dataclass(frozen=True)
class PrintResult:
    ok: bool
    message: str
    status: PrinterStatus | None = None
    bytes_sent: int = 0


class Printer:
    """One ESC/POS printer behind any transport.

    `check_status`: ask DLE EOT before (and after) printing and refuse to print into a printer
    that says it cannot; turn it off for printers without a back channel. Over `terminal:` it
    is always off (the reply would arrive as keystrokes).
    """

    def __init__(self, transport: Transport, *, columns: int = 42, check_status: bool = True,
                 drawer_open_level: str = "high", status_timeout: float = 0.8,
                 write_timeout: float = 10.0) -> None:
        self.transport = transport
        self.columns = columns
        self.check_status = check_status and transport.bidirectional
        self.drawer_open_level = drawer_open_level
        self.status_timeout = status_timeout
        self.write_timeout = write_timeout
        self.lock = threading.RLock()
        self.last_status: PrinterStatus | None = None

    @property
    def url(self) -> str:
        return self.transport.url

    @property
    def safe7(self) -> bool:
        return self.transport.requires_7bit

    @property
    def reports_status(self) -> bool:
        return self.transport.bidirectional

    def status(self, timeout: float | None = None) -> PrinterStatus:
        """Ask the printer (DLE EOT 1, 2, 4). Never raises; unknown when it cannot tell."""
        if not self.transport.bidirectional:
            return PrinterStatus(known=False, detail=f"{describe(self.url)} does not report status")
        t = self.status_timeout if timeout is None else timeout
        replies: dict[int, int] = {}
        with self.lock:
            try:
                for n in (STATUS_PRINTER, STATUS_OFFLINE, STATUS_PAPER):
                    reply = self.transport.query(status_request(n), 1, t)
                    if not reply:
                        if not replies:
                            st = PrinterStatus(known=False, detail=(
                                f"Printer at {describe(self.url)} did not answer "
                                "(off, unplugged or wrong port?)"))
                            self.last_status = st
                            return st
                        break
                    replies[n] = reply[0]
            except DeviceError as exc:
                st = PrinterStatus(known=False, detail=str(exc))
                self.last_status = st
                return st
        st = decode_status(replies, drawer_open_level=self.drawer_open_level)
        self.last_status = st
        return st

    def print_bytes(self, data: bytes) -> PrintResult:
        """Send one finished job. Checks status first (when enabled) so a paper-out printer
        gets a clear refusal rather than a silently lost receipt."""
        with self.lock:
            before = None
            if self.check_status:
                before = self.status()
                if not before.known:
                    return PrintResult(False, f"Receipt not printed: {before.message}", before)
                if not before.ready:
                    return PrintResult(False, f"Receipt not printed: {before.message}", before)
            try:
                self.transport.write(data, self.write_timeout)
            except UnsafePayload as exc:
                return PrintResult(False, f"Receipt not printed: {exc}", before)
            except DeviceError as exc:
                return PrintResult(False, f"Receipt not printed: {exc}", before)
            if not self.check_status:
                return PrintResult(True, "Sent to printer", None, len(data))
            after = self.status()
            if after.known and (after.paper_out or after.cover_open or after.error):
                return PrintResult(False, f"Receipt may be incomplete: {after.message}; reprint it",
                                   after, len(data))
            note = " (paper low)" if after.paper_near_end else ""
            return PrintResult(True, "Printed" + note, after, len(data))

    def print_receipt(self, doc: ReceiptDoc, *, kick: tuple[int, int] | None = None) -> PrintResult:
        """Render and print a receipt; `kick=(pin, pulse_ms)` opens the drawer in the same job."""
        try:
            data = render_escpos(doc, self.columns, safe7=self.safe7, kick=kick)
        except (UnsafePayload, ValueError) as exc:
            return PrintResult(False, f"Receipt not printed: {exc}")
        return self.print_bytes(data)

    def print_test_page(self) -> PrintResult:
        return self.print_bytes(diagnostic_page(self.columns, safe7=self.safe7))

    def close(self) -> None:
        with self.lock:
            self.transport.close()
