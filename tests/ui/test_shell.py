"""The app shell at 80x24, keyboard only: sign-in, every counter, help, lock, idle lock,
sign-out, and the rules that keep typed work from being thrown away."""

from __future__ import annotations

import sys
import types
from collections.abc import Callable

import pytest
from textual.app import ComposeResult
from textual.widgets import Input

from clerk_tui.app import ClerkApp, pick_theme, wants_ascii
from clerk_tui.db import Database
from clerk_tui.domain import auth
from clerk_tui.domain.actor import SYSTEM, Actor
from clerk_tui.screens.base import CounterScreen
from clerk_tui.screens.confirm import ConfirmScreen
from clerk_tui.screens.counters import (
    COUNTERS,
    get_counter,
    register_counter_screen,
    unregister_counter_screen,
)
from clerk_tui.screens.help import HelpScreen
from clerk_tui.screens.home import HomeScreen
from clerk_tui.screens.lock import LockScreen
from clerk_tui.screens.login import LoginScreen
from clerk_tui.screens.unavailable import UnavailableScreen
from clerk_tui.widgets.inputs import ClerkInput
from clerk_tui.widgets.literal import LiteralLabel
from clerk_tui.widgets.statusbar import StatusBar
from tests.conftest import PINS
from tests.ui.conftest import SIZE, SignedIn, screen_text, settle, sign_in, type_text


@pytest.fixture
def unbuilt_counters() -> object:
    """The shell's own behaviour, whatever counters other modules have plugged in meanwhile."""
    for c in COUNTERS:
        register_counter_screen(c.id, UnavailableScreen)
    yield COUNTERS
    for c in COUNTERS:
        unregister_counter_screen(c.id)


def _message(app: ClerkApp, selector: str) -> str:
    return app.screen.query_one(selector, LiteralLabel).plain


async def test_sign_in_every_counter_help_lock_idle_and_sign_out(
        make_app: Callable[..., ClerkApp], make_clerk: Callable[..., Actor],
        db: Database, unbuilt_counters: object) -> None:
    make_clerk("csr3")
    app = make_app(idle_lock_seconds=60)
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, LoginScreen)
        assert app.focused is app.screen.query_one("#login-user")
        await sign_in(pilot, "csr3", PINS["csr3"])
        assert isinstance(app.screen, HomeScreen)
        assert app.actor is not None and app.actor.username == "csr3"
        assert app.focused is app.screen.query_one("#home-counters")
        text = screen_text(app)
        for c in COUNTERS:
            assert c.name in text
        assert "Test csr3" in app.screen.query_one(StatusBar).plain
        assert "ws-test" in app.screen.query_one(StatusBar).plain

        # Every counter by F-key and by letter, and back with Esc.
        for c in COUNTERS:
            for key in (c.key, c.mnemonic):
                await pilot.press(key)
                await pilot.pause()
                assert isinstance(app.screen, UnavailableScreen), (c.id, key)
                assert app.screen.counter.id == c.id
                assert f"{c.name} is not available yet" in screen_text(app)
                await pilot.press("escape")
                await pilot.pause()
                assert isinstance(app.screen, HomeScreen), (c.id, key)

        # Arrows and Enter work at once on home.
        await pilot.press("down", "enter")
        await pilot.pause()
        assert app.screen.counter.id == COUNTERS[1].id
        # An F-key on a counter screen jumps straight to another counter.
        await pilot.press("f8")
        await pilot.pause()
        assert app.screen.counter.id == "drawer"
        assert len(app.screen_stack) == 3
        await pilot.press("escape")
        await pilot.pause()

        # F1 lists the keys.
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        help_text = screen_text(app)
        for expected in ("F1", "Ctrl+L", "Ctrl+Q", "F2 / L", "F9 / R"):
            assert expected in help_text
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)

        # Ctrl+L locks; a wrong PIN is refused; the right one unlocks.
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert isinstance(app.screen, LockScreen)
        await pilot.press("f3")  # nothing behind the lock answers
        await pilot.pause()
        assert isinstance(app.screen, LockScreen)
        await type_text(pilot, "0000")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, LockScreen)
        assert _message(app, "#lock-message") == "PIN not recognised."
        app.idle_lock_seconds = 0.3  # injected: the next idle period is short
        await type_text(pilot, PINS["csr3"])
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert not app.locked

        # Idle: the 0.3 s pass with no key pressed.
        await pilot.pause(1.0)
        assert isinstance(app.screen, LockScreen)
        assert "no key was pressed" in screen_text(app)
        app.idle_lock_seconds = 60
        await type_text(pilot, PINS["csr3"])
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)

        # Ctrl+Q signs out back to sign-in, audited.
        await pilot.press("ctrl+q")
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)
        assert app.actor is None
        assert app.screen.query_one("#login-pin", Input).value == ""
    actions = [r["action"] for r in db.all("SELECT action FROM audit_log WHERE clerk = 'csr3'")]
    assert actions[0] == "signin"
    assert "unlock.failed" in actions
    assert actions[-1] == "signout"


