"""A scrollable plain-text report that never hides text off the right edge.

Reports, receipt previews and desk lists are the domain's plain text; a line wider than the
view (the Z report's 64-character audit hash at 80 columns, a long address) is wrapped to the
view's width instead of running off the edge, so nothing printed on paper is missing on screen.
Lines are shown literally (`visible()`: control characters as symbols, never markup).
"""

from __future__ import annotations

import textwrap

from rich.cells import cell_len
from textual.events import Resize
from textual.widgets import Log

from clerk_tui.domain.text import visible

CONTINUATION = "  "
"""Indent of a wrapped line's continuation, so it reads as part of the line above."""


def wrap_lines(lines: list[str], width: int) -> list[str]:
    """Each line as is when it fits in `width` cells, else broken at spaces (or inside a word
    too long for a line, like a hash), continuations indented."""
    width = max(width, 8)
    out: list[str] = []
    for line in lines:
        line = line.rstrip()  # a table's padding past the last cell is not text
        if cell_len(line) <= width:
            out.append(line)
            continue
        out.extend(textwrap.wrap(line, width, subsequent_indent=CONTINUATION,
                                 break_long_words=True, break_on_hyphens=False,
                                 replace_whitespace=False) or [""])
    return out


class ReportView(Log):
    """A Log of a report's lines, re-wrapped whenever its width changes."""

    def __init__(self, text: str = "", *, id: str | None = None,  # noqa: A002
                 classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._source: list[str] = [visible(line) for line in text.splitlines()]
        self._wrapped_for = 0

    def show(self, text: str) -> None:
        """Replace the report with `text` and scroll to its top."""
        self._source = [visible(line) for line in text.splitlines()]
        self._wrapped_for = 0
        self._rewrap()

    def _text_width(self) -> int:
        """Room for text, leaving the vertical scrollbar's columns whether or not it shows
        (so showing it never pushes a line off the edge)."""
        return self.size.width - self.styles.scrollbar_size_vertical

    def _rewrap(self) -> None:
        width = self._text_width()
        if width <= 0 or width == self._wrapped_for:
            return
        self._wrapped_for = width
        self.clear()
        # Log.write_lines drops an empty string (it splits each into lines): a blank line
        # between a report's sections is written as one space so it stays.
        self.write_lines([line or " " for line in wrap_lines(self._source, width)])
        self.scroll_home(animate=False)

    def on_resize(self, event: Resize) -> None:
        self._rewrap()
