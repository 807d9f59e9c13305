"""Supervisor override at the point of action: the supervisor types their name and PIN here.

Domain code raises `OverrideRequired` when a clerk is over a limit; the app shows this modal,
`auth.authorize_override` checks the supervisor (their own role and limits, not the clerk's)
and writes the audit row with both names, and the operation is retried with the `Override`.
Use it through `Session.run` (clerk_tui/session.py), not directly.
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
from clerk_tui.domain.actor import Override
from clerk_tui.domain.errors import ClerkError, OverrideRequired
from clerk_tui.screens.base import UsesSession
from clerk_tui.widgets.inputs import ClerkInput, PinInput
from clerk_tui.widgets.literal import LiteralLabel


class OverrideScreen(UsesSession, ModalScreen[Override | None]):
    """Returns the `Override`, or None when the clerk presses Esc (nothing is changed)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="override.cancel"),
    ]
    AUTO_FOCUS = "#override-user"

    def __init__(self, required: OverrideRequired, what: str = "") -> None:
        super().__init__(classes="dialog-screen")
        self.required = required
        self.what = what or required.permission

    def compose(self) -> ComposeResult:
        with Vertical(id="override-box", classes="dialog"):
            yield LiteralLabel("Supervisor approval needed", style="bold", id="override-title")
            yield LiteralLabel(str(self.required), id="override-reason")
            yield LiteralLabel(f"For: {self.what}", id="override-what")
            yield ClerkInput(placeholder="Supervisor username", id="override-user")
            yield PinInput(placeholder="Supervisor PIN", id="override-pin")
            yield LiteralLabel("Enter = approve    Esc = cancel (nothing is changed)",
                               style="dim", id="override-keys")
            yield LiteralLabel("", id="override-message", classes="message")

    @on(Input.Submitted, "#override-user")
    def _user_done(self) -> None:
        self.query_one("#override-pin", Input).focus()

    @on(Input.Submitted, "#override-pin")
    def _pin_done(self) -> None:
        user = self.query_one("#override-user", Input).value.strip()
        pin_field = self.query_one("#override-pin", Input)
        pin = pin_field.value
        pin_field.value = ""
        if not user:
            self._say("Enter the supervisor's username.", focus="#override-user")
            return
        if not pin:
            self._say("Enter the supervisor's PIN.", focus="#override-pin")
            return
        self._authorize(user, pin)

    @work(thread=True, exclusive=True, group="override")
    def _authorize(self, user: str, pin: str) -> None:
        """Checks the PIN (scrypt) and writes the audit row: off the UI thread."""
        app = self.app
        need = self.required
        try:
            override = auth.authorize_override(
                self.session.db, self.session.actor, user, pin, need.permission,
                amount_cents=need.amount_cents, limit=need.limit, what=self.what)
        except ClerkError as e:
            app.call_from_thread(self._say, str(e), "#override-pin")
            return
        except Exception as e:  # database trouble: refuse, never approve by accident
            app.call_from_thread(self._say, f"Could not check the approval: {e}", "#override-pin")
            return
        app.call_from_thread(self.dismiss, override)

    def _say(self, message: str, focus: str) -> None:
        self.query_one("#override-message", LiteralLabel).set_value(message)
        self.query_one(focus, Input).focus()

    def action_cancel(self) -> None:
        self.dismiss(None)
