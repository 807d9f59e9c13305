"""Sign-in: username and PIN. The bottom of the screen stack; signing out comes back here.

Messages come from the domain as written and are shown literally: a typed username like
`[bold]x` stays text. Every failed sign-in gets the same one ("Username or PIN not recognised"),
so the screen cannot tell a mistyped PIN from an unknown name either: it goes back to the
username, selected, so Enter keeps it and typing replaces it.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Center, Vertical
from textual.widgets import Input

from clerk_tui.domain import auth
from clerk_tui.domain.errors import AuthError, ClerkError
from clerk_tui.screens.base import ClerkScreen
from clerk_tui.widgets.inputs import ClerkInput, PinInput
from clerk_tui.widgets.literal import LiteralLabel


def sandbox_clerks() -> list[tuple[str, str, str]]:
    """The training database's demo clerks (username, role, PIN), if the sandbox module exists."""
    try:
        from clerk_tui.sandbox import SANDBOX_CLERKS
    except ImportError:
        return []
    return [(str(u), str(r), str(p)) for u, r, p in SANDBOX_CLERKS]


class LoginScreen(ClerkScreen):
    """Username, then PIN, then Enter."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "app.quit", "Quit", id="login.quit"),
    ]
    AUTO_FOCUS = "#login-user"

    def __init__(self) -> None:
        super().__init__(id="login")
        self.title = "Sign in"

    def compose_body(self) -> ComposeResult:
        with Center(), Vertical(id="login-box", classes="dialog"):
            yield LiteralLabel(f"Counter sign-in — workstation {self.session.workstation}",
                               style="bold", id="login-title")
            yield ClerkInput(placeholder="Username", id="login-user", max_length=32)
            yield PinInput(id="login-pin")
            yield LiteralLabel("", id="login-message", classes="message")
            if self.session.sandbox:
                for n, line in enumerate(self._demo_text().splitlines()):
                    yield LiteralLabel(line, id=f"login-demo-{n}", classes="login-demo")

    @staticmethod
    def _demo_text() -> str:
        clerks = sandbox_clerks()
        if not clerks:
            return "TRAINING database: demo clerks are listed in the README."
        pairs = "   ".join(f"{u} {p}" for u, _r, p in clerks)
        return f"TRAINING — demo clerks and PINs:\n{pairs}"

    def on_mount(self) -> None:
        """Focus the username at once, so a clerk typing ahead of the screen loses nothing."""
        self.set_focus(self.query_one("#login-user", Input))

    def on_screen_resume(self) -> None:
        """Back from a session (sign-out): nothing of the last clerk stays on screen."""
        self.query_one("#login-pin", Input).value = ""
        self.query_one("#login-user", Input).focus()

    @on(Input.Submitted, "#login-user")
    def _user_done(self) -> None:
        self.query_one("#login-pin", Input).focus()

    @on(Input.Submitted, "#login-pin")
    def _pin_done(self) -> None:
        user_field = self.query_one("#login-user", Input)
        pin_field = self.query_one("#login-pin", Input)
        user, pin = user_field.value.strip(), pin_field.value
        pin_field.value = ""
        if not user:
            self.say("Enter your username.", focus=user_field)
            return
        if not pin:
            self.say("Enter your PIN.", focus=pin_field)
            return
        self.say("Checking…", focus=pin_field)
        self._sign_in(user, pin)

    @work(thread=True, exclusive=True, group="signin")
    def _sign_in(self, user: str, pin: str) -> None:
        """scrypt and a database write: off the UI thread so the screen stays responsive."""
        app = self.clerk_app
        try:
            actor = auth.sign_in(self.session.db, user, pin, self.session.workstation)
        except AuthError as e:
            app.call_from_thread(self._failed, str(e), True)
            return
        except ClerkError as e:
            app.call_from_thread(self._failed, str(e), False)
            return
        except Exception as e:  # database trouble: one clear line, stay here
            app.call_from_thread(self._failed, f"Cannot sign in: {e}", False)
            return
        app.call_from_thread(self._succeeded, actor)

    def _failed(self, message: str, retype_user: bool) -> None:
        user_field = self.query_one("#login-user", Input)
        self.say(message, focus=user_field if retype_user else self.query_one("#login-pin", Input))
        if retype_user:
            user_field.select_all()

    def _succeeded(self, actor: object) -> None:
        self.say("")
        self.query_one("#login-user", Input).value = ""
        self.clerk_app.start_session(actor)  # type: ignore[arg-type]

    def say(self, message: str, focus: Input | None = None) -> None:
        self.query_one("#login-message", LiteralLabel).set_value(message)
        if focus is not None:
            focus.focus()
