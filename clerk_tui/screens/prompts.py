"""Small modal prompts the cashier screens share: pick a reason code, type a line of text,
enter an amount with a reason. All three are the screen kit's (`Picker`, `Prompt`) with the
fields filled in: one implementation, here only what each asks.

Each returns plain values (or None on Esc, which changes nothing); the calling screen passes
them to the domain, which has the last word on what is acceptable. The prompts only catch what
would be pointless to send (an empty required field), so the domain's message is what the
clerk reads for anything else.
"""

from __future__ import annotations

from collections.abc import Mapping

from clerk_tui.domain.errors import ClerkError
from clerk_tui.domain.money import parse_money
from clerk_tui.screens.kit import Check, Field, Picker, Prompt

__all__ = ["AmountPrompt", "Check", "ReasonPicker", "TextPrompt"]


class ReasonPicker(Picker):
    """Pick a reason code from the city's list (`data/reason_codes.toml`); Esc cancels."""

    def __init__(self, title: str, codes: Mapping[str, str]) -> None:
        self.codes = dict(codes)
        super().__init__(title, [(code, f"{code:<8}{text}") for code, text in self.codes.items()])


class TextPrompt(Prompt):
    """One line of text (a note, a reason, a session number). Enter accepts, Esc cancels."""

    def __init__(self, title: str, *, placeholder: str = "", max_length: int = 200,
                 check: Check | None = None, value: str = "") -> None:
        super().__init__(title, [Field("input", "", value=value, placeholder=placeholder,
                                       max_length=max_length, check=check)], name="prompt")
        self.check = check
        self.value = value

    def answer(self, values: dict[str, str]) -> str:
        return values["input"]


def _money(text: str) -> str | None:
    """The domain's own message for an amount it would refuse (None when it parses)."""
    try:
        parse_money(text, allow_zero=False)
    except ClerkError as e:
        return str(e)
    return None


class AmountPrompt(Prompt):
    """An amount, a reason and (for a paid-out voucher or a pickup bag) a number.

    Returns (cents, reason, number). The amount is parsed with the domain's `parse_money`, so a
    bad amount shows the same message as everywhere else and the prompt stays open.
    """

    def __init__(self, title: str, *, number_label: str = "") -> None:
        fields = [Field("input", "", placeholder="Amount, e.g. 20.00", max_length=20,
                        check=_money),
                  Field("reason", "", placeholder="Reason", max_length=200)]
        if number_label:
            fields.append(Field("number", "", placeholder=number_label, max_length=30))
        super().__init__(title, fields, name="amount",
                         hint="Enter = next / OK    Esc = cancel (nothing changes)")
        self.number_label = number_label

    def answer(self, values: dict[str, str]) -> tuple[int, str, str]:
        return (parse_money(values["input"], allow_zero=False), values["reason"],
                values.get("number", ""))
