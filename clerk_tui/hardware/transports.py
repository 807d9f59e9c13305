"""Byte pipes to devices, chosen by a URL so one setting covers every arrangement.

- pyserial URLs: `/dev/ttyUSB0`, `socket://host:9100`, `rfc2217://host:port`, `loop://` …
- `terminal:`  ANSI printer-controller mode through the clerk's own terminal (write-only);
- `sim:`       an in-process simulated printer (see sim.py);
- `none` / ""  no device.

Every call is blocking, bounded by a timeout and serialised by a lock, so Textual workers (or
any thread) may share one transport. Failures raise DeviceError with a sentence a clerk or a
city IT tech can act on; the port is closed and reopened on the next call, so unplugging and
replugging a printer needs no restart.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from clerk_tui.hardware.escpos import check_7bit_safe

if TYPE_CHECKING:
    import serial

MEDIA_COPY_ON = "\x1b[5i"
MEDIA_COPY_OFF = "\x1b[4i"


class DeviceError(Exception):
    """A device could not be reached or refused the job; str() is shown to the clerk."""


@dataclass(frozen=True)
class SerialSettings:
    """Line settings for real serial ports (ignored by socket:// and sim:)."""

    baudrate: int = 9600
    bytesize: int = 8
    parity: str = "N"
    stopbits: float = 1
    flow: str = "none"  # none | rtscts | dsrdtr | xonxoff


class Transport(Protocol):
    url: str
    bidirectional: bool
    requires_7bit: bool

    def write(self, data: bytes, timeout: float = 5.0) -> None: ...
    def query(self, request: bytes, size: int, timeout: float = 1.0) -> bytes: ...
    def close(self) -> None: ...


def describe(url: str) -> str:
    """A short human name for a device URL, for messages and the diagnostics screen."""
    if url.startswith("socket://"):
        return f"network {url[9:]}"
    if url.startswith("rfc2217://"):
        return f"serial server {url[10:].split('?')[0]}"
    if url.startswith("terminal:"):
        return "this terminal's printer port"
    if url.startswith("sim:"):
        return "simulated device"
    return url


class SerialTransport:
    """Any pyserial URL. Opened lazily, reopened after an error, exclusive on local ports."""

    bidirectional = True
    requires_7bit = False

    def __init__(self, url: str, settings: SerialSettings | None = None,
                 open_timeout: float = 3.0) -> None:
        self.url = url
        self.settings = settings or SerialSettings()
        self.open_timeout = open_timeout
        self._port: serial.SerialBase | None = None
        self._lock = threading.RLock()

    def _open(self) -> serial.SerialBase:
        import serial  # pyserial: loaded when a serial device is first used

        if self._port is not None and self._port.is_open:
            return self._port
        s = self.settings
        url = self.url
        if url.startswith("rfc2217://") and "timeout=" not in url:
            url += ("&" if "?" in url else "?") + f"timeout={self.open_timeout:g}"
        try:
            port = serial.serial_for_url(url, do_not_open=True)
            port.baudrate = s.baudrate
            port.bytesize = s.bytesize
            port.parity = s.parity
            port.stopbits = s.stopbits
            port.rtscts = s.flow == "rtscts"
            port.dsrdtr = s.flow == "dsrdtr"
            port.xonxoff = s.flow == "xonxoff"
            # Fixed for the port's life: changing it on an open rfc2217 port renegotiates
            # every line setting with the server (a network round trip each time).
            port.timeout = 0.05
            _set_write_timeout(port, 5.0)
            if isinstance(port, serial.Serial):
                port.exclusive = True
            port.open()
        except (serial.SerialException, OSError, ValueError) as exc:
            raise DeviceError(_open_failure(self.url, exc)) from exc
        self._port = port
        return port

    def _fail(self, what: str, exc: BaseException) -> DeviceError:
        self.close()
        return DeviceError(f"{what} {describe(self.url)} failed: {_reason(exc)}")

    def write(self, data: bytes, timeout: float = 5.0) -> None:
        """Write all of data or raise; a printer holding flow control (offline, busy) makes
        this time out instead of hanging."""
        import serial  # pyserial: loaded when a serial device is first used

        with self._lock:
            port = self._open()
            try:
                _set_write_timeout(port, timeout)
                # no flush(): on a real port it is tcdrain(), which waits without a timeout
                # for a printer that holds CTS low; the write timeout is our bound instead
                port.write(data)
            except serial.SerialTimeoutException as exc:
                self.close()
                raise DeviceError(
                    f"{describe(self.url)} is not accepting data (busy, offline or paused)"
                ) from exc
            except (serial.SerialException, OSError) as exc:
                raise self._fail("Writing to", exc) from exc

    def query(self, request: bytes, size: int, timeout: float = 1.0) -> bytes:
        """Write a request and read up to `size` reply bytes within `timeout` (may be short)."""
        import serial  # pyserial: loaded when a serial device is first used

        with self._lock:
            port = self._open()
            try:
                _drain(port)
                _set_write_timeout(port, timeout)
                port.write(request)
                return _read_until(port, size, timeout)
            except serial.SerialTimeoutException as exc:
                self.close()
                raise DeviceError(f"{describe(self.url)} is not accepting data") from exc
            except (serial.SerialException, OSError) as exc:
                raise self._fail("Asking", exc) from exc

    def read(self, size: int, timeout: float) -> bytes:
        import serial  # pyserial: loaded when a serial device is first used

        with self._lock:
            port = self._open()
            try:
                return _read_until(port, size, timeout)
            except (serial.SerialException, OSError) as exc:
                raise self._fail("Reading from", exc) from exc

    def close(self) -> None:
        with self._lock:
            port, self._port = self._port, None
            if port is not None:
                # closing a dead port must not mask the first error
                with contextlib.suppress(Exception):
                    port.close()


def _set_write_timeout(port: serial.SerialBase, timeout: float) -> None:
    """pyserial's rfc2217 client has no write timeout (its socket has its own); others do."""
    if type(port).__module__.endswith("rfc2217"):
        return  # setting it would make open() raise NotImplementedError
    if port.write_timeout != timeout:
        port.write_timeout = timeout


def _drain(port: serial.SerialBase) -> None:
    """Drop stale input (a late reply to an earlier query) locally: rfc2217's
    reset_input_buffer() would wait for a network round trip to purge the server's buffer."""
    for _ in range(64):
        waiting = port.in_waiting
        if not waiting or not port.read(waiting):
            break


def _read_until(port: serial.SerialBase, size: int, timeout: float) -> bytes:
    deadline = time.monotonic() + timeout
    out = bytearray()
    while len(out) < size:
        left = deadline - time.monotonic()
        if left <= 0:
            break
        out += port.read(size - len(out))  # port.timeout is a short fixed slice (see _open)
    return bytes(out)


def _reason(exc: BaseException) -> str:
    text = str(exc)
    if isinstance(exc, OSError) and exc.strerror:
        text = exc.strerror
    return text or type(exc).__name__


def _open_failure(url: str, exc: BaseException) -> str:
    text = str(exc)
    low = text.lower()
    where = describe(url)
    if "no such file" in low or ("could not open port" in low and "errno 2" in low):
        return f"No device at {where} (unplugged or wrong port?)"
    if "connection refused" in low:
        return f"{where} refused the connection (serial server down or port in use)"
    if "resource temporarily unavailable" in low or "busy" in low or "[errno 11]" in low:
        return f"{where} is busy (another program has it open)"
    if "waiting for option 'control'" in low:
        return (f"{where} ignored a modem-control request: add ?ign_set_control to the URL "
                "(ser2net without modem lines)")
    if "timed out" in low or "timeout" in low:
        return f"{where} did not answer (network down or device off?)"
    if "permission denied" in low:
        return f"No permission to open {where} (add the user to the dialout group)"
    return f"Cannot open {where}: {text}"


class TerminalTransport:
    """Print through the clerk's terminal: ESC [ 5 i, payload, ESC [ 4 i, written as ONE block
    so nothing the UI draws can land inside the print job.

    `sink` receives that block as a str (the app passes a function that hands it to Textual's
    driver writer, which keeps it in order with screen updates). Without a sink the block is
    written to /dev/tty. The payload must be 7-bit safe: see escpos.UNSAFE_7BIT.
    """

    bidirectional = False
    requires_7bit = True

    def __init__(self, url: str = "terminal:", sink: Callable[[str], None] | None = None) -> None:
        self.url = url
        self.sink = sink
        self._lock = threading.Lock()

    @staticmethod
    def frame(data: bytes) -> str:
        """The exact text sent to the terminal for one print job; raises UnsafePayload."""
        check_7bit_safe(data)
        return MEDIA_COPY_ON + data.decode("ascii") + MEDIA_COPY_OFF

    def write(self, data: bytes, timeout: float = 5.0) -> None:
        block = self.frame(data)
        with self._lock:
            if self.sink is not None:
                self.sink(block)
                return
            try:
                fd = os.open("/dev/tty", os.O_WRONLY | os.O_NOCTTY)
            except OSError as exc:
                raise DeviceError("No terminal to print through (not running in a terminal)") from exc
            try:
                raw = block.encode("ascii")
                while raw:
                    raw = raw[os.write(fd, raw):]
            finally:
                os.close(fd)

    def query(self, request: bytes, size: int, timeout: float = 1.0) -> bytes:
        """The terminal path is one-way: a status reply would arrive as keystrokes."""
        return b""

    def close(self) -> None:
        pass


class NullTransport:
    """No device configured: every job fails with a plain sentence, nothing hangs."""

    bidirectional = False
    requires_7bit = False

    def __init__(self, url: str = "none", what: str = "device") -> None:
        self.url = url
        self.what = what

    def write(self, data: bytes, timeout: float = 5.0) -> None:
        raise DeviceError(f"No {self.what} is configured for this workstation")

    def query(self, request: bytes, size: int, timeout: float = 1.0) -> bytes:
        raise DeviceError(f"No {self.what} is configured for this workstation")

    def close(self) -> None:
        pass


def open_transport(url: str, settings: SerialSettings | None = None, *,
                   terminal_sink: Callable[[str], None] | None = None,
                   what: str = "device") -> Transport:
    """Build (but do not yet open) the transport a URL names."""
    url = (url or "").strip()
    if url in ("", "none"):
        return NullTransport(url or "none", what)
    if url.startswith("terminal:"):
        return TerminalTransport(url, terminal_sink)
    if url.startswith("sim:"):
        from clerk_tui.hardware.sim import SimTransport

        return SimTransport(url)
    return SerialTransport(url, settings)
