"""The real program in a real terminal: `clerk-tui --sandbox` under tmux at 80x24, driven by
keys alone, as a clerk on a thin terminal would."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.tmux import TmuxSession, sandbox_session


@pytest.fixture
def counter(tmp_path: Path) -> Iterator[TmuxSession]:
    with sandbox_session(tmp_path) as session:
        yield session


def test_sign_in_look_up_and_sign_out_by_keys(counter: TmuxSession) -> None:
    screen = counter.wait_for("PIN", timeout=60)
    assert "TRAINING" in screen
    assert "csr2" in screen  # the sandbox lists its practice clerks
    counter.type("csr2")
    counter.send("Tab")
    counter.type("3333")
    counter.send("Enter")
    screen = counter.wait_for("F2", timeout=30)
    assert "Lookup" in screen and "TRAINING" in screen
    lines = screen.splitlines()
    assert len(lines) <= 24 and all(len(line) <= 80 for line in lines)

    counter.send("F2")
    counter.wait_for("Lookup", timeout=10)
    counter.type("main")
    screen = counter.wait_for("Main", timeout=15)
    counter.send("Enter")
    screen = counter.wait_for("Balance", timeout=15)
    assert "TRAINING" in screen

    counter.send("Escape")
    counter.send("Escape")
    counter.wait_for("F2", timeout=10)
    counter.send("C-q")
    screen = counter.wait_for("PIN", timeout=15)
    counter.send("C-q")
    counter.wait_for("[exited] 0", timeout=15)


def test_a_whole_payment_typed_ahead_in_one_burst(counter: TmuxSession, tmp_path: Path) -> None:
    """Over SSH a clerk's keys arrive in batches: "F2 <account> Enter F3 Enter 130 Enter" in
    one read must still look up, open, pay the amount due and post — no key lost or landing in
    the wrong field (ClerkApp._deliver_key)."""
    from clerk_tui.db import Database

    counter.wait_for("PIN", timeout=60)
    db = Database.open(tmp_path / "training.db")
    row = db.one(
        "SELECT a.number AS number, sum(e.amount_cents) AS due FROM accounts a JOIN ledger_entries e "
        "ON e.account_id = a.id AND e.book = 'account' WHERE a.status = 'active' "
        "GROUP BY a.id HAVING sum(e.amount_cents) BETWEEN 1000 AND 12000 ORDER BY a.id LIMIT 1")
    db.close()
    assert row is not None
    number, due = row["number"], row["due"]
    counter.type("csr2")
    counter.send("Tab")
    counter.type("3333")
    counter.send("Enter")
    counter.wait_for("F2", timeout=30)
    counter.send("F8")
    counter.wait_for("Drawer", timeout=10)
    counter.send("o")
    counter.wait_for("Drawer: open", timeout=10)
    counter.send("Escape")
    counter.wait_for("Signed in", timeout=10)
    counter.send("F2", *number[:7], "Enter", "F3", "Enter", "1", "3", "0", "Enter")
    screen = counter.wait_for("RECEIPT", timeout=30)
    change = 13000 - due
    assert f"CHANGE DUE ${change // 100}.{change % 100:02d}" in screen
    assert f"{number[:7]}-{number[7]}" in screen
