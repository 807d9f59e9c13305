"""The Linux console (`TERM=linux`): the real program in tmux at 80x24, keys only. Every
glyph it draws is ASCII on every screen visited, and the lookup's highlighted row is drawn in
reverse video (issue 10 G3, G13)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.tmux import TmuxSession, sandbox_session


@pytest.fixture
def console(tmp_path: Path) -> Iterator[TmuxSession]:
    with sandbox_session(tmp_path, term="linux", extra_env={"TERM": "linux"}) as session:
        yield session


REVERSE = re.compile(r"\x1b\[(?:[0-9]+;)*7(?:;[0-9]+)*m")


def _reverse_columns(styled_line: str) -> list[int]:
    """The columns drawn in reverse video on one `capture-pane -e` line, counted from its
    right end (0 = the last column), so a scrollbar's place does not depend on the width."""
    columns: list[int] = []
    reverse, column = False, 0
    for token in re.findall(r"\x1b\[[0-9;]*m|.", styled_line):
        if token.startswith("\x1b["):
            codes = token[2:-1].split(";") if token[2:-1] else ["0"]
            for code in codes:
                if code in ("0", ""):
                    reverse = False
                elif code == "7":
                    reverse = True
                elif code == "27":
                    reverse = False
            continue
        if reverse:
            columns.append(column)
        column += 1
    return [column - 1 - c for c in columns]


def _ascii(screen: str, where: str) -> None:
    bad = sorted({f"{ch} U+{ord(ch):04X}" for ch in screen if not ch.isascii()})
    assert not bad, f"{where}: {bad}\n{screen}"


def test_every_screen_visited_is_ascii(console: TmuxSession) -> None:
    _ascii(console.wait_for("PIN", timeout=60), "sign-in")
    console.type("csr2")
    console.send("Tab")
    console.type("3333")
    console.send("Enter")
    _ascii(console.wait_for("Drawer: closed", timeout=30), "home")

    console.send("F2")
    console.wait_for("Type to search", timeout=10)
    console.type("main")
    screen = console.wait_for("Aaron Abbott", timeout=15)  # the practice customer, first
    _ascii(screen, "lookup")
    styled = console._run("capture-pane", "-p", "-e", "-t", console.name).splitlines()
    rows = [line for line in styled if re.search(r"\d{7}-\d", line)]
    assert len(rows) >= 2 and REVERSE.search(rows[0]), rows[:2]
    # Only the row Enter opens is marked; the scrollbar (the last two columns) may be reverse.
    assert len([c for c in _reverse_columns(rows[0]) if c >= 2]) > 60, rows[:2]
    assert [c for c in _reverse_columns(rows[1]) if c >= 2] == [], rows[:2]

    console.send("Escape")
    for key, seen, gone in (("F8", "Open drawer with the standard bank", ""),
                            ("Escape", "Lookup", "Open drawer"),
                            ("F3", "No items yet", ""), ("Escape", "Lookup", "No items"),
                            ("F10", "Last scans", ""), ("Escape", "Lookup", "Last scans"),
                            ("F1", "Everywhere", ""), ("Escape", "Lookup", "Everywhere"),
                            ("C-p", "Search for commands", ""),
                            ("Escape", "Lookup", "Search for commands")):
        console.send(key)
        if gone:
            console.wait_gone(gone, timeout=15)
        _ascii(console.wait_for(seen, timeout=15), f"after {key}")
    console.send("C-q")
    console.wait_for("PIN", timeout=15)
    console.send("C-q")
    console.wait_for("[exited] 0", timeout=15)
