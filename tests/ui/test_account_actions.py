"""The account `A` menu and the utility desk (F11): duties plug in by registering, the menu
shows only what the clerk's role may do, a letter picks, Esc changes nothing."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from clerk_tui.db import Database
from clerk_tui.domain.actor import Actor
from clerk_tui.screens import account_actions
from clerk_tui.screens.account import AccountScreen
from clerk_tui.screens.account_actions import AccountAction
from clerk_tui.screens.prompts import TextPrompt
from clerk_tui.screens.utility import desk
from clerk_tui.screens.utility.desk import DeskJob, UtilityDeskScreen
from tests.ui.cashier_support import (
    fixed_clock,  # noqa: F401  (fixture)
    make_account,
    open_account_menu,
    open_account_screen,
)
from tests.ui.conftest import SignedIn, goto, screen_text, settle


@pytest.fixture
def probe_actions() -> Iterator[None]:
    account_actions.load_actions()
    desk.load_jobs()
    account_actions.register_action(AccountAction(
        "probe.any", "9", "Probe for everyone", None,
        lambda account_id: TextPrompt(f"probe for account {account_id}")))
    account_actions.register_action(AccountAction(
        "probe.super", "8", "Probe for supervisors", "billing.finalize",
        lambda account_id: TextPrompt("supervisor probe")))
    desk.register_job(DeskJob("probe.job", "9", "Probe desk job", None,
                              lambda: TextPrompt("desk probe")))
    yield
    account_actions._actions.pop("probe.any")
    account_actions._actions.pop("probe.super")
    desk._jobs.pop("probe.job")


def test_keys_must_be_unique(probe_actions: None) -> None:
    with pytest.raises(ValueError, match="taken"):
        account_actions.register_action(AccountAction(
            "probe.other", "9", "Clash", None, lambda account_id: TextPrompt("x")))
    with pytest.raises(ValueError, match="one letter"):
        account_actions.register_action(AccountAction(
            "probe.bad", "ab", "Bad", None, lambda account_id: TextPrompt("x")))


async def test_account_menu_filters_by_role_and_letter_opens(
        signed_in: SignedIn, make_clerk: Callable[..., Actor], db: Database,
        fixed_clock: object, probe_actions: None) -> None:  # noqa: F811
    make_clerk("csr1")
    account = make_account(db, address="7 Menu Ct", balance_cents=500)
    async with signed_in("csr1") as (app, pilot):
        await open_account_screen(pilot, "menu ct")
        text = await open_account_menu(pilot)
        assert "Probe for everyone" in text
        assert "Probe for supervisors" not in text  # csr1 may not finalize billing
        await goto(pilot, "escape", AccountScreen)
        await pilot.press("a", "9")
        await settle(pilot)
        assert isinstance(app.screen, TextPrompt)
        assert f"probe for account {account.id}" in screen_text(app)


async def test_desk_lists_jobs_and_letter_starts_one(
        signed_in: SignedIn,
        probe_actions: None) -> None:
    async with signed_in("csr2") as (app, pilot):
        await goto(pilot, "f11", UtilityDeskScreen)
        assert "Probe desk job" in screen_text(app)
        await goto(pilot, "9", TextPrompt)
        assert "desk probe" in screen_text(app)
