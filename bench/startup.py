"""Start-up: time from launch to the sign-in screen ready for `clerk-tui --sandbox` (the real
console script), against bench/bare_app.py (a bare Textual app with a header, an input, a
table and a footer), both started the same way in the same run, by two measures:

- tmux: in tmux at 80x24, timed from just before `tmux new-session` until capture-pane shows
  the screen's marker texts (polled every 10 ms, so the figure includes tmux and the polling);
- pty: the program on a pseudo-terminal of our own at 80x24, timed from just before the fork
  to the first frame it writes that shows the PIN field (the baseline: its input field), read
  byte by byte as it arrives and drawn into a minimal screen model (`Screen80x24`).

Median of `--runs` launches each, alternating, after one untimed warm-up of each (which also
writes the bytecode caches, as an installed wheel has them). Also the peak resident memory
(VmHWM from /proc) of each process when its screen is ready.

The training database is built once before timing, in a scratch folder
(`CLERK_TUI_SANDBOX_DB`), so its first-use build is not measured; the config and data dirs
point at the same scratch folder so no workstation file of this machine is read.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import pty
import re
import select
import shutil
import signal
import struct
import subprocess
import sys
import time
import uuid
from collections.abc import Sequence
from pathlib import Path

from bench.bare_app import READY_MARKER
from bench.common import median, scratch, show

APP_MARKERS = ("Counter sign-in", "admin 9999", "Quit")  # the sign-in box, its demo list, footer
BARE_MARKERS = (READY_MARKER, "Pat Example", "Quit")  # header, table row, footer
# pty: the first frame with the PIN field (its placeholder, not "PINs" of the demo list) and
# the footer; the baseline's with its input field (placeholder "Search"), table row and footer.
APP_PTY_MARKERS = ("Counter sign-in", re.compile(r"\bPIN\b"), "Quit")
BARE_PTY_MARKERS = (READY_MARKER, "Search", "Pat Example", "Quit")
POLL_SECONDS = 0.01
COLS, ROWS = 80, 24


def _tmux(socket: str, *args: str) -> str:
    env = {k: v for k, v in os.environ.items() if k != "TMUX"}
    out = subprocess.run(["tmux", "-L", socket, *args], capture_output=True, text=True,
                         timeout=20, env=env)
    if out.returncode != 0:
        raise RuntimeError(f"tmux {args[0]}: {out.stderr.strip()}")
    return out.stdout


def peak_rss_kib(pid: int) -> int:
    """Peak resident set size of a live process (VmHWM), in KiB; 0 if it cannot be read."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def launch(command: Sequence[str], env: dict[str, str], markers: Sequence[str],
           timeout: float = 60.0) -> tuple[float, int]:
    """Start `command` in a fresh tmux at 80x24; seconds until every marker is on screen, and
    the process's peak RSS (KiB) at that moment. The process is killed afterwards."""
    socket = f"clerk-bench-{uuid.uuid4().hex[:10]}"
    # Bytecode may be written (the warm-up launch does): an installed wheel ships compiled, so
    # a PYTHONDONTWRITEBYTECODE in the caller's environment would time the compiler instead.
    argv = ["env", "-u", "PYTHONDONTWRITEBYTECODE", *(f"{k}={v}" for k, v in env.items()),
            *command]
    started = time.perf_counter()
    pid = int(_tmux(socket, "new-session", "-d", "-x", "80", "-y", "24", "-P", "-F",
                    "#{pane_pid}", "--", *argv).strip())
    try:
        deadline = started + timeout
        screen = ""
        while time.perf_counter() < deadline:
            screen = _tmux(socket, "capture-pane", "-p")
            if all(m in screen for m in markers):
                elapsed = time.perf_counter() - started
                return elapsed, peak_rss_kib(pid)
            time.sleep(POLL_SECONDS)
        raise RuntimeError(f"{' '.join(command)} not ready in {timeout:.0f}s; screen:\n{screen}")
    finally:
        with contextlib.suppress(Exception):
            _tmux(socket, "kill-server")


