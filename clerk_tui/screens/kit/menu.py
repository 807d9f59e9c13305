"""Letter menus and pickers: choose one thing by its letter, or by arrows and Enter.

`LetterMenu` generalises the account `A` menu, the desk's job list and the reports list: each
choice has a letter, only the choices the clerk may use are shown (a hidden letter does
nothing), and the letter picks at once. `Picker` generalises `ChoiceScreen` and the reason
picker: a list to pick one from, either given or loaded through `run` (never read on the UI
thread). Both dismiss with the key picked, or None on Esc (nothing changes).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from clerk_tui.screens.kit.base import KitModal, Run
from clerk_tui.widgets.literal import LiteralLabel, join


@dataclass(frozen=True)
class Choice:
    """One line of a letter menu. `allowed=False` hides it (no permission, wrong state)."""

    letter: str
    label: str
    allowed: bool = True


def letter_options(choices: Sequence[Choice]) -> list[Option]:
    """The options of a letter menu: "X  label", the option's id the lower-case letter. A
    counter screen whose body is a letter list (the utility desk) shows the same lines."""
    return [Option(join((f"{c.letter.upper()}  ", "bold"), c.label), id=c.letter.lower())
            for c in choices if c.allowed]


class LetterMenu(KitModal["str | None"]):
    """Choices with letters; a letter picks, Up/Down + Enter picks, Esc cancels."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="kit.menu.cancel"),
    ]
    AUTO_FOCUS = "#kit-choices"

    def __init__(self, title: str, choices: Sequence[Choice], *, note: str = "") -> None:
        super().__init__()
        letters = [c.letter.lower() for c in choices]
        dupes = sorted({x for x in letters if letters.count(x) > 1})
        if dupes or any(len(x) != 1 for x in letters):
            raise ValueError(f"letter menu {title!r}: one letter per choice, no repeats ({dupes})")
        self.heading = title
        self.note = note
        self.choices = [c for c in choices if c.allowed]

    def compose(self) -> ComposeResult:
        with Vertical(classes="kit-dialog", id="kit-menu-box"):
            yield LiteralLabel(self.heading, classes="kit-title", id="kit-title")
            if self.choices:
                yield OptionList(*letter_options(self.choices), id="kit-choices",
                                 classes="kit-choices")
            else:
                yield LiteralLabel(self.note or "Nothing here you may do.", id="kit-empty")
            yield LiteralLabel("", classes="kit-message", id="kit-message")
            yield LiteralLabel("Letter or Up/Down + Enter = pick    Esc = cancel",
                               classes="kit-hint")

    def letters(self) -> list[str]:
        """The letters that do something (the shown choices)."""
        return [c.letter.lower() for c in self.choices]

    def on_key(self, event: events.Key) -> None:
        ch = (event.character or "").lower()
        if len(ch) == 1 and ch in self.letters():
            event.stop()
            self.dismiss(ch)

    @on(OptionList.OptionSelected, "#kit-choices")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(str(event.option.id))

    def action_cancel(self) -> None:
        self.dismiss(None)


class Picker(KitModal["str | None"]):
    """Pick one of a list of (key, label): Up/Down + Enter; Esc cancels.

    Give `items`, or `load` (a domain call returning them) to read through `run`."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="kit.picker.cancel"),
    ]
    AUTO_FOCUS = "#kit-choices"

    def __init__(self, title: str, items: Sequence[tuple[str, str]] | None = None, *,
                 load: Callable[[], Sequence[tuple[str, str]]] | None = None,
                 run: Run | None = None, empty: str = "Nothing to pick from.") -> None:
        super().__init__(run)
        if (items is None) == (load is None):
            raise ValueError("Picker: give items or load, not both")
        self.heading = title
        self.items = list(items or [])
        self.load = load
        self.empty = empty

    def compose(self) -> ComposeResult:
        with Vertical(classes="kit-dialog", id="kit-picker-box"):
            yield LiteralLabel(self.heading, classes="kit-title", id="kit-title")
            yield OptionList(id="kit-choices", classes="kit-choices")
            yield LiteralLabel("", classes="kit-message", id="kit-message")
            yield LiteralLabel("Up/Down, Enter = pick    Esc = cancel (nothing changes)",
                               classes="kit-hint")

    def on_mount(self) -> None:
        if self.load is not None:
            self.work(self.load, then=self._show)
        else:
            self._show(self.items)

    def _show(self, items: Any) -> None:
        self.items = list(items)
        options = self.query_one("#kit-choices", OptionList)
        options.clear_options()
        options.add_options([Option(join(label), id=key) for key, label in self.items])
        if self.items:
            options.highlighted = 0
        else:
            self._say(self.empty)

    @on(OptionList.OptionSelected, "#kit-choices")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.picked(str(event.option.id))

    def picked(self, key: str) -> None:
        """What picking does: dismiss with the key. A picker that leads on to a screen (the
        order's kind, then its form) overrides it to switch to that screen."""
        self.dismiss(key)

    def action_cancel(self) -> None:
        self.dismiss(None)
