"""A prompt: a small dialog of one or more lines that closes with what was typed.

Unlike `Form` (which sends its values to the domain through `run` and stays to show the
result), a prompt does no domain work: it returns plain values (or None on Esc) to the screen
that opened it, which hands them to the domain. The app's `TextPrompt` (one line) and
`AmountPrompt` (amount, reason, number) are prompts.

Enter checks the field it was pressed in (its `Field.check`) and moves on; on the last field it
checks every field and closes with `answer(values)`. A refused field keeps the prompt open,
shows the message and puts the cursor in that field. Esc closes at once when nothing was typed
and asks first when something was.
"""

from __future__ import annotations

from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Input

from clerk_tui.screens.kit.base import KitAsks, KitModal
from clerk_tui.screens.kit.form import Field
from clerk_tui.widgets.inputs import ClerkInput
from clerk_tui.widgets.literal import LiteralLabel


class Prompt(KitAsks, KitModal[Any]):
    """`fields` in a dialog box; closes with `answer(values)` (raw values, by field id).

    `name` prefixes the widgets' ids: "<name>-box", "<name>-title", "<name>-<field id>",
    "<name>-message"."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="prompt.cancel"),
    ]
    AUTO_FOCUS = ""
    HINT = "Enter = OK    Esc = cancel (nothing changes)"

    def __init__(self, title: str, fields: list[Field], *, name: str = "prompt",
                 hint: str | None = None) -> None:
        super().__init__(classes="dialog-screen")
        self.heading = title
        self.fields = fields
        self.prefix = name
        self.hint = hint if hint is not None else self.HINT

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id=f"{self.prefix}-box"):
            yield LiteralLabel(self.heading, style="bold", id=f"{self.prefix}-title")
            for f in self.fields:
                yield ClerkInput(f.value, placeholder=f.placeholder, max_length=f.max_length,
                                 id=f"{self.prefix}-{f.id}")
            yield LiteralLabel("", id=f"{self.prefix}-message", classes="message")
            yield LiteralLabel(self.hint, style="dim")

    def on_mount(self) -> None:
        if self.fields:
            self.field(self.fields[0].id).focus()

    def field(self, field_id: str) -> Input:
        return self.query_one(f"#{self.prefix}-{field_id}", Input)

    def values(self) -> dict[str, str]:
        return {f.id: self.field(f.id).value for f in self.fields}

    def _say(self, message: str, style: str = "") -> None:
        self.query_one(f"#{self.prefix}-message", LiteralLabel).set_value(message, style)

    show_error = _say

    def _refuses(self, f: Field, value: str) -> bool:
        """Run `f`'s check: on a refusal say why, put the cursor there, and return True."""
        message = f.check(value) if f.check else None
        if message:
            self._say(message)
            self.field(f.id).focus()
            return True
        return False

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        ids = [f"{self.prefix}-{f.id}" for f in self.fields]
        if event.input.id not in ids:
            return
        index = ids.index(event.input.id)
        values = self.values()
        if self._refuses(self.fields[index], values[self.fields[index].id]):
            return
        if index + 1 < len(self.fields):
            self._say("")
            self.field(self.fields[index + 1].id).focus()
            return
        if any(self._refuses(f, values[f.id]) for f in self.fields):
            return
        self.dismiss(self.answer(values))

    def answer(self, values: dict[str, str]) -> Any:
        """What the prompt closes with (default: the values by field id)."""
        return values

    def action_cancel(self) -> None:
        self.leave_or_ask(lambda: self.dismiss(None))
