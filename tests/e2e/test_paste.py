"""A bracketed paste with escape sequences, in a real terminal: the field shows the pasted
text in order with only its control characters dropped (see tests/test_paste.py)."""

from __future__ import annotations

from pathlib import Path

from tests.e2e.tmux import sandbox_session

PASTED = "abc\x1b[31mred\x1b]0;evil\x07def"


def test_paste_into_the_sign_in_field_in_a_real_terminal(tmp_path: Path) -> None:
    with sandbox_session(tmp_path) as session:
        session.wait_for("Username", timeout=60)
        session._run("set-buffer", "-b", "clip", PASTED)
        session._run("paste-buffer", "-p", "-b", "clip", "-t", session.name)  # bracketed
        screen = session.wait_for("abc[31mred]0;evildef")
        assert "^[" not in screen
