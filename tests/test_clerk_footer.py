"""Every screen's footer is `ClerkFooter`: Textual's own `Footer` keeps the keys of every
rebuild alive (clerk_tui/widgets/footer.py, issue 12), so a new screen that yields it would
bring the leak back."""

from __future__ import annotations

import re
from pathlib import Path

import clerk_tui

PACKAGE = Path(clerk_tui.__file__).parent
TEXTUAL_FOOTER = re.compile(r"^\s*from textual\.widgets import [^\n]*\bFooter\b|\bwidgets\.Footer\(",
                            re.M)


def test_no_screen_uses_textuals_footer() -> None:
    users = [str(p.relative_to(PACKAGE)) for p in PACKAGE.rglob("*.py")
             if p.name != "footer.py" and TEXTUAL_FOOTER.search(p.read_text(encoding="utf-8"))]
    assert users == [], f"use clerk_tui.widgets.footer.ClerkFooter in {users}"


def test_the_check_finds_textuals_footer() -> None:
    assert TEXTUAL_FOOTER.search("from textual.widgets import DataTable, Footer, Input\n")
    assert not TEXTUAL_FOOTER.search("from textual.widgets import DataTable, Input\n")
