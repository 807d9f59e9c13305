"""Every keystroke example in the README works on fresh demo data, replayed at 80x24.

The examples are the rows of the README's "Keystroke examples" table (clerk, keys, what the
screen then shows); each is typed, one key after another, from the home screen of a fresh
sandbox signed in as that clerk. A key sequence quoted anywhere else in the README (in
backticks, three keys or more) must be the end of one of the rows, so it is replayed too.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from clerk_tui.app import ClerkApp
from clerk_tui.db import Database
from clerk_tui.sandbox import SANDBOX_CLERKS
from clerk_tui.screens.home import HomeScreen
from tests.ui.conftest import SIZE, finish_work, press_each, screen_text, sign_in
from tests.ui.demo_support import demo_app, demo_db, demo_template  # noqa: F401  (fixtures)

README = Path(__file__).resolve().parents[2] / "README.md"
HEADER = "| Clerk | Keys | The screen shows |"
NAMED = {"enter": "enter", "esc": "escape", "tab": "tab", "space": "space", "up": "up",
         "down": "down", "pgup": "pageup", "pgdn": "pagedown", "backspace": "backspace"}
PINS = {user: pin for user, _role, pin in SANDBOX_CLERKS}


def textual_key(word: str) -> str | None:
    """`F2` -> f2, `Enter` -> enter, `Ctrl+T` -> ctrl+t, `O` -> o, `1` -> 1; else None."""
    low = word.lower()
    if re.fullmatch(r"f([1-9]|1[0-2])", low) or low in NAMED:
        return NAMED.get(low, low)
    if re.fullmatch(r"ctrl\+[a-z]", low):
        return low
    if len(word) == 1 and word.isalnum():
        return low
    return None


def key_sequence(text: str) -> list[str] | None:
    keys = [textual_key(w) for w in text.split()]
    return None if not keys or None in keys else keys  # type: ignore[return-value]


def examples() -> list[tuple[str, str, str]]:
    """(clerk, keys, shown) for every row of the examples table."""
    lines = README.read_text(encoding="utf-8").splitlines()
    start = lines.index(HEADER)
    rows = []
    for line in lines[start + 2:]:
        if not line.startswith("|"):
            break
        clerk, keys, shown = (c.strip().strip("`") for c in line.strip("|").split("|"))
        rows.append((clerk, keys, shown))
    return rows


EXAMPLES = examples()


def test_the_readme_has_examples_and_quotes_only_rows() -> None:
    assert len(EXAMPLES) >= 5
    for clerk, keys, _shown in EXAMPLES:
        assert clerk in PINS, clerk
        assert key_sequence(keys) is not None, keys
    rows = [key_sequence(k) for _c, k, _s in EXAMPLES]
    quoted = [q for q in re.findall(r"`([^`\n]+)`", README.read_text(encoding="utf-8"))
              if len(q.split()) >= 3 and key_sequence(q) is not None]
    assert "F2 m a i n Enter F3 Enter 1 3 0 Enter" in quoted
    for q in quoted:
        keys = key_sequence(q)
        assert any(row[-len(keys):] == keys for row in rows if row), q  # type: ignore[index]
    # The 12-key claim: the payment row after the drawer is opened.
    twelve = key_sequence("F2 m a i n Enter F3 Enter 1 3 0 Enter")
    assert twelve is not None and len(twelve) == 12


@pytest.mark.parametrize(("clerk", "keys", "shown"), EXAMPLES,
                         ids=[f"{c}: {k}" for c, k, _s in EXAMPLES])
async def test_readme_example(demo_app: Callable[..., ClerkApp], demo_db: Database,  # noqa: F811
                              clerk: str, keys: str, shown: str) -> None:
    app = demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, clerk, PINS[clerk])
        assert isinstance(app.screen, HomeScreen), screen_text(app)
        for key in key_sequence(keys) or []:
            await press_each(pilot, key)
        await finish_work(pilot)
        assert shown in screen_text(app), screen_text(app)
