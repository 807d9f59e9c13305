"""A bracketed paste with escape sequences, in a real terminal: the field shows the pasted
text in order with only its control characters dropped (see tests/test_paste.py)."""

from __future__ import annotations

import sys
from pathlib import Path

from tests.conftest import require_tool
from tests.e2e.tmux import TmuxSession

PASTED = "abc\x1b[31mred\x1b]0;evil\x07def"


def test_paste_into_the_sign_in_field_in_a_real_terminal(tmp_path: Path) -> None:
    tmux = require_tool("tmux")
    env = {
        "CLERK_TUI_SANDBOX_DB": str(tmp_path / "training.db"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "PYTHONPATH": str(Path(__file__).resolve().parents[2]),
    }
    session = TmuxSession([sys.executable, "-m", "clerk_tui", "--sandbox"], env=env, tmux=tmux,
                          term="xterm")
    try:
        session.wait_for("Username", timeout=60)
        session._run("set-buffer", "-b", "clip", PASTED)
        session._run("paste-buffer", "-p", "-b", "clip", "-t", session.name)  # bracketed
        screen = session.wait_for("abc[31mred]0;evildef")
        assert "^[" not in screen
    finally:
        session.close()