async def test_keys_pressed_keep_the_terminal_unlocked(
        signed_in: SignedIn) -> None:
    async with signed_in("csr1", idle_lock_seconds=1.0) as (app, pilot):
        for _ in range(6):  # 1.2 s of work in all, never 1 s without a key
            await pilot.pause(0.2)
            await pilot.press("down")
        assert isinstance(app.screen, HomeScreen)
        await pilot.pause(1.5)
        assert isinstance(app.screen, LockScreen)


async def test_sign_in_messages(make_app: Callable[..., ClerkApp],
                                make_clerk: Callable[..., Actor], db: Database) -> None:
    make_clerk("csr1")
    make_clerk("csr2")
    auth.disable_clerk(db, SYSTEM, "csr2")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        user = app.screen.query_one("#login-user", Input)
        # Unknown, disabled, wrong PIN, locked: one message, so no username can be learned.
        await sign_in(pilot, "nobody", "1234")
        assert _message(app, "#login-message") == "Username or PIN not recognised."
        assert app.focused is user
        user.value = ""

        await sign_in(pilot, "csr2", PINS["csr2"])
        assert _message(app, "#login-message") == "Username or PIN not recognised."
        assert app.focused is user
        user.value = ""

        await sign_in(pilot, "csr1", "0000")
        assert _message(app, "#login-message") == "Username or PIN not recognised."
        assert app.focused is user and user.selected_text == "csr1"  # Enter keeps the name
        assert app.screen.query_one("#login-pin", Input).value == ""
        for _ in range(4):
            await pilot.press("enter")
            await type_text(pilot, "0000")
            await pilot.press("enter")
            await settle(pilot)
        assert auth.get_clerk(db, "csr1").locked  # still locked after 5, without saying so
        assert app.focused is user
        user.value = ""
        await sign_in(pilot, "csr1", PINS["csr1"])
        assert _message(app, "#login-message") == "Username or PIN not recognised."
        assert isinstance(app.screen, LoginScreen)

        await pilot.press("enter", "enter")  # empty PIN: a hint, no database round trip
        await settle(pilot)
        assert _message(app, "#login-message") == "Enter your PIN."
        # Counters, lock and the palette do nothing before sign-in.
        await pilot.press("f3", "ctrl+l", "ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, LoginScreen)


class _FormScreen(CounterScreen):
    """A stand-in counter with one field, to test the unsaved-work rules."""

    def compose_body(self) -> ComposeResult:
        yield ClerkInput(placeholder="Amount", id="form-amount")


@pytest.fixture
def form_counter() -> object:
    register_counter_screen("payments", _FormScreen)
    yield get_counter("payments")
    unregister_counter_screen("payments")


async def test_stray_escape_keeps_typed_work(
        signed_in: SignedIn,
        form_counter: object) -> None:
    async with signed_in("csr1") as (app, pilot):
        await pilot.press("f3")
        await pilot.pause()
        assert isinstance(app.screen, _FormScreen)
        field = app.screen.query_one("#form-amount", Input)
        assert app.focused is field
        assert field.cursor_blink is False
        await type_text(pilot, "12.50")

        # Esc asks; Esc again (or N, or Enter) keeps the work.
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, _FormScreen) and field.value == "12.50"
        await pilot.press("escape", "enter")
        await pilot.pause()
        assert isinstance(app.screen, _FormScreen) and field.value == "12.50"

        # Another counter's key asks too.
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, _FormScreen)

        # Locking keeps it (idle lock is the same screen).
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert isinstance(app.screen, LockScreen)
        assert "12.50" not in screen_text(app)  # the lock hides the work beneath
        await type_text(pilot, PINS["csr1"])
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is field.screen and field.value == "12.50"

        # Sign-out asks as well.
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await pilot.pause()
        assert app.actor is not None

        # Y leaves.
        await pilot.press("escape", "y")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


@pytest.mark.parametrize("db_kind", ["training"])  # trainees: training only
async def test_role_without_permission_cannot_open_counter(
        signed_in: SignedIn,
        unbuilt_counters: object) -> None:
    async with signed_in("trainee") as (app, pilot):
        text = screen_text(app)
        assert "not for your role" in text
        # every counter stays on one line, so all of them fit 80x24 without scrolling
        assert all(f" {c.name} " in text for c in COUNTERS), text
        await pilot.press("f4")  # citations: not for trainees (authority.toml)
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        titles = [cmd.title for cmd in app.get_system_commands(app.screen)]
        assert "Citations" not in titles and "Payments" in titles


