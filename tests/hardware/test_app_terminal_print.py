"""The real app, end to end, printing through the clerk's own terminal.

`clerk-tui` runs in a real pty (kernel output processing on, like an SSH session) against a
production database made by `clerk-tui init`, with a workstation config whose printer is
`terminal:`. An admin signs in, opens Diagnostics (F10), prints a test page and kicks the
drawer; the bytes between ESC[5i and ESC[4i must be exactly what the printer layer built.
A wedge scan (prefix Ctrl+^) on the diagnostics screen is shown in hex, not acted on.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from clerk_tui.db import open_database
from clerk_tui.hardware.escpos import EscPos, unsafe_7bit_positions
from clerk_tui.hardware.receipt import diagnostic_page
from tests.hardware.ptyrun import MEDIA_OFF, PtySession, media_copy_blocks

ROOT = Path(__file__).resolve().parents[2]
F10 = b"\x1b[21~"
CONFIG = """\
[workstation.tty-1]
description = "Front desk, printer on the clerk's PC"

[workstation.tty-1.printer]
url = "terminal:"

[workstation.tty-1.drawer]
url = "printer"
pin = 2
pulse_ms = 50

[workstation.tty-1.scanner]
mode = "wedge"
timing = false
"""


@pytest.fixture
def counter(tmp_path: Path):
    db = tmp_path / "counter.db"
    env = {"PYTHONPATH": str(ROOT), "SSH_CLIENT": "", "SSH_CONNECTION": "",
           "CLERK_WORKSTATION": "", "CLERK_TUI_DB": ""}
    made = subprocess.run([sys.executable, "-m", "clerk_tui", "init", "--db", str(db),
                           "--pin-stdin"], input="9999\n", capture_output=True, text=True,
                          cwd=str(ROOT), env={**_base_env(), **env}, timeout=60)
    assert made.returncode == 0, made.stderr
    config = tmp_path / "workstations.toml"
    config.write_text(CONFIG, encoding="utf-8")
    session = PtySession([sys.executable, "-m", "clerk_tui", "--db", str(db), "--config",
                          str(config), "--workstation", "tty-1"], cwd=str(ROOT), env=env)
    session.start()
    try:
        session.wait_for(b"workstation tty-1", timeout=30)
        yield session, db
    finally:
        session.close()


def _base_env() -> dict[str, str]:
    import os

    return dict(os.environ)


@pytest.mark.ui
@pytest.mark.timeout(120)
def test_real_app_prints_test_page_and_kicks_drawer_through_the_terminal(counter) -> None:
    session, db_path = counter
    session.send(b"admin")
    session.wait_for(b"admin", timeout=20)  # echoed: the sign-in field has the focus
    session.send(b"\r")
    # Enter moves the focus to the PIN only when the sign-in screen handles it; keys that
    # arrive in the same read would still land in the username (see the report in issue 4).
    time.sleep(0.5)
    session.send(b"9999\r")
    session.wait_for(b"Signed in", timeout=20)
    session.send(F10)
    session.wait_for(b"Diagnostics", timeout=20)
    session.wait_for(b"does not report status", timeout=20)  # the terminal path is one-way

    session.send(b"t")
    session.wait_for(MEDIA_OFF, timeout=20)
    session.wait_for(b"Sent to printer", timeout=20)
    blocks = media_copy_blocks(session.output())
    assert blocks == [diagnostic_page(42, safe7=True)]
    assert unsafe_7bit_positions(blocks[0]) == []

    session.send(b"k")
    session.wait_for(b"cannot report whether it opened", timeout=20)
    blocks = media_copy_blocks(session.output())
    assert len(blocks) == 2
    assert blocks[1] == EscPos(safe7=True).kick(2, 50).bytes()

    # A scan on the diagnostics screen: shown raw in hex (prefix 1e ... suffix 0d), and its
    # letters fire none of the screen's keys (T would print another test page).
    session.send(b"\x1eTEST-1234\r")
    session.wait_for(b"1e 54 45 53 54 2d 31 32 33 34 0d", timeout=20)
    assert len(media_copy_blocks(session.output())) == 2

    session.send(b"\x1b")  # Esc: back to home
    session.wait_for(b"Signed in", timeout=20)
    session.send(b"\x11")  # Ctrl+Q: sign out
    session.wait_for(b"workstation tty-1", timeout=20)
    session.send(b"\x11")  # Ctrl+Q on sign-in: quit
    assert session.wait_exit(20) == 0

    db = open_database(db_path)
    try:
        kicks = db.all("SELECT clerk, workstation FROM audit_log WHERE action = 'drawer.kick'")
    finally:
        db.close()
    assert kicks == [{"clerk": "admin", "workstation": "tty-1"}]
