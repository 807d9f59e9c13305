"""Helpers for Pilot tests of the app shell: build the app, sign in, read the screen as text."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import TypeVar

import pytest
from rich.console import Console
from textual.pilot import Pilot
from textual.screen import Screen

from clerk_tui.app import ClerkApp
from clerk_tui.db import Database
from clerk_tui.hardware.sim import reset_sims
from tests.conftest import PINS

SIZE = (80, 24)
S = TypeVar("S", bound=Screen)
SignedIn = Callable[..., AbstractAsyncContextManager[tuple[ClerkApp, Pilot]]]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A UI test that hangs (a modal nobody answers) fails in a minute, not five."""
    for item in items:
        if "tests/ui/" in str(item.fspath).replace("\\", "/"):
            item.add_marker(pytest.mark.timeout(60))


def screen_text(app: ClerkApp) -> str:
    """What the terminal shows right now, as plain text (all layers composited)."""
    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), record=True,
                      force_terminal=True, color_system="truecolor", legacy_windows=False)
    console.print(app.screen._compositor.render_update(
        full=True, screen_stack=app._background_screens))
    return console.export_text()


async def settle(pilot: Pilot) -> None:
    """Let domain calls and PIN checks (thread workers) finish and their results reach the
    screen.

    A `session.run` is an "override"-group worker that starts the domain call's thread
    worker; it is waited for unless it sits at the supervisor-override modal (waiting for a
    person). Waiting only for the threads already started raced on a loaded machine: the
    domain worker could start just after the check, and the test looked too early.
    """
    from textual.screen import ModalScreen

    from clerk_tui.screens.override import OverrideScreen

    quiet = 0
    for tries in range(2000):  # ~20 s at most
        app = pilot.app
        busy = [w for w in app.workers if w.group != "override" and not w.is_finished]
        if busy:
            await app.workers.wait_for_complete(busy)
            quiet = 0
        # Another question (a confirm) asked from inside the run also waits for a person.
        at_modal = isinstance(app.screen, OverrideScreen) or (
            tries > 200 and isinstance(app.screen, ModalScreen))
        running = [w for w in app.workers if w.group == "override" and not w.is_finished]
        if running and not at_modal:
            await pilot.pause(0.01)
            quiet = 0
            continue
        await pilot.pause()
        quiet += 1
        if quiet >= 2:
            return


async def type_text(pilot: Pilot, text: str) -> None:
    await pilot.press(*list(text))


async def press_each(pilot: Pilot, *keys: str) -> None:
    """Press the keys one at a time, each after the last one's effect has landed."""
    for key in keys:
        await pilot.press(key)
        await settle(pilot)


async def goto(pilot: Pilot, key: str, screen: type[S]) -> S:
    """Press `key` (a function key, a menu letter) and check it brought up `screen`."""
    await press_each(pilot, key)
    assert isinstance(pilot.app.screen, screen), (pilot.app.screen, screen_text(pilot.app))
    return pilot.app.screen


async def finish_work(pilot: Pilot) -> None:
    """Wait for every worker (printing, posting, PIN checks) and let the results be drawn."""
    await pilot.app.workers.wait_for_complete()
    await settle(pilot)


async def sign_in(pilot: Pilot, username: str, pin: str) -> None:
    await type_text(pilot, username)
    await pilot.press("enter")
    await type_text(pilot, pin)
    await pilot.press("enter")
    await settle(pilot)


@pytest.fixture
def fresh_sims() -> Iterator[None]:
    """Simulated printers, drawers and scanners start empty and are emptied after the test
    (a module opts in with `pytestmark = pytest.mark.usefixtures("fresh_sims")`)."""
    reset_sims()
    yield
    reset_sims()


@pytest.fixture
def make_app(db: Database) -> Callable[..., ClerkApp]:
    """ClerkApp on the test database with a fixed workstation and theme (deterministic)."""

    def make(**kwargs: object) -> ClerkApp:
        kwargs.setdefault("workstation", "ws-test")
        kwargs.setdefault("theme", "ansi-dark")
        kwargs.setdefault("ascii_borders", False)
        kwargs.setdefault("environ", {})
        kwargs.setdefault("drawer_state", lambda db, actor: None)
        return ClerkApp(db, **kwargs)  # type: ignore[arg-type]

    return make


@pytest.fixture
def signed_in(make_app: Callable[..., ClerkApp], make_clerk: Callable[..., object],
              db: Database) -> SignedIn:
    """`async with signed_in("csr1", **app_kwargs) as (app, pilot)`: the clerk of that role
    (made first unless the test already did), the app at 80x24 and that clerk signed in: the
    opening most UI tests had written out."""

    @asynccontextmanager
    async def run(role: str, **app_kwargs: object) -> AsyncIterator[tuple[ClerkApp, Pilot]]:
        if db.scalar("SELECT count(*) FROM clerks WHERE username = ?", [role]) == 0:
            make_clerk(role)
        app = make_app(**app_kwargs)
        async with app.run_test(size=SIZE) as pilot:
            await sign_in(pilot, role, PINS[role])
            yield app, pilot

    return run
