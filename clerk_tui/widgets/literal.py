"""Show text typed by the public (or stored by anyone) exactly as typed.

A customer or clerk name like `[@click=app.quit]x` must never become markup, and one carrying
terminal escape codes must never reach the terminal raw. Everything a screen shows from the
database goes through `literal()`: a `rich.text.Text` (never parsed as markup) of `visible()`
(control characters replaced by visible symbols).
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from clerk_tui.domain.text import visible


def literal(value: object, style: str = "") -> Text:
    """A Text that shows `value` character for character; markup and escapes stay inert."""
    return Text(visible(value), style=style, no_wrap=False)


def join(*parts: tuple[object, str] | str | Text) -> Text:
    """Build one line from literal pieces: `join(("Name: ", "bold"), name_value)`.

    A plain `str` part is treated as *data* (shown literally), so no caller can slip markup in
    by accident; pass `(text, style)` to style a piece.
    """
    out = Text()
    for part in parts:
        if isinstance(part, Text):
            out.append_text(part)
        elif isinstance(part, tuple):
            out.append_text(literal(part[0], part[1]))
        else:
            out.append_text(literal(part))
    return out


def lines(*values: object) -> Text:
    """Several literal lines under one another: each value is shown as `literal()` shows it
    (a newline *inside* a value stays a visible ␊), the lines are joined by real newlines."""
    out = Text()
    for n, value in enumerate(values):
        if n:
            out.append("\n")
        out.append_text(value if isinstance(value, Text) else literal(value))
    return out


class LiteralLabel(Static):
    """A Static whose content is always literal text (see module docstring)."""

    def __init__(self, value: object = "", *, style: str = "", id: str | None = None,
                 classes: str | None = None) -> None:
        super().__init__(literal(value, style), id=id, classes=classes, markup=False)
        self._plain = visible(value)

    @property
    def plain(self) -> str:
        """What is displayed (after `visible()`), for tests and screen readers."""
        return self._plain

    def set_value(self, value: object, style: str = "", *, layout: bool = True) -> None:
        """Show `value`. `layout=False` when the label's size is fixed by its CSS (a one-line
        status): no layout pass, so only the label is redrawn, not the screen below it."""
        self._plain = visible(value)
        self.update(literal(value, style), layout=layout)

    def set_text(self, text: Text) -> None:
        """Show an already-built literal `Text` (e.g. from `join`)."""
        self._plain = text.plain
        self.update(text)
