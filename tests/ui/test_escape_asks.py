"""Esc never throws typed work away without asking, on a counter or in any form or dialog.

Every form and dialog where the clerk types is a counter screen or an `AsksBeforeDiscarding`
screen (a short, named list of exceptions aside), so a new dialog cannot forget; and, by keys
at 80x24: the New account form, the note dialog and the paid-in prompt ask before Esc throws
typed text away, leave at once when nothing was typed (defaults filled in by the screen are
not typed work), and keep the text when the clerk answers No.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Callable

import pytest
from textual.screen import Screen

import clerk_tui.screens
from clerk_tui.app import ClerkApp
from clerk_tui.db import Database
from clerk_tui.domain.actor import Actor
from clerk_tui.screens.account import AccountScreen
from clerk_tui.screens.base import AsksBeforeDiscarding, CounterScreen
from clerk_tui.screens.confirm import ConfirmScreen
from clerk_tui.screens.drawer import DrawerScreen
from clerk_tui.screens.prompts import AmountPrompt, TextPrompt
from clerk_tui.screens.utility.billing import BillingRunForm
from clerk_tui.screens.utility.desk import UtilityDeskScreen
from clerk_tui.screens.utility.service import NewAccountForm
from tests.ui.cashier_support import (
    fixed_clock,  # noqa: F401  (fixture)
    make_account,
    open_account_screen,
    press_keys,
    type_and_settle,
)
from tests.ui.conftest import SignedIn, goto, screen_text

# Typing fields whose Esc may drop what was typed: sign-in and unlock hold only a PIN, and a
# supervisor's override is their answer "no" (the clerk's own work is on the screen beneath).
NOT_WORK = {"LoginScreen", "LockScreen", "OverrideScreen"}


def _screens() -> list[type[Screen]]:
    for info in pkgutil.walk_packages(clerk_tui.screens.__path__, "clerk_tui.screens."):
        importlib.import_module(info.name)
    found, todo = [], [Screen]
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if cls.__module__.startswith("clerk_tui."):
            found.append(cls)
    return found


def _has_typing_field(cls: type) -> bool:
    return any("ClerkInput(" in inspect.getsource(c) or "PinInput(" in inspect.getsource(c)
               for c in cls.__mro__ if c.__module__.startswith("clerk_tui.screens"))


def _escape_action(cls: type[Screen]) -> str | None:
    for c in cls.__mro__:
        for b in getattr(c, "BINDINGS", []):
            if getattr(b, "key", None) == "escape":
                return b.action
    return None


def test_every_screen_with_a_typing_field_asks_before_esc_drops_it() -> None:
    typing = [c for c in _screens() if _has_typing_field(c)]
    assert {"NewAccountForm", "TextPrompt", "AmountPrompt", "PlanScreen"} <= {
        c.__name__ for c in typing}
    careless = [c.__qualname__ for c in typing
                if c.__name__ not in NOT_WORK
                and not issubclass(c, CounterScreen | AsksBeforeDiscarding)]
    assert careless == []
    for cls in typing:
        if issubclass(cls, AsksBeforeDiscarding):
            action = _escape_action(cls)
            assert action is not None, cls
            source = inspect.getsource(getattr(cls, f"action_{action}"))
            assert "leave_or_ask" in source, (cls, action)


async def _asks_then_keeps(app: ClerkApp, pilot, dialog: type[Screen], typed: str) -> None:  # type: ignore[no-untyped-def]
    """Esc asks; Esc again (No) keeps the dialog and the text; Esc, Y leaves."""
    await press_keys(pilot, "escape")
    assert isinstance(app.screen, ConfirmScreen), screen_text(app)
    assert "not saved" in screen_text(app)
    await press_keys(pilot, "escape")  # No: stay
    assert isinstance(app.screen, dialog), screen_text(app)
    assert typed in screen_text(app)
    await press_keys(pilot, "escape")
    await press_keys(pilot, "y")
    assert not isinstance(app.screen, dialog | ConfirmScreen), screen_text(app)


async def test_new_account_form(signed_in: SignedIn,
                                db: Database,
                                fixed_clock: object) -> None:  # noqa: F811
    async with signed_in("csr2") as (app, pilot):
        await press_keys(pilot, "f11")
        await goto(pilot, "n", NewAccountForm)
        await press_keys(pilot, "escape")  # nothing typed (only the form's defaults): leaves
        assert isinstance(app.screen, UtilityDeskScreen), screen_text(app)
        await goto(pilot, "n", NewAccountForm)
        await type_and_settle(pilot, "Robin Quill")
        await _asks_then_keeps(app, pilot, NewAccountForm, "Robin Quill")
        assert isinstance(app.screen, UtilityDeskScreen)
        assert db.scalar("SELECT count(*) FROM accounts") == 0


async def test_a_form_with_only_its_defaults_leaves_at_once(
        signed_in: SignedIn, db: Database,
        fixed_clock: object) -> None:  # noqa: F811
    async with signed_in("csr3") as (app, pilot):
        await press_keys(pilot, "f11")
        await goto(pilot, "b", BillingRunForm)  # period end filled in with today
        await press_keys(pilot, "tab")
        await press_keys(pilot, "escape")
        assert isinstance(app.screen, UtilityDeskScreen), screen_text(app)
        # Typed and then rubbed out again: nothing is lost, nothing to ask.
        await goto(pilot, "b", BillingRunForm)
        await type_and_settle(pilot, "3")
        await press_keys(pilot, "backspace", "escape")
        assert isinstance(app.screen, UtilityDeskScreen), screen_text(app)


async def test_note_dialog(signed_in: SignedIn, make_clerk: Callable[..., Actor],
                           db: Database, fixed_clock: object) -> None:  # noqa: F811
    make_clerk("csr2")
    make_account(db, name="Pat Example")
    async with signed_in("csr2") as (app, pilot):
        await open_account_screen(pilot, "example")
        await goto(pilot, "n", TextPrompt)
        await type_and_settle(pilot, "Called about the leak")
        await _asks_then_keeps(app, pilot, TextPrompt, "Called about the leak")
        assert isinstance(app.screen, AccountScreen)
        assert db.scalar("SELECT count(*) FROM account_notes") == 0


@pytest.mark.parametrize("key", ["i", "u", "p"])  # paid-in, paid-out, pickup
async def test_drawer_amount_prompts(signed_in: SignedIn,
                                     db: Database,
                                     fixed_clock: object, key: str) -> None:  # noqa: F811
    async with signed_in("csr2") as (app, pilot):
        await goto(pilot, "f8", DrawerScreen)
        await goto(pilot, key, AmountPrompt)
        await type_and_settle(pilot, "12.50")
        await _asks_then_keeps(app, pilot, AmountPrompt, "12.50")
        assert isinstance(app.screen, DrawerScreen)
