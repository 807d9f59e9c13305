"""A clerk opens hundreds of accounts a day: the session must not grow with each one.

Textual's own Footer left about ten detached footer keys alive per screen change (issue 12;
clerk_tui/widgets/footer.py), and a Textual cache kept the render caches of the last 1,024
widgets drawn (clerk_tui/widgets/textual_fixes.py). This opens 200 accounts the way Lookup does (push the account
screen, wait for it to load, Esc back) on the sandbox's demo data and counts the widgets still
alive, attached to a screen or not, after a warm-up and at the end.
"""

from __future__ import annotations

import gc
from collections.abc import Callable

import pytest
from textual._styles_cache import StylesCache
from textual.pilot import Pilot
from textual.widget import Widget

from clerk_tui.app import ClerkApp
from clerk_tui.db import Database
from clerk_tui.screens.account import AccountScreen
from clerk_tui.screens.counters import get_counter
from clerk_tui.screens.lookup import LookupScreen
from tests.ui.conftest import SIZE, goto, settle, sign_in
from tests.ui.demo_support import demo_app, demo_db, demo_template  # noqa: F401  (fixtures)

WARM_UP = 10
ACCOUNTS = 200


def live_widgets() -> tuple[int, int, int]:
    """(every Widget object alive, how many of them are not in the app's DOM, the widgets'
    render caches alive) after a full collection."""
    gc.collect()
    objects = gc.get_objects()
    widgets = [o for o in objects if isinstance(o, Widget)]
    caches = sum(1 for o in objects if isinstance(o, StylesCache))
    return len(widgets), sum(1 for w in widgets if not w.is_attached), caches


async def open_account(pilot: Pilot, account_id: int) -> None:
    app = pilot.app
    screen = AccountScreen(get_counter("lookup"), account_id)
    app.push_screen(screen)
    for _ in range(2000):  # the account loads in a worker thread: ~20 s at most
        if screen.view is not None:
            break
        await pilot.pause(0.01)
    await pilot.pause()
    assert app.screen is screen and screen.view is not None, account_id
    await pilot.press("escape")
    await pilot.pause()
    assert isinstance(app.screen, LookupScreen)


@pytest.mark.slow
@pytest.mark.timeout(900)
async def test_opening_200_accounts_leaves_no_widgets_behind(
        demo_app: Callable[..., ClerkApp], demo_db: Database) -> None:  # noqa: F811
    ids = [int(r["id"]) for r in demo_db.all(
        "SELECT id FROM accounts ORDER BY id LIMIT ?", [ACCOUNTS])]
    assert len(ids) == ACCOUNTS
    app = demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "csr2", "3333")
        await goto(pilot, "f2", LookupScreen)
        for account_id in ids[:WARM_UP]:
            await open_account(pilot, account_id)
        await settle(pilot)
        before, detached_before, caches_before = live_widgets()
        for account_id in ids[WARM_UP:]:
            await open_account(pilot, account_id)
        await settle(pilot)
        after, detached_after, caches_after = live_widgets()
    # One account screen that failed to go would leave ~30 widgets; the old footer ~20 per
    # account (3,800 here). A few transient ones (a toast, a tooltip) are allowed for.
    assert after <= before + 5, (before, after, detached_before, detached_after)
    assert detached_after <= detached_before + 5, (detached_before, detached_after)
    # Textual's StylesCache.get_inner_outer kept the last 1,024 render caches alive
    # (clerk_tui/widgets/textual_fixes.py): one per widget ever drawn, whatever became of it.
    assert caches_after <= caches_before + 5, (caches_before, caches_after)