class Screen80x24:
    """Just enough of a terminal to know what a Textual program has drawn: cursor moves
    (CSI row;col H), erase (J, K), cursor forward (C), CR/LF and printable text; colours and
    modes are skipped. Textual positions every line it writes, so this is all a frame needs."""

    CSI = re.compile(r"\x1b\[([0-9;?<=>]*)([ -/]*)([@-~])|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)"
                     r"|\x1b[P^_][^\x1b]*\x1b\\|\x1b[()][0-9A-Za-z]|\x1b[=>78cDEHM]")

    def __init__(self) -> None:
        self.rows = [[" "] * COLS for _ in range(ROWS)]
        self.y = self.x = 0
        self._pending = ""

    def feed(self, data: str) -> None:
        text = self._pending + data
        self._pending = ""
        pos = 0
        while pos < len(text):
            esc = text.find("\x1b", pos)
            self._put(text[pos:esc if esc >= 0 else len(text)])
            if esc < 0:
                return
            m = self.CSI.match(text, esc)
            if m is None:  # an escape sequence split across reads: keep it for the next one
                if len(text) - esc < 64:
                    self._pending = text[esc:]
                    return
                pos = esc + 1
                continue
            if m.group(3):
                self._control(m.group(1), m.group(3))
            pos = m.end()

    def _control(self, params: str, final: str) -> None:
        nums = [int(p) if p.isdigit() else 0 for p in params.split(";")] if params else []
        if final in "Hf":
            row = nums[0] if nums else 1
            col = nums[1] if len(nums) > 1 else 1
            self.y, self.x = max(row, 1) - 1, max(col, 1) - 1
        elif final == "C":
            self.x += max(nums[0] if nums else 1, 1)
        elif final == "J" and nums[:1] in ([2], [3]):
            self.rows = [[" "] * COLS for _ in range(ROWS)]
        elif final == "K" and 0 <= self.y < ROWS:
            start, end = {1: (0, self.x + 1), 2: (0, COLS)}.get(nums[0] if nums else 0,
                                                                (self.x, COLS))
            self.rows[self.y][start:end] = [" "] * max(end - start, 0)

    def _put(self, chunk: str) -> None:
        for ch in chunk:
            if ch == "\r":
                self.x = 0
            elif ch == "\n":
                self.y = min(self.y + 1, ROWS - 1)
            elif ch >= " ":
                if 0 <= self.y < ROWS and 0 <= self.x < COLS:
                    self.rows[self.y][self.x] = ch
                self.x += 1

    def text(self) -> str:
        return "\n".join("".join(r) for r in self.rows)


def _shows(screen: str, markers: Sequence[str | re.Pattern[str]]) -> bool:
    return all(m.search(screen) if isinstance(m, re.Pattern) else m in screen for m in markers)


def launch_pty(command: Sequence[str], env: dict[str, str],
               markers: Sequence[str | re.Pattern[str]], timeout: float = 60.0
               ) -> tuple[float, int]:
    """Start `command` on a pty of 80x24; seconds until the first frame that shows every
    marker has been written, and the process's peak RSS (KiB) then. The process is ended."""
    full_env = {k: v for k, v in os.environ.items()
                if k not in ("TMUX", "PYTHONDONTWRITEBYTECODE")}
    full_env.update(env)
    started = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:  # the child: the pty is its terminal, sized before the program starts
        try:
            import fcntl
            import termios

            fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLS, 0, 0))
            os.execvpe(command[0], list(command), full_env)
        finally:
            os._exit(127)
    screen = Screen80x24()
    try:
        deadline = started + timeout
        while time.perf_counter() < deadline:
            ready, _, _ = select.select([fd], [], [], 0.5)
            if not ready:
                continue
            try:
                data = os.read(fd, 65536)
            except OSError:
                break  # the program ended
            if not data:
                break
            screen.feed(data.decode("utf-8", "replace"))
            if _shows(screen.text(), markers):
                return time.perf_counter() - started, peak_rss_kib(pid)
        raise RuntimeError(f"{' '.join(command)} not ready on the pty in {timeout:.0f}s; "
                           f"screen:\n{screen.text()}")
    finally:
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)
        with contextlib.suppress(OSError):
            os.waitpid(pid, 0)
        os.close(fd)


