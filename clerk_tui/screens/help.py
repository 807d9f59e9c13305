"""F1: every key of the screen the clerk was on, the counters, and the keys that work anywhere.

The footer only has room for a few keys at 80 columns; this screen lists them all, as
currently bound (a site keymap shows here with its own keys).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from clerk_tui.screens.counters import COUNTERS
from clerk_tui.widgets.footer import ClerkFooter
from clerk_tui.widgets.literal import literal
from clerk_tui.widgets.statusbar import StatusBar

if TYPE_CHECKING:
    from clerk_tui.app import ClerkApp

_KEY_WIDTH = 17


def _row(key: str, what: str) -> Text:
    line = literal(key.ljust(_KEY_WIDTH), "bold")
    line.append_text(literal(what))
    return line


def keys_text(app: ClerkApp, screen: Screen) -> Text:
    """The help text for `screen`: its own keys, then counters, then global keys."""
    own: list[Text] = []
    everywhere: list[Text] = []
    seen: set[tuple[str, str]] = set()
    counter_actions = {f"{ns}open_counter('{c.id}')" for c in COUNTERS for ns in ("", "app.")}
    for active in screen.active_bindings.values():
        binding = active.binding
        # Our bindings all carry an id (that is how a site remaps them); Textual's own widget
        # keys (scrolling, copy) do not, and would only crowd the list.
        if (binding.id is None or binding.system or not binding.description
                or binding.action in counter_actions):
            continue
        shown = binding.key_display or app.long_key_display(binding.key)
        if (shown, binding.description) in seen:
            continue
        seen.add((shown, binding.description))
        target = everywhere if active.node is app else own
        target.append(_row(shown, binding.description))
    # The screen's keys that are off right now (a payment's V, R, N before it is posted): the
    # clerk reads here what they will do, and when (the screen's `help_when`, if it has one).
    for bindings in screen._bindings.key_to_bindings.values():
        for binding in bindings:
            if (binding.id is None or binding.system or not binding.description
                    or binding.action in counter_actions):
                continue
            shown = binding.key_display or app.long_key_display(binding.key)
            if (shown, binding.description) in seen:
                continue
            seen.add((shown, binding.description))
            when = getattr(screen, "help_when", None)
            note = (when(binding.action) if when else "") or "not available now"
            own.append(_row(shown, f"{binding.description} ({note})"))
    out = Text()
    title = screen.title or "this screen"
    out.append_text(literal(f"On {title}", "bold underline"))
    out.append("\n")
    for line in own or [literal("(no keys of its own)", "dim")]:
        out.append_text(line)
        out.append("\n")
    out.append_text(_row("Tab / Shift+Tab", "Next / previous field"))
    out.append("\n\n")
    out.append_text(literal("Counters (F-key anywhere, letter on Home)", "bold underline"))
    out.append("\n")
    name_width = max(len(c.name) for c in COUNTERS) + 1
    for c in COUNTERS:
        fkey = app.key_display_for(c.binding_id, c.key)
        letter = app.key_display_for(c.home_binding_id, c.mnemonic)
        allowed = app.session.may_open(c)
        line = _row(f"{fkey} / {letter}", c.name.ljust(name_width) + c.summary)
        if not allowed:
            line.append(" (not for your role)", style="dim")
        out.append_text(line)
        out.append("\n")
    out.append("\n")
    out.append_text(literal("Everywhere", "bold underline"))
    out.append("\n")
    for line in everywhere:
        out.append_text(line)
        out.append("\n")
    out.append_text(_row("Esc", "Back / cancel (asks before throwing typed work away)"))
    out.append("\n")
    out.append_text(_row("Enter", "Accept the obvious default"))
    return out


class HelpScreen(ModalScreen[None]):
    """All keys, scrollable with the arrows; Esc, F1 or Q closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="help.close"),
        Binding("f1,q", "close", "Close", show=False, id="help.close_alt"),
    ]
    AUTO_FOCUS = "#help-body"

    def __init__(self, text: Text) -> None:
        super().__init__(classes="opaque-screen")
        self.text = text
        self.title = "Help: keys"

    def compose(self) -> ComposeResult:
        yield StatusBar()
        with VerticalScroll(id="help-body"):
            yield Static(self.text, id="help-text", markup=False)
        yield ClerkFooter()

    def action_close(self) -> None:
        self.dismiss(None)
