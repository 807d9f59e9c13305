"""A fake ESC/POS receipt printer on the far end of a pty: records every byte it receives,
answers DLE EOT n status requests the way Epson TM printers do, and "opens its drawer" on
ESC p. Conditions (paper out, cover open, offline, drawer stuck, silent) are plain attributes
a test flips while it runs.

Written independently of clerk_tui.hardware.sim on purpose: the code under test must agree
with a second reading of the ESC/POS manual, not with itself.
"""

from __future__ import annotations

import os
import select
import termios
import threading
import time
import tty


class FakeEscposPrinter:
    def __init__(self, device: str) -> None:
        self.device = device
        self.fd = os.open(device, os.O_RDWR | os.O_NOCTTY | os.O_NONBLOCK)
        tty.setraw(self.fd)
        attrs = termios.tcgetattr(self.fd)
        attrs[3] &= ~termios.ECHO
        termios.tcsetattr(self.fd, termios.TCSANOW, attrs)
        self.received = bytearray()
        self.kicks: list[tuple[int, int, int]] = []  # (m, t1, t2)
        self.queries: list[int] = []
        self.paper_out = False
        self.paper_near_end = False
        self.cover_open = False
        self.offline = False
        self.drawer_open = False
        self.drawer_stuck = False
        self.silent = False
        self._pos = 0
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._run, daemon=True, name="fake printer")

    def start(self) -> FakeEscposPrinter:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(2)
        os.close(self.fd)

    def data(self) -> bytes:
        with self._lock:
            return bytes(self.received)

    def wait_for(self, needle: bytes, timeout: float = 5.0) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if needle in self.data():
                return True
            time.sleep(0.01)
        return False

    # Epson "DLE EOT n" replies: 0b0xx1xx10 with the documented flag bits.
    def status(self, n: int) -> int:
        b = 0b0001_0010
        if n == 1:
            if self.drawer_open:
                b |= 1 << 2  # pin 3 high
            if self.offline or self.paper_out or self.cover_open:
                b |= 1 << 3  # offline
        elif n == 2:
            if self.cover_open:
                b |= 1 << 2
            if self.paper_out:
                b |= 1 << 5  # printing stopped by paper end
        elif n == 3:
            pass
        elif n == 4:
            if self.paper_near_end or self.paper_out:
                b |= 0b11 << 2
            if self.paper_out:
                b |= 0b11 << 5
        return b

    def _run(self) -> None:
        while not self._stop.is_set():
            r, _, _ = select.select([self.fd], [], [], 0.05)
            if not r:
                continue
            try:
                chunk = os.read(self.fd, 4096)
            except BlockingIOError:
                continue
            except OSError:
                time.sleep(0.05)
                continue
            with self._lock:
                self.received += chunk
            self._interpret()

    def _interpret(self) -> None:
        buf = self.received
        i = self._pos
        while i < len(buf):
            b = buf[i]
            if b == 0x10:
                if i + 2 >= len(buf):
                    break
                if buf[i + 1] == 0x04:
                    n = buf[i + 2]
                    self.queries.append(n)
                    if not self.silent:
                        os.write(self.fd, bytes([self.status(n)]))
                    i += 3
                    continue
            elif b == 0x1B:
                if i + 1 >= len(buf):
                    break
                if buf[i + 1] == ord("p"):
                    if i + 4 >= len(buf):
                        break
                    self.kicks.append((buf[i + 2], buf[i + 3], buf[i + 4]))
                    if not self.drawer_stuck and not self.offline:
                        self.drawer_open = True
                    i += 5
                    continue
            i += 1
        self._pos = i
