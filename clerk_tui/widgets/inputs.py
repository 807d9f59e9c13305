"""Input fields tuned for thin terminals over SSH."""

from __future__ import annotations

from typing import Any

from textual.widgets import Input


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


class PinInput(ClerkInput):
    """A masked, digits-only PIN field."""

    def __init__(self, *, placeholder: str = "PIN", id: str | None = None) -> None:
        super().__init__(placeholder=placeholder, password=True, restrict=r"[0-9]*",
                         max_length=12, id=id)
