"""The locked terminal: idle too long or Ctrl+L. Only the signed-in clerk's PIN opens it.

It is a modal screen pushed over whatever the clerk was doing, so the screen beneath keeps its
unsaved work untouched; it is opaque, so a customer at the counter cannot read what is under it.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input

from clerk_tui.domain import auth
from clerk_tui.domain.errors import ClerkError
from clerk_tui.screens.base import UsesSession
from clerk_tui.widgets.footer import ClerkFooter
from clerk_tui.widgets.inputs import PinInput
from clerk_tui.widgets.literal import LiteralLabel, join
from clerk_tui.widgets.statusbar import StatusBar


class LockScreen(UsesSession, ModalScreen[None]):
    """PIN to unlock; Ctrl+Q (after a confirmation) signs the clerk out instead."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "sign_out", "Sign out", id="lock.sign_out"),
    ]
    AUTO_FOCUS = "#lock-pin"

    def __init__(self, reason: str = "locked") -> None:
        super().__init__(classes="opaque-screen")
        self.reason = reason
        self.title = "Locked"

    def compose(self) -> ComposeResult:
        actor = self.session.actor
        yield StatusBar()
        with Vertical(id="lock-box", classes="dialog"):
            yield LiteralLabel("This terminal is locked", style="bold", id="lock-title")
            who = LiteralLabel(id="lock-who")
            who.set_text(join("Signed in: ", (actor.full_name or actor.username, "bold"),
                              f" ({actor.username})"))
            yield who
            why = ("Locked after no key was pressed for a while."
                   if self.reason == "idle" else "Locked by the clerk.")
            yield LiteralLabel(why, id="lock-why")
            yield LiteralLabel("Enter your PIN to unlock:", id="lock-prompt")
            yield PinInput(id="lock-pin")
            yield LiteralLabel("", id="lock-message", classes="message")
        yield ClerkFooter()

    @on(Input.Submitted, "#lock-pin")
    def _submitted(self, event: Input.Submitted) -> None:
        pin = event.value
        event.input.value = ""
        if not pin:
            self._say("Enter your PIN.")
            return
        self._unlock(pin)

    @work(thread=True, exclusive=True, group="lock")
    def _unlock(self, pin: str) -> None:
        """Checking the PIN writes (failure count, audit) and may wait on the database."""
        app = self.app
        try:
            auth.unlock_terminal(self.session.db, self.session.actor, pin)
        except ClerkError as e:
            app.call_from_thread(self._say, str(e))
            return
        except Exception as e:  # database busy, disk trouble: say so, stay locked
            app.call_from_thread(self._say, f"Could not check the PIN: {e}")
            return
        app.call_from_thread(self.dismiss, None)

    def _say(self, message: str) -> None:
        self.query_one("#lock-message", LiteralLabel).set_value(message)
        self.query_one("#lock-pin", Input).focus()

    def action_sign_out(self) -> None:
        self.session.sign_out()