def clerk_command() -> list[str]:
    """The installed `clerk-tui` console script beside this interpreter (else on PATH)."""
    beside = Path(sys.executable).with_name("clerk-tui")
    found = str(beside) if beside.exists() else shutil.which("clerk-tui")
    if not found:
        raise RuntimeError("the clerk-tui console script is not installed (pip install -e .)")
    return [found, "--sandbox"]


def bare_command() -> list[str]:
    return [sys.executable, str(Path(__file__).with_name("bare_app.py"))]


def prepare_sandbox(folder: Path) -> dict[str, str]:
    """Build the training database once (not timed); the environment that points at it."""
    from clerk_tui.sandbox import open_sandbox

    path = folder / "training.db"
    open_sandbox(path).close()
    return {
        "CLERK_TUI_SANDBOX_DB": str(path),
        "CLERK_WORKSTATION": "bench",
        "XDG_DATA_HOME": str(folder / "data"),
        "XDG_CONFIG_HOME": str(folder / "config"),
        "TERM": "xterm-256color",
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=5, help="timed launches of each (default 5)")
    ap.add_argument("--measure", choices=("both", "tmux", "pty"), default="both",
                    help="which measure (default both)")
    args = ap.parse_args(argv)
    measures = ["tmux", "pty"] if args.measure == "both" else [args.measure]
    if "tmux" in measures and not shutil.which("tmux"):
        raise SystemExit("startup bench needs tmux (apt-get install tmux)")
    app, bare = "clerk-tui --sandbox", "bare Textual app"
    folder = scratch("startup")
    try:
        env = prepare_sandbox(folder)
        bare_env = {k: v for k, v in env.items() if not k.startswith("CLERK_")}
        jobs = {}
        for how in measures:
            runner = launch if how == "tmux" else launch_pty
            jobs[(how, app)] = (runner, clerk_command(), env,
                                APP_MARKERS if how == "tmux" else APP_PTY_MARKERS)
            jobs[(how, bare)] = (runner, bare_command(), bare_env,
                                 BARE_MARKERS if how == "tmux" else BARE_PTY_MARKERS)
        for runner, cmd, e, markers in jobs.values():  # warm-up: .pyc files, the page cache
            runner(cmd, e, markers)
        times: dict[tuple[str, str], list[float]] = {k: [] for k in jobs}
        rss: dict[tuple[str, str], list[int]] = {k: [] for k in jobs}
        for _ in range(args.runs):
            for key, (runner, cmd, e, markers) in jobs.items():  # alternate: drift hits all
                t, kib = runner(cmd, e, markers)
                times[key].append(t)
                rss[key].append(kib)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    rows = [[how, name, len(times[(how, name)]), median(times[(how, name)]) * 1000,
             min(times[(how, name)]) * 1000, max(times[(how, name)]) * 1000,
             max(rss[(how, name)]) / 1024] for how, name in jobs]
    parts = []
    for how in measures:
        ratio = median(times[(how, app)]) / median(times[(how, bare)])
        what = "sign-in screen ready" if how == "tmux" else "first frame with the PIN field"
        parts.append(f"{what} in {median(times[(how, app)]) * 1000:.0f} ms, {ratio:.2f}x the "
                     f"bare Textual app ({how})")
    peak_app = max(max(rss[(how, app)]) for how in measures)
    peak_bare = max(max(rss[(how, bare)]) for how in measures)
    m_ratio = peak_app / peak_bare if peak_bare else float("nan")
    show(f"Start-up: launch to sign-in screen ready ({' and '.join(measures)}, 80x24)",
         ["measure", "program", "runs", "median ms", "min ms", "max ms", "peak RSS MiB"], rows,
         f"clerk-tui: {'; '.join(parts)}; peak RSS {peak_app / 1024:.1f} MiB, {m_ratio:.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