async def test_command_palette_opens_counters(
        signed_in: SignedIn,
        unbuilt_counters: object) -> None:
    async with signed_in("csr2") as (app, pilot):
        titles = [cmd.title for cmd in app.get_system_commands(app.screen)]
        assert titles[:len(COUNTERS)] == [c.name for c in COUNTERS]
        assert {"Help / keys", "Lock terminal", "Sign out"} <= set(titles)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await type_text(pilot, "Passports")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause(0.1)
        assert isinstance(app.screen, UnavailableScreen)
        assert app.screen.counter.id == "passports"


async def test_site_keymap_remaps_counter_keys(
        signed_in: SignedIn,
        unbuilt_counters: object) -> None:
    async with signed_in("csr1", config={"keymap": {"counter.payments": "f12", "home.payments": "x"}}) as (app, pilot):
        assert "F12 X  Payments" in screen_text(app)
        await pilot.press("f3")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("f12")
        await pilot.pause()
        assert app.screen.counter.id == "payments"
        await pilot.press("escape", "x")
        await pilot.pause()
        assert app.screen.counter.id == "payments"


async def test_counter_module_convention(
        signed_in: SignedIn,
        monkeypatch: pytest.MonkeyPatch) -> None:
    module = types.ModuleType("clerk_tui.screens.reports")
    module.COUNTER_SCREEN = _FormScreen  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "clerk_tui.screens.reports", module)
    async with signed_in("csr1") as (app, pilot):
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, _FormScreen)
        assert app.screen.counter.id == "reports"


async def test_broken_counter_shows_problem_instead_of_crashing(
        signed_in: SignedIn) -> None:
    def broken(counter: object) -> CounterScreen:
        raise RuntimeError("half built")

    register_counter_screen("drawer", broken)
    try:
        async with signed_in("csr1") as (app, pilot):
            await pilot.press("f8")
            await pilot.pause()
            assert isinstance(app.screen, UnavailableScreen)
            assert "half built" in screen_text(app)
    finally:
        unregister_counter_screen("drawer")


async def test_sandbox_shows_training_and_demo_clerks(
        make_app: Callable[..., ClerkApp], make_clerk: Callable[..., Actor],
        monkeypatch: pytest.MonkeyPatch,
        unbuilt_counters: object) -> None:
    fake = types.ModuleType("clerk_tui.sandbox")
    fake.SANDBOX_CLERKS = [("csr1", "csr1", "2222"), ("super", "supervisor", "5555")]  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "clerk_tui.sandbox", fake)
    make_clerk("csr1")
    app = make_app(sandbox=True)
    async with app.run_test(size=SIZE) as pilot:
        text = screen_text(app)
        assert "TRAINING" in text and "csr1 2222" in text and "super 5555" in text
        await sign_in(pilot, "csr1", PINS["csr1"])
        assert "TRAINING" in screen_text(app)
        for key in ("f2", "f1"):
            await pilot.press(key)
            await pilot.pause()
            assert "TRAINING" in screen_text(app).splitlines()[0]
        await pilot.press("escape", "ctrl+l")
        await pilot.pause()
        assert "TRAINING" in screen_text(app).splitlines()[0]


def test_theme_and_borders_follow_the_terminal() -> None:
    assert pick_theme({"TERM": "xterm"}) == "clerk-ansi"
    assert pick_theme({"TERM": "vt220"}) == "clerk-ansi"
    assert pick_theme({"TERM": "linux"}) == "clerk-ansi"
    assert pick_theme({"TERM": "xterm-256color"}) == "textual-dark"
    assert pick_theme({"TERM": "xterm", "COLORTERM": "truecolor"}) == "textual-dark"
    assert wants_ascii({"TERM": "linux"}) and wants_ascii({"TERM": "vt220"})
    assert not wants_ascii({"TERM": "xterm"})


async def test_linux_console_gets_ascii_borders(db: Database) -> None:
    app = ClerkApp(db, workstation="ws-test", environ={"TERM": "linux"})
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.theme == "clerk-ansi"
        assert app.has_class("-ascii")
        text = screen_text(app)
        assert "╭" not in text and "▊" not in text
        assert "+---" in text


async def test_sign_out_from_a_locked_terminal_asks_first(
        signed_in: SignedIn,
        db: Database) -> None:
    async with signed_in("csr1") as (app, pilot):
        await pilot.press("ctrl+l")
        await pilot.pause()
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, LockScreen)
        await pilot.press("ctrl+q", "y")
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)
        assert app.actor is None and not app.locked
    assert db.scalar("SELECT action FROM audit_log ORDER BY seq DESC LIMIT 1") == "signout"


def test_run_app_turns_mouse_reporting_off(db: Database,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    import clerk_tui.app as app_module

    seen: dict[str, object] = {}

    def fake_run(self: ClerkApp, **kwargs: object) -> None:
        seen.update(kwargs, workstation=self.workstation, sandbox=self.sandbox)

    monkeypatch.setattr(app_module.ClerkApp, "run", fake_run)
    app_module.run_app(db, workstation="ws-9", sandbox=False)
    assert seen == {"mouse": False, "workstation": "ws-9", "sandbox": False}
