"""Home: every counter with its function key and letter, built from the counter registry.

Letters work here (no text field to type into), F-keys work everywhere. Arrows and Enter work
at once: the list has the focus.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from clerk_tui.screens.base import ClerkScreen
from clerk_tui.screens.counters import COUNTERS, Counter
from clerk_tui.widgets.literal import LiteralLabel, join, literal


def _home_bindings() -> list[BindingType]:
    return [
        Binding(c.mnemonic, f"app.open_counter('{c.id}')", c.name, show=False,
                id=c.home_binding_id)
        for c in COUNTERS
    ]


class CounterList(OptionList):
    """The counters; Enter opens the highlighted one (shown in the footer as "Open")."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select", "Open", id="home.open"),
    ]


class HomeScreen(ClerkScreen):
    """The counters menu."""

    BINDINGS: ClassVar[list[BindingType]] = _home_bindings()
    AUTO_FOCUS = "#home-counters"

    def __init__(self) -> None:
        super().__init__(id="home")
        self.title = "Home"

    def compose_body(self) -> ComposeResult:
        actor = self.session.actor if self.session.signed_in else None
        welcome = LiteralLabel(id="home-welcome")
        if actor is not None:
            welcome.set_text(join("Signed in: ", (actor.full_name or actor.username, "bold"),
                                  f"  ({actor.username}, {self.session.role_label(actor.role)})"))
        yield welcome
        yield CounterList(*[self._option(c) for c in COUNTERS], id="home-counters")
        yield LiteralLabel(self._global_keys(), id="home-keys")

    def _option(self, c: Counter) -> Option:
        app = self.clerk_app
        fkey = app.key_display_for(c.binding_id, c.key)
        letter = app.key_display_for(c.home_binding_id, c.mnemonic)
        allowed = self.session.may_open(c)
        line = Text()
        line.append_text(literal(f"{fkey:<4}", "bold"))
        line.append_text(literal(f"{letter:<3}", "bold"))
        width = max(len(other.name) for other in COUNTERS) + 2
        line.append_text(literal(f"{c.name:<{width}}"))
        if allowed:
            line.append_text(literal(c.summary))
        else:  # one line at 80 columns, so every counter stays on screen without scrolling
            line.append("not for your role", style="dim")
        return Option(line, id=c.id)

    def _global_keys(self) -> str:
        app = self.clerk_app
        pairs = [
            (app.key_display_for("app.help", "f1"), "Help/keys"),
            (app.key_display_for("app.lock", "ctrl+l"), "Lock"),
            (app.key_display_for("app.sign_out", "ctrl+q"), "Sign out"),
            (app.key_display_for("app.palette", "ctrl+p"), "Commands"),
        ]
        return "    ".join(f"{k} {what}" for k, what in pairs)

    @on(OptionList.OptionSelected, "#home-counters")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.session.open_counter(event.option.id)
