"""Serial barcode scanner: a reader thread on a pyserial URL, one callback per CR/LF frame.

The callback runs on the reader thread; the app's callback should only post a message to the
UI (Textual's `post_message` / `call_from_thread` are thread-safe). A scanner that is
unplugged is retried every `retry_interval` seconds and reported through `on_error`, so a
loose cable never stops the counter.
"""

from __future__ import annotations

import contextlib
import threading
from collections import deque
from collections.abc import Callable
from typing import TYPE_CHECKING

from clerk_tui.hardware.scanner import strip_aim
from clerk_tui.hardware.transports import SerialSettings, describe

if TYPE_CHECKING:
    import serial

MAX_FRAME = 512


class SerialScanner:
    """`SerialScanner(url, on_scan).start()` … `.stop()`; `last_raw` keeps recent frames."""

    def __init__(self, url: str, on_scan: Callable[[str], None], *,
                 settings: SerialSettings | None = None,
                 on_error: Callable[[str], None] | None = None,
                 strip_aim_ids: bool = True, retry_interval: float = 2.0) -> None:
        self.url = url
        self.on_scan = on_scan
        self.on_error = on_error
        self.settings = settings or SerialSettings()
        self.strip_aim_ids = strip_aim_ids
        self.retry_interval = retry_interval
        self.last_raw: deque[bytes] = deque(maxlen=20)
        self.last_error: str | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._port: serial.SerialBase | None = None
        self.connected = threading.Event()

    def start(self) -> SerialScanner:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name=f"scanner {self.url}",
                                            daemon=True)
            self._thread.start()
        return self

    def stop(self, timeout: float = 2.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def _open(self) -> serial.SerialBase:
        import serial  # pyserial: loaded when the scanner thread starts

        s = self.settings
        port = serial.serial_for_url(self.url, do_not_open=True)
        port.baudrate, port.bytesize, port.parity, port.stopbits = (
            s.baudrate, s.bytesize, s.parity, s.stopbits)
        port.rtscts = s.flow == "rtscts"
        port.xonxoff = s.flow == "xonxoff"
        port.timeout = 0.1
        port.open()
        return port

    def _error(self, text: str) -> None:
        if text != self.last_error:
            self.last_error = text
            if self.on_error is not None:
                self.on_error(text)

    def _run(self) -> None:
        import serial  # pyserial: loaded when the scanner thread starts

        buf = bytearray()
        while not self._stop.is_set():
            if self._port is None:
                try:
                    self._port = self._open()
                    self.last_error = None
                    self.connected.set()
                except (serial.SerialException, OSError, ValueError) as exc:
                    self._error(f"Scanner at {describe(self.url)} unavailable: {exc}")
                    self._stop.wait(self.retry_interval)
                    continue
            try:
                chunk = self._port.read(256)
            except (serial.SerialException, OSError) as exc:
                self._error(f"Scanner at {describe(self.url)} lost: {exc}")
                self._close_port()
                self.connected.clear()
                buf.clear()
                continue
            if not chunk:
                continue
            buf += chunk
            self._frames(buf)
        self._close_port()

    def _frames(self, buf: bytearray) -> None:
        while True:
            ends = [i for i in (buf.find(b"\r"), buf.find(b"\n")) if i >= 0]
            if not ends:
                if len(buf) > MAX_FRAME:  # no terminator in sight: noise, drop it
                    self.last_raw.append(bytes(buf))
                    buf.clear()
                return
            end = min(ends)
            frame = bytes(buf[:end])
            del buf[:end + 1]
            if not frame:
                continue  # second half of CR LF, or an empty line
            self.last_raw.append(frame)
            text = frame.decode("latin-1")
            if self.strip_aim_ids:
                text = strip_aim(text)[0]
            try:
                self.on_scan(text)
            except Exception as exc:  # a broken handler must not kill the reader
                self._error(f"Scan handler failed: {exc}")

    def _close_port(self) -> None:
        port, self._port = self._port, None
        if port is not None:
            with contextlib.suppress(Exception):
                port.close()
