"""Drive a real terminal: the app (or `ssh` to it) inside tmux at 80x24, typed at with
send-keys and read back with capture-pane — what a clerk's thin terminal sees."""

from __future__ import annotations

import contextlib
import os
import shlex
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator, Sequence
from pathlib import Path


class TmuxSession:
    def __init__(self, command: Sequence[str], *, env: dict[str, str] | None = None,
                 width: int = 80, height: int = 24, tmux: str = "tmux",
                 term: str = "xterm-256color") -> None:
        self.tmux = tmux
        self.socket = f"clerk-{uuid.uuid4().hex[:10]}"
        self.name = "counter"
        exports = " ".join(f"{k}={shlex.quote(v)}" for k, v in (env or {}).items())
        shell = f"env {exports} {shlex.join(command)}; echo '[exited]' $?; sleep 600"
        self._run("new-session", "-d", "-s", self.name, "-x", str(width), "-y", str(height),
                  "sh", "-c", shell, extra_env={"TERM": term})
        self._run("set-option", "-t", self.name, "status", "off")

    def _run(self, *args: str, extra_env: dict[str, str] | None = None) -> str:
        env = {**os.environ, **(extra_env or {})}
        env.pop("TMUX", None)
        out = subprocess.run([self.tmux, "-L", self.socket, *args], capture_output=True,
                             text=True, timeout=20, env=env)
        if out.returncode != 0:
            raise RuntimeError(f"tmux {' '.join(args[:2])}: {out.stderr.strip()}")
        return out.stdout

    def send(self, *keys: str, literal: bool = False) -> None:
        args = ["send-keys", "-t", self.name]
        if literal:
            args.append("-l")
        self._run(*args, *keys)

    def type(self, text: str, delay: float = 0.08) -> None:
        """Type at a person's speed: a burst faster than a scanner's key gap would (rightly)
        be taken for a barcode scan by the wedge detector."""
        for ch in text:
            self.send(ch, literal=True)
            time.sleep(delay)

    def screen(self) -> str:
        return self._run("capture-pane", "-p", "-t", self.name)

    def wait_for(self, text: str, timeout: float = 30.0) -> str:
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.1)
        raise AssertionError(f"{text!r} did not appear within {timeout}s. Screen:\n{screen}")

    def wait_gone(self, text: str, timeout: float = 30.0) -> str:
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if text not in screen:
                return screen
            time.sleep(0.1)
        raise AssertionError(f"{text!r} still on screen after {timeout}s. Screen:\n{screen}")

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self._run("kill-server")


@contextlib.contextmanager
def sandbox_session(tmp_path: Path, *, term: str = "xterm",
                    extra_env: dict[str, str] | None = None) -> Iterator[TmuxSession]:
    """`clerk-tui --sandbox` of this tree in tmux at 80x24, its database, data and config
    under `tmp_path` (workstation `e2e-1`), closed afterwards: how every e2e test starts it."""
    from tests.conftest import require_tool

    env = {
        **(extra_env or {}),
        "CLERK_TUI_SANDBOX_DB": str(tmp_path / "training.db"),
        "CLERK_WORKSTATION": "e2e-1",
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "PYTHONPATH": str(Path(__file__).resolve().parents[2]),
    }
    session = TmuxSession([sys.executable, "-m", "clerk_tui", "--sandbox"], env=env,
                          tmux=require_tool("tmux"), term=term)
    try:
        yield session
    finally:
        session.close()
