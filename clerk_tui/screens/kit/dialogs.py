"""Confirm and say: the two small modals every counter needs.

`ConfirmDialog` (Y, N or Esc, Enter = the safe default) is the app's only yes/no question:
`screens/confirm.py`'s `ConfirmScreen` is another name for it.
`SayDialog` shows one message until the clerk has read it (Enter or Esc): for what must not
scroll away in a message line (a refusal after a long job, "take the receipt").
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical

from clerk_tui.screens.kit.base import KitModal
from clerk_tui.widgets.literal import LiteralLabel


class ConfirmDialog(KitModal[bool]):
    """A yes/no question: Y = yes, N or Esc = no, Enter = `default` (no, unless told).

    Used before anything that throws away work, so a stray Enter or Esc keeps the work.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Yes", id="confirm.yes"),
        Binding("n", "answer(False)", "No", id="confirm.no"),
        Binding("escape", "answer(False)", "No", show=False, id="confirm.cancel"),
        Binding("enter", "default", "Default", show=False, id="confirm.default"),
    ]
    AUTO_FOCUS = ""  # nothing to type into: the keys above work without focus

    def __init__(self, question: str, *, yes: str = "Yes", no: str = "No",
                 default: bool = False) -> None:
        super().__init__()
        self.question = question
        self.yes_label = yes
        self.no_label = no
        self.default = default

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-box", classes="kit-dialog"):
            yield LiteralLabel(self.question, id="confirm-question")
            hint = (f"Y = {self.yes_label}    N or Esc = {self.no_label}    "
                    f"Enter = {self.yes_label if self.default else self.no_label}")
            yield LiteralLabel(hint, style="bold", id="confirm-keys")

    def action_answer(self, value: bool) -> None:
        self.dismiss(value)

    def action_default(self) -> None:
        self.dismiss(self.default)


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
