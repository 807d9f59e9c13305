"""Simulated devices: an ESC/POS printer with a drawer, and a serial scanner you can "scan" into.

The sandbox uses them so trainees see receipts and drawer kicks without real hardware, and the
tests use them to run the printer/drawer code paths unchanged. They record what they received
so a test, or the diagnostics screen in the sandbox, can show it.

A sim URL may carry a name and conditions, e.g. `sim:front?paper=out`, `sim:?drawer=stuck`,
`sim:?offline=1`, `sim:?silent=1` (never answers status), `sim:?autoclose=3` (drawer shuts
itself after 3 s). Devices with the same name share one simulated printer, so a drawer kicked
"via the printer" opens the printer's simulated drawer.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from urllib.parse import parse_qs, urlsplit

from clerk_tui.hardware.transports import DeviceError

_TRUE = {"1", "true", "yes", "on", "out", "stuck", "open"}


class SimPrinter:
    """An ESC/POS printer model: parses the stream, answers DLE EOT, opens its drawer on ESC p."""

    def __init__(self, name: str = "sim", *, paper_out: bool = False, paper_near_end: bool = False,
                 cover_open: bool = False, offline: bool = False, drawer_stuck: bool = False,
                 silent: bool = False, autoclose: float | None = None) -> None:
        self.name = name
        self.paper_out = paper_out
        self.paper_near_end = paper_near_end
        self.cover_open = cover_open
        self.offline = offline
        self.drawer_stuck = drawer_stuck
        self.silent = silent
        self.autoclose = autoclose
        self.received = bytearray()
        self.kicks: list[tuple[int, int]] = []  # (pin, pulse ms)
        self.cuts = 0
        self._drawer_open_since: float | None = None
        self._lines: list[str] = []
        self._line = bytearray()
        self._pending = bytearray()
        self.lock = threading.RLock()

    # -- state the app / tests may change ---------------------------------------------------
    @property
    def drawer_open(self) -> bool:
        with self.lock:
            since = self._drawer_open_since
            if since is not None and self.autoclose is not None and \
                    time.monotonic() - since >= self.autoclose:
                self._drawer_open_since = None
            return self._drawer_open_since is not None

    def close_drawer(self) -> None:
        with self.lock:
            self._drawer_open_since = None

    def open_drawer(self) -> None:
        with self.lock:
            self._drawer_open_since = time.monotonic()

    def printed_lines(self) -> list[str]:
        """Text lines printed so far (commands stripped), for the sandbox and tests."""
        with self.lock:
            return list(self._lines) + ([self._line.decode("latin-1")] if self._line else [])

    # -- the byte stream --------------------------------------------------------------------
    def receive(self, data: bytes) -> bytes:
        """Consume bytes; return any status replies the printer sends back."""
        with self.lock:
            self.received += data
            self._pending += data
            replies = bytearray()
            while self._pending:
                used, reply = self._step(bytes(self._pending))
                if used == 0:
                    break  # incomplete command: wait for more bytes
                del self._pending[:used]
                replies += reply
            return bytes(replies)

    def _accepting(self) -> bool:
        return not (self.offline or self.paper_out or self.cover_open)

    def _step(self, buf: bytes) -> tuple[int, bytes]:
        b = buf[0]
        if b == 0x10:  # DLE EOT n
            if len(buf) < 3:
                return 0, b""
            if buf[1] == 0x04:
                return 3, (b"" if self.silent else bytes([self.status_byte(buf[2])]))
            return 2, b""
        if b == 0x0A:
            self._end_line(1)
            return 1, b""
        if b == 0x1B:
            return self._esc(buf)
        if b == 0x1D:
            return self._gs(buf)
        if b >= 0x20 and self._accepting():
            self._line.append(b)
        return 1, b""

    def _end_line(self, n: int) -> None:
        if not self._accepting():
            return
        self._lines.append(self._line.decode("latin-1"))
        self._lines.extend([""] * max(0, n - 1))
        self._line.clear()

    def _esc(self, buf: bytes) -> tuple[int, bytes]:
        if len(buf) < 2:
            return 0, b""
        cmd = buf[1]
        if cmd == ord("@"):
            return 2, b""
        if cmd == ord("p"):
            if len(buf) < 5:
                return 0, b""
            pin = 2 if buf[2] in (0, 48) else 5
            self.kicks.append((pin, buf[3] * 2))
            if not self.drawer_stuck:
                self.open_drawer()
            return 5, b""
        if cmd == ord("d"):
            if len(buf) < 3:
                return 0, b""
            self._end_line(max(1, buf[2]))
            return 3, b""
        if cmd in b"aE!tM-J3":
            return (3, b"") if len(buf) >= 3 else (0, b"")
        return 2, b""

    def _gs(self, buf: bytes) -> tuple[int, bytes]:
        if len(buf) < 3:
            return 0, b""
        cmd = buf[1]
        if cmd == ord("k"):
            m = buf[2]
            if m >= 65:
                if len(buf) < 4 or len(buf) < 4 + buf[3]:
                    return 0, b""
                n = buf[3]
                if self._accepting():
                    data = buf[4:4 + n].decode("latin-1")
                    if data[:1] == "{":
                        data = data[2:]
                    self._lines.append(f"[barcode {data}]")
                return 4 + n, b""
            end = buf.find(b"\x00", 3)
            return (end + 1, b"") if end >= 0 else (0, b"")
        if cmd == ord("V"):
            if buf[2] in (65, 66):
                if len(buf) < 4:
                    return 0, b""
                self.cuts += 1
                return 4, b""
            self.cuts += 1
            return 3, b""
        return 3, b""

    def status_byte(self, n: int) -> int:
        """DLE EOT n reply: 0x12 plus the flag bits the real printers use."""
        b = 0x12
        if n == 1:
            b |= 0x04 if self.drawer_open else 0
            b |= 0x08 if not self._accepting() else 0
        elif n == 2:
            b |= 0x04 if self.cover_open else 0
            b |= 0x20 if self.paper_out else 0
        elif n == 4:
            b |= 0x0C if (self.paper_near_end or self.paper_out) else 0
            b |= 0x60 if self.paper_out else 0
        return b


_registry: dict[str, SimPrinter] = {}
_registry_lock = threading.Lock()


def sim_printer(name: str = "sim") -> SimPrinter:
    """The shared simulated printer of that name (created on first use)."""
    with _registry_lock:
        if name not in _registry:
            _registry[name] = SimPrinter(name)
        return _registry[name]


def shut_tills() -> None:
    """Push every simulated till shut, as the clerk does after handing over the change (the
    screen pictures of tests must not depend on how long the machine took to get there)."""
    with _registry_lock:
        printers = list(_registry.values())
    for p in printers:
        p.close_drawer()


def reset_sims() -> None:
    """Forget every simulated device (tests, sandbox reset)."""
    with _registry_lock:
        _registry.clear()


def _parse_sim_url(url: str) -> tuple[str, dict[str, str]]:
    parts = urlsplit(url)
    name = (parts.path or "").strip("/") or "sim"
    opts = {k: v[-1] for k, v in parse_qs(parts.query).items()}
    return name, opts


class SimTransport:
    """A transport whose far end is a SimPrinter (never blocks, never needs 7-bit)."""

    bidirectional = True
    requires_7bit = False

    def __init__(self, url: str = "sim:") -> None:
        self.url = url
        name, opts = _parse_sim_url(url)
        self.device = sim_printer(name)
        d = self.device
        for key, attr in (("paper", "paper_out"), ("offline", "offline"), ("cover", "cover_open"),
                          ("drawer", "drawer_stuck"), ("silent", "silent"),
                          ("paper_low", "paper_near_end")):
            if key in opts:
                setattr(d, attr, opts[key].lower() in _TRUE)
        if "autoclose" in opts:
            d.autoclose = float(opts["autoclose"])
        self._replies = bytearray()

    def write(self, data: bytes, timeout: float = 5.0) -> None:
        self._replies += self.device.receive(data)

    def query(self, request: bytes, size: int, timeout: float = 1.0) -> bytes:
        self._replies.clear()
        self._replies += self.device.receive(request)
        out = bytes(self._replies[:size])
        del self._replies[:size]
        return out

    def close(self) -> None:
        pass


class SimScanner:
    """A serial scanner stand-in: `scan(text)` delivers text as if a barcode was read."""

    url = "sim:"

    def __init__(self, on_scan: Callable[[str], None]) -> None:
        self.on_scan = on_scan
        self.last_raw: list[bytes] = []
        self.running = False

    def start(self) -> SimScanner:
        self.running = True
        return self

    def scan(self, text: str) -> None:
        if not self.running:
            raise DeviceError("The simulated scanner is not running")
        self.last_raw.append(text.encode("utf-8") + b"\r")
        self.on_scan(text)

    def stop(self, timeout: float = 1.0) -> None:
        self.running = False
