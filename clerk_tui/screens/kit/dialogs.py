"""Confirm and say: the two small modals every counter needs.

`ConfirmDialog` is the app's `ConfirmScreen` (Y, N or Esc, Enter = the safe default) drawn with
the kit's stylesheet, so code and tests that look for a `ConfirmScreen` still find it.
`SayDialog` shows one message until the clerk has read it (Enter or Esc): for what must not
scroll away in a message line (a refusal after a long job, "take the receipt").
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical

from clerk_tui.screens.confirm import ConfirmScreen
from clerk_tui.screens.kit.base import KIT_CSS, KitModal
from clerk_tui.widgets.literal import LiteralLabel


class ConfirmDialog(ConfirmScreen):
    """A yes/no question: Y = yes, N or Esc = no, Enter = `default` (no, unless told)."""

    CSS_PATH: ClassVar[str | Path | None] = KIT_CSS  # type: ignore[misc]

    def __init__(self, question: str, *, yes: str = "Yes", no: str = "No",
                 default: bool = False) -> None:
        super().__init__(question, yes=yes, no=no, default=default)
        self.set_classes("kit-modal")

    def on_mount(self) -> None:
        """The app's layout, the kit's frame (kit.tcss styles `.kit-dialog`)."""
        self.query_one("#confirm-box").set_classes("kit-dialog")


class SayDialog(KitModal[None]):
    """One message, shown literally, until Enter or Esc."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "close", "OK", id="kit.say.ok"),
        Binding("escape", "close", "OK", show=False, id="kit.say.close"),
    ]
    AUTO_FOCUS = ""

    def __init__(self, message: str, *, title: str = "") -> None:
        super().__init__()
        self.message = message
        self.heading = title

    def compose(self) -> ComposeResult:
        with Vertical(id="say-box", classes="kit-dialog"):
            if self.heading:
                yield LiteralLabel(self.heading, classes="kit-title", id="say-title")
            yield LiteralLabel(self.message, id="say-message")
            yield LiteralLabel("Enter or Esc = OK", classes="kit-hint")

    def action_close(self) -> None:
        self.dismiss(None)
