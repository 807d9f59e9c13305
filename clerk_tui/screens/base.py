"""Base screens: the status bar and footer every screen has, and the counter contract.

`ClerkScreen` gives every full screen the status bar (who, where, TRAINING) and the footer.
`CounterScreen` adds what a counter must honour: Esc goes back but never throws work away,
and `has_unsaved_work()` tells the app whether leaving (Esc, another counter's F-key, sign-out)
needs a confirmation first.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Input, TextArea

from clerk_tui.widgets.footer import ClerkFooter
from clerk_tui.widgets.inputs import ClerkInput
from clerk_tui.widgets.statusbar import StatusBar

if TYPE_CHECKING:
    from clerk_tui.app import ClerkApp
    from clerk_tui.screens.counters import Counter
    from clerk_tui.session import Session


class UsesSession:
    """Mix into a screen or dialog for `self.session` (clerk_tui/session.py): the typed way to
    the database, the clerk, the devices and the app's services, instead of `self.app.<x>`."""

    @property
    def session(self) -> Session:
        app: ClerkApp = self.app  # type: ignore[attr-defined]
        return app.session


def unsaved_text(screen: Screen) -> bool:
    """True when any field on the screen holds text: the default meaning of "unsaved work"."""
    for field in screen.query(Input):
        if field.value.strip() and not field.has_class("-not-work"):
            return True
    return any(area.text.strip() for area in screen.query(TextArea))


LEAVE_QUESTION = "Leave this screen? What you typed is not saved and will be lost."


def typed_work(screen: Screen) -> bool:
    """True when the clerk has typed into a field of `screen` and not saved it. Values the
    screen filled in itself (a default date, the amount due, a receipt number) are not typed
    work until the clerk changes them."""
    return any(f.typed for f in screen.query(ClerkInput) if not f.has_class("-not-work"))


class AsksBeforeDiscarding(UsesSession):
    """For a dialog or form over a counter (a `ModalScreen`): Esc leaves at once when nothing
    was typed, and asks first when something was — as Esc on a counter does (README: "Esc:
    Back; it asks before throwing away anything typed").

    Mix it in before the Screen class and send the screen's Esc through `leave_or_ask`. A
    screen that stays open after saving overrides `has_unsaved_work` (or calls
    `mark_saved`). tests/ui/test_escape_asks.py checks that every screen with a typing field
    is either a counter, one of these, or on its short list of exceptions.
    """

    def has_unsaved_work(self) -> bool:
        return typed_work(self)  # type: ignore[arg-type]

    def mark_saved(self) -> None:
        for field in self.query(ClerkInput):  # type: ignore[attr-defined]
            field.mark_saved()

    def leave_or_ask(self, leave: Callable[[], object]) -> None:
        """Run `leave` now, or after the clerk answers Leave to the question."""
        if not self.has_unsaved_work():
            leave()
            return
        self.session.confirm(LEAVE_QUESTION, lambda yes: leave() if yes else None, yes="Leave")


class ClerkScreen(UsesSession, Screen):
    """A full screen with the status bar on top and the footer below."""

    AUTO_FOCUS: ClassVar[str | None] = "*"

    @property
    def clerk_app(self) -> ClerkApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield StatusBar()
        yield from self.compose_body()
        # The palette key is on Home and in F1; the footer's 80 columns go to this screen's keys.
        yield ClerkFooter()

    def compose_body(self) -> ComposeResult:
        """The screen's own content, between the status bar and the footer."""
        yield from ()

    def has_unsaved_work(self) -> bool:
        return False

    settled: bool = False
    """False until the first refresh after mount, when the screen has put its focus where it
    wants it (a payment opened for an account focuses the amount, not the item field). The
    app holds typed-ahead keys until then (ClerkApp._deliver_key)."""

    def on_mount(self) -> None:
        self.call_after_refresh(self._settle)

    def _settle(self) -> None:
        if not self.settled:
            self.settled = True
            self.clerk_app.resume_keys()

    def on_key(self, event: events.Key) -> None:
        """Type-ahead: a character typed before the screen had set its focus is not lost.

        A focused Input consumes printable keys itself, so a printable key that reaches the
        screen arrived while nothing was focused: it goes to the field the screen focuses
        first.
        """
        if not event.is_printable or not event.character:
            return
        target = self.focused
        if not isinstance(target, Input):
            target = next((w for w in self.query(self.AUTO_FOCUS or "*")
                           if w.focusable and isinstance(w, Input)), None)
            if target is None or self.focused is not None:
                return
        target.focus()
        target.insert_text_at_cursor(event.character)
        event.stop()


class CounterScreen(ClerkScreen):
    """One counter. Subclass it, compose the body, and set `COUNTER_SCREEN` in the module."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="counter.back"),
    ]

    def __init__(self, counter: Counter, *, name: str | None = None, id: str | None = None,
                 classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.counter = counter
        self.title = counter.name

    def has_unsaved_work(self) -> bool:
        """Override when the screen knows better (e.g. a saved form still showing values)."""
        return unsaved_text(self)

    def action_back(self) -> None:
        """Esc: back to home, asking first if the clerk has typed something not yet saved."""
        self.session.leave_screen(self)
