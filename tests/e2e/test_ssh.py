"""The counter over real SSH: OpenSSH's `sshd` on 127.0.0.1 with a `ForceCommand` that starts
`clerk-tui --sandbox`, and the real `ssh -tt` client inside tmux at 80x24 — a thin terminal.

By keys alone the clerk signs in, opens a drawer, finds an account, takes its amount due in
cash, reads the receipt number and change on screen, signs out and quits, and the SSH session
ends. The training database is then read back: the receipt is there, by that clerk, at the
workstation the app named from the SSH client's address, and the audit chain holds.
"""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path

import pytest

from clerk_tui.db import open_database
from clerk_tui.domain import audit, ledger
from clerk_tui.domain.money import format_money
from clerk_tui.sandbox import open_sandbox
from tests.conftest import require_tool
from tests.e2e.sshd import ThrowawaySshd, quote_command
from tests.e2e.tmux import TmuxSession

pytestmark = pytest.mark.timeout(180)


def clerk_tui_program() -> str:
    """The installed console script beside this interpreter (the venv's bin)."""
    script = Path(sys.executable).with_name("clerk-tui")
    assert script.exists(), f"{script} missing: install the package (pip install -e .)"
    return str(script.absolute())


@pytest.fixture
def sandbox_db(tmp_path: Path) -> Path:
    """Built before anyone connects, so the test knows an account with an amount due."""
    path = tmp_path / "srv" / "training.db"
    open_sandbox(path).close()
    return path


@pytest.fixture
def sshd(tmp_path: Path, sandbox_db: Path):
    server = ThrowawaySshd(
        tmp_path / "sshd",
        sshd=require_tool("sshd"),
        ssh_keygen=require_tool("ssh-keygen"),
        force_command=quote_command([clerk_tui_program(), "--sandbox"]),
        env={
            "CLERK_TUI_SANDBOX_DB": str(sandbox_db),
            "XDG_DATA_HOME": str(tmp_path / "data"),
            "XDG_CONFIG_HOME": str(tmp_path / "config"),
            "LANG": "C.UTF-8",
        },
    )
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def terminal(sshd: ThrowawaySshd):
    tmux = require_tool("tmux")
    session = TmuxSession(sshd.ssh_command(require_tool("ssh")), tmux=tmux, term="xterm")
    try:
        yield session
    finally:
        session.close()


def an_account_with_a_bill(path: Path) -> tuple[str, int]:
    db = open_database(path)
    try:
        for row in db.all("SELECT id, number FROM accounts WHERE status = 'active' "
                          "ORDER BY id LIMIT 200"):
            due = ledger.account_balance(db, row["id"])
            if 1000 <= due <= 50000:
                return row["number"], due
    finally:
        db.close()
    raise AssertionError("the sandbox has no active account with an amount due")


def glance() -> None:
    """A person reads the screen before the next key. The payment screen shows its prompt a
    moment before the field takes the focus (Textual moves focus on the next loop turn), so
    an Enter sent the instant the prompt appears can land in the previous field."""
    time.sleep(0.5)


def fits_80x24(screen: str) -> None:
    lines = screen.splitlines()
    assert len(lines) <= 24 and all(len(line) <= 80 for line in lines), screen


def test_sign_in_take_a_cash_payment_and_sign_out_over_ssh(
        terminal: TmuxSession, sshd: ThrowawaySshd, sandbox_db: Path) -> None:
    number, due = an_account_with_a_bill(sandbox_db)
    tendered = (due // 1000 + 1) * 1000  # the next $10 up: there is change to give
    receipts_before = _receipt_count(sandbox_db)

    try:
        screen = terminal.wait_for("PIN", timeout=60)
    except AssertionError:
        raise AssertionError(f"no sign-in screen over SSH. sshd log:\n{sshd.log_text()}") from None
    assert "TRAINING" in screen
    # The app named the workstation after the SSH client's address (SSH_CLIENT).
    assert "workstation 127.0.0.1" in screen
    fits_80x24(screen)

    terminal.type("csr2")
    terminal.send("Enter")
    terminal.type("3333")
    terminal.send("Enter")
    screen = terminal.wait_for("F2", timeout=30)
    assert "Jordan Two" in screen  # csr2's name in the status bar: signed in

    # Open a drawer with the standard bank (F8, O).
    terminal.send("F8")
    terminal.wait_for("Open drawer with the standard bank", timeout=15)
    terminal.send("o")
    terminal.wait_for("Drawer opened", timeout=15)
    terminal.wait_for("OPEN", timeout=15)  # the drawer line, read in a thread, follows

    # Find the account by number, open it, pay it.
    terminal.send("F2")
    terminal.wait_for("Account, name", timeout=15)
    terminal.type(number)
    display = f"{number[:7]}-{number[7:]}"
    terminal.wait_for(display, timeout=15)
    terminal.send("Enter")
    screen = terminal.wait_for(format_money(due), timeout=15)  # the account, loaded
    assert "Balance" in screen
    terminal.send("F3")
    screen = terminal.wait_for(f"due {format_money(due)}", timeout=15)
    glance()
    terminal.send("Enter")  # accept the amount due
    screen = terminal.wait_for("DUE", timeout=15)
    glance()
    terminal.type(f"{tendered // 100}")
    terminal.send("Enter")  # post
    screen = terminal.wait_for("CHANGE DUE", timeout=30)
    fits_80x24(screen)
    m = re.search(r"RECEIPT (\d+)", screen)
    assert m, screen
    receipt_number = int(m.group(1))
    assert f"CHANGE DUE {format_money(tendered - due)}" in screen
    assert f"total {format_money(due)}" in screen

    # Sign out (back to the sign-in screen), then quit: the SSH session ends with the app.
    terminal.send("C-q")
    screen = terminal.wait_for("PIN", timeout=15)
    assert "Jordan Two" not in screen
    terminal.send("C-q")
    terminal.wait_for("[exited] 0", timeout=20)

    # What the database says happened.
    db = open_database(sandbox_db)
    try:
        assert _receipt_count(sandbox_db) == receipts_before + 1
        row = db.one("SELECT r.clerk, r.workstation, r.total_cents, r.tendered_cents, "
                     "r.change_cents FROM receipts r WHERE r.number = ?", [receipt_number])
        assert row == {"clerk": "csr2", "workstation": "127.0.0.1", "total_cents": due,
                       "tendered_cents": tendered, "change_cents": tendered - due}
        account_id = db.scalar("SELECT id FROM accounts WHERE number = ?", [number])
        assert ledger.account_balance(db, account_id) == 0
        actions = [r["action"] for r in db.all(
            "SELECT action FROM audit_log WHERE workstation = '127.0.0.1' ORDER BY seq")]
        assert actions[0] == "signin" and actions[-1] == "signout", actions
        assert "payment.post" in actions or any(a.startswith("receipt") for a in actions), actions
        assert audit.verify(db).ok
    finally:
        db.close()
    assert "Accepted publickey" in sshd.log_text()


def _receipt_count(path: Path) -> int:
    db = open_database(path)
    try:
        return int(db.scalar("SELECT count(*) FROM receipts"))
    finally:
        db.close()
