"""Small pieces the licenses screens share."""

from __future__ import annotations

from textual.app import ComposeResult

from clerk_tui.widgets.statusbar import StatusBar


class WithStatusBar:
    """Mix into a kit list (before it): the status bar (clerk, drawer, TRAINING) on top, as on
    every counter screen."""

    def compose(self) -> ComposeResult:
        yield StatusBar()
        yield from super().compose()  # type: ignore[misc]
