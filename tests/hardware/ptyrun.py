"""Run a program in a real pty and watch every byte it writes (reusable: the printer
pass-through test runs a small Textual app with it today and can launch the real clerk app
the same way).

The child's side of the pty keeps the kernel's default output processing (OPOST + ONLCR), just
like an SSH session's pty, so whatever mangling a real terminal session does to our bytes
happens here too.
"""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import signal
import struct
import termios
import threading
import time
from collections.abc import Sequence

MEDIA_ON = b"\x1b[5i"
MEDIA_OFF = b"\x1b[4i"


class PtySession:
    def __init__(self, argv: Sequence[str], *, env: dict[str, str] | None = None,
                 cols: int = 80, rows: int = 24, cwd: str | None = None) -> None:
        self.argv = list(argv)
        self.env = {**os.environ, "TERM": "xterm-256color", "COLORTERM": "", **(env or {})}
        self.cols, self.rows, self.cwd = cols, rows, cwd
        self.pid = -1
        self.fd = -1
        self._out = bytearray()
        self._lock = threading.Lock()
        self._reader: threading.Thread | None = None
        self.exit_status: int | None = None

    def start(self) -> PtySession:
        pid, fd = pty.fork()
        if pid == 0:  # child: size the terminal, then become the program
            try:
                fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", self.rows, self.cols, 0, 0))
                if self.cwd:
                    os.chdir(self.cwd)
                os.execvpe(self.argv[0], self.argv, self.env)
            finally:
                os._exit(127)
        self.pid, self.fd = pid, fd
        self._reader = threading.Thread(target=self._read, daemon=True, name="pty reader")
        self._reader.start()
        return self

    def _read(self) -> None:
        while True:
            try:
                r, _, _ = select.select([self.fd], [], [], 0.05)
                if not r:
                    if self.fd < 0:
                        return
                    continue
                chunk = os.read(self.fd, 65536)
            except OSError:
                return
            if not chunk:
                return
            with self._lock:
                self._out += chunk

    def output(self) -> bytes:
        with self._lock:
            return bytes(self._out)

    def wait_for(self, pattern: bytes | re.Pattern[bytes], timeout: float = 20.0) -> bytes:
        """Block until the output contains pattern; raise with the tail of output if not."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            out = self.output()
            found = pattern.search(out) if isinstance(pattern, re.Pattern) else pattern in out
            if found:
                return out
            time.sleep(0.02)
        raise AssertionError(f"timed out waiting for {pattern!r}; last output: {self.output()[-600:]!r}")

    def send(self, data: bytes) -> None:
        os.write(self.fd, data)

    def wait_exit(self, timeout: float = 10.0) -> int | None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.exit_status = os.waitstatus_to_exitcode(status)
                return self.exit_status
            time.sleep(0.05)
        return None

    def close(self) -> None:
        """Stop the child (SIGTERM, then SIGKILL) and release the pty."""
        if self.pid > 0 and self.exit_status is None and self.wait_exit(0.1) is None:
            os.kill(self.pid, signal.SIGTERM)
            if self.wait_exit(3) is None:
                os.kill(self.pid, signal.SIGKILL)
                self.wait_exit(3)
        if self.fd >= 0:
            fd, self.fd = self.fd, -1
            if self._reader is not None:
                self._reader.join(1)
            os.close(fd)


def media_copy_blocks(output: bytes) -> list[bytes]:
    """Every payload between ESC [ 5 i and ESC [ 4 i, in order."""
    blocks = []
    start = 0
    while True:
        on = output.find(MEDIA_ON, start)
        if on < 0:
            return blocks
        off = output.find(MEDIA_OFF, on + len(MEDIA_ON))
        if off < 0:
            return blocks
        blocks.append(output[on + len(MEDIA_ON):off])
        start = off + len(MEDIA_OFF)
