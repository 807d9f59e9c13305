"""Small modal prompts the cashier screens share: pick a reason code, type a line of text,
enter an amount with a reason.

Each returns plain values (or None on Esc, which changes nothing); the calling screen passes
them to the domain, which has the last word on what is acceptable. The prompts only catch what
would be pointless to send (an empty required field), so the domain's message is what the
clerk reads for anything else.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from clerk_tui.domain.errors import ClerkError
from clerk_tui.domain.money import parse_money
from clerk_tui.screens.base import AsksBeforeDiscarding
from clerk_tui.widgets.inputs import ClerkInput
from clerk_tui.widgets.literal import LiteralLabel, join

Check = Callable[[str], str | None]
"""Validates a typed value before the prompt closes: returns an error message or None."""


class ReasonPicker(ModalScreen[str | None]):
    """Pick a reason code from the city's list (`data/reason_codes.toml`); Esc cancels."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="prompt.cancel"),
    ]
    AUTO_FOCUS = "#reason-list"

    def __init__(self, title: str, codes: Mapping[str, str]) -> None:
        super().__init__(classes="dialog-screen")
        self.heading = title
        self.codes = dict(codes)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="reason-box"):
            yield LiteralLabel(self.heading, style="bold", id="reason-title")
            options = [Option(join((f"{code:<8}", "bold"), text), id=code)
                       for code, text in self.codes.items()]
            yield OptionList(*options, id="reason-list")
            yield LiteralLabel("Up/Down, Enter = pick    Esc = cancel (nothing changes)",
                               style="dim")

    @on(OptionList.OptionSelected, "#reason-list")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


class TextPrompt(AsksBeforeDiscarding, ModalScreen[str | None]):
    """One line of text (a note, a reason, a session number). Enter accepts, Esc cancels."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="prompt.cancel"),
    ]
    AUTO_FOCUS = "#prompt-input"

    def __init__(self, title: str, *, placeholder: str = "", max_length: int = 200,
                 check: Check | None = None, value: str = "") -> None:
        super().__init__(classes="dialog-screen")
        self.heading = title
        self.placeholder = placeholder
        self.max_length = max_length
        self.check = check
        self.value = value

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="prompt-box"):
            yield LiteralLabel(self.heading, style="bold", id="prompt-title")
            yield ClerkInput(self.value, placeholder=self.placeholder,
                             max_length=self.max_length, id="prompt-input")
            yield LiteralLabel("", id="prompt-message", classes="message")
            yield LiteralLabel("Enter = OK    Esc = cancel (nothing changes)", style="dim")

    @on(Input.Submitted, "#prompt-input")
    def _submitted(self, event: Input.Submitted) -> None:
        problem = self.check(event.value) if self.check else None
        if problem:
            self.query_one("#prompt-message", LiteralLabel).set_value(problem)
            return
        self.dismiss(event.value)

    def show_error(self, message: str) -> None:
        self.query_one("#prompt-message", LiteralLabel).set_value(message)

    def action_cancel(self) -> None:
        self.leave_or_ask(lambda: self.dismiss(None))


class AmountPrompt(AsksBeforeDiscarding, ModalScreen[tuple[int, str, str] | None]):
    """An amount, a reason and (for a paid-out voucher or a pickup bag) a number.

    Returns (cents, reason, number). The amount is parsed with the domain's `parse_money`, so a
    bad amount shows the same message as everywhere else and the prompt stays open.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="prompt.cancel"),
    ]
    AUTO_FOCUS = "#amount-input"

    def __init__(self, title: str, *, number_label: str = "") -> None:
        super().__init__(classes="dialog-screen")
        self.heading = title
        self.number_label = number_label

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="amount-box"):
            yield LiteralLabel(self.heading, style="bold", id="amount-title")
            yield ClerkInput(placeholder="Amount, e.g. 20.00", max_length=20,
                             id="amount-input")
            yield ClerkInput(placeholder="Reason", max_length=200, id="amount-reason")
            if self.number_label:
                yield ClerkInput(placeholder=self.number_label, max_length=30,
                                 id="amount-number")
            yield LiteralLabel("", id="amount-message", classes="message")
            yield LiteralLabel("Enter = next / OK    Esc = cancel (nothing changes)",
                               style="dim")

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        fields = [f for f in self.query(ClerkInput)]
        index = fields.index(event.input)
        try:
            cents = parse_money(self.query_one("#amount-input", Input).value,
                                allow_zero=False)
        except ClerkError as e:
            self.query_one("#amount-message", LiteralLabel).set_value(str(e))
            self.query_one("#amount-input", Input).focus()
            return
        if index + 1 < len(fields):
            fields[index + 1].focus()
            return
        reason = self.query_one("#amount-reason", Input).value
        number = (self.query_one("#amount-number", Input).value
                  if self.number_label else "")
        self.dismiss((cents, reason, number))

    def action_cancel(self) -> None:
        self.leave_or_ask(lambda: self.dismiss(None))
