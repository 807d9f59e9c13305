"""Start-up: time from launch to the sign-in screen ready for `clerk-tui --sandbox` (the real
console script), against bench/bare_app.py (a bare Textual app with a header, an input, a
table and a footer), both started the same way in the same run: in tmux at 80x24, timed from
just before `tmux new-session` until capture-pane shows the screen's marker texts. Median of
`--runs` launches each, alternating, after one untimed warm-up of each (which also writes the
bytecode caches, as an installed wheel has them). Also the peak resident
memory (VmHWM from /proc) of each process when its screen is ready.

The training database is built once before timing, in a scratch folder
(`CLERK_TUI_SANDBOX_DB`), so its first-use build is not measured; the config and data dirs
point at the same scratch folder so no workstation file of this machine is read.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
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
POLL_SECONDS = 0.01


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
    args = ap.parse_args(argv)
    if not shutil.which("tmux"):
        raise SystemExit("startup bench needs tmux (apt-get install tmux)")
    folder = scratch("startup")
    try:
        env = prepare_sandbox(folder)
        bare_env = {k: v for k, v in env.items() if not k.startswith("CLERK_")}
        jobs = {
            "clerk-tui --sandbox": (clerk_command(), env, APP_MARKERS),
            "bare Textual app": (bare_command(), bare_env, BARE_MARKERS),
        }
        for cmd, e, markers in jobs.values():  # warm-up: .pyc files and the page cache
            launch(cmd, e, markers)
        times: dict[str, list[float]] = {k: [] for k in jobs}
        rss: dict[str, list[int]] = {k: [] for k in jobs}
        for _ in range(args.runs):
            for name, (cmd, e, markers) in jobs.items():  # alternate: drift hits both alike
                t, kib = launch(cmd, e, markers)
                times[name].append(t)
                rss[name].append(kib)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    app, bare = "clerk-tui --sandbox", "bare Textual app"
    rows = [[name, len(times[name]), median(times[name]) * 1000, min(times[name]) * 1000,
             max(times[name]) * 1000, max(rss[name]) / 1024] for name in jobs]
    t_ratio = median(times[app]) / median(times[bare])
    m_ratio = max(rss[app]) / max(rss[bare]) if max(rss[bare]) else float("nan")
    show("Start-up: launch to sign-in screen ready (tmux, 80x24)",
         ["program", "runs", "median ms", "min ms", "max ms", "peak RSS MiB"], rows,
         f"clerk-tui reaches its sign-in screen in {median(times[app]) * 1000:.0f} ms, "
         f"{t_ratio:.2f}x the bare Textual app; peak RSS {m_ratio:.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
