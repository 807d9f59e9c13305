"""Input fields tuned for thin terminals over SSH."""

from __future__ import annotations

import unicodedata
from typing import Any

from textual.widgets import Input


def printable(text: str) -> str:
    """Text as a field may hold it: no control characters (a tab becomes a space).

    Keys never insert control characters, but a terminal's bracketed paste delivers whatever
    was copied, escape sequences included, and an Input draws its value as is: a pasted
    `ESC ] 0 ; … BEL` would retitle the clerk's terminal, `ESC [ 2 J` clear it. Lone surrogates
    cannot be written to the terminal at all.
    """
    if text.isprintable():
        return text
    return "".join(" " if ch == "\t" else ch for ch in text
                   if ch == "\t" or unicodedata.category(ch) not in ("Cc", "Cs"))


class ClerkInput(Input):
    """An Input whose cursor does not blink and which does not select its text on focus.

    A blinking cursor repaints twice a second on every idle session: bytes over every SSH link
    all day for nothing. The cursor stays visible, just steady. Select-on-focus is off by
    default because a clerk types ahead of the screen: a key typed just before the field took
    focus would be selected and then overwritten by the next one.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("select_on_focus", False)
        super().__init__(*args, **kwargs)
        self.cursor_blink = False

    def replace(self, text: str, start: int, end: int) -> None:
        """Every insertion (typing, paste) goes through here: control characters are dropped
        before the field shows them; the domain still has the last word on the value."""
        super().replace(printable(text), start, end)


class PinInput(ClerkInput):
    """A masked, digits-only PIN field."""

    def __init__(self, *, placeholder: str = "PIN", id: str | None = None) -> None:
        super().__init__(placeholder=placeholder, password=True, restrict=r"[0-9]*",
                         max_length=12, id=id)
