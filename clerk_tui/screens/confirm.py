"""A yes/no question, answered from the keyboard; the safe answer is the default."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen

from clerk_tui.widgets.literal import LiteralLabel


class ConfirmScreen(ModalScreen[bool]):
    """Y answers yes, N or Esc answers no; Enter gives `default` (no, unless told otherwise).

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
        super().__init__(classes="dialog-screen")
        self.question = question
        self.yes_label = yes
        self.no_label = no
        self.default = default

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-box", classes="dialog"):
            yield LiteralLabel(self.question, id="confirm-question")
            hint = (f"Y = {self.yes_label}    N or Esc = {self.no_label}    "
                    f"Enter = {self.yes_label if self.default else self.no_label}")
            yield LiteralLabel(hint, style="bold", id="confirm-keys")

    def action_answer(self, value: bool) -> None:
        self.dismiss(value)

    def action_default(self) -> None:
        self.dismiss(self.default)
