"""F2 lookup with a counter's finder: the Kind column, Enter on a non-account line calls that
counter's opener, a broken finder leaves the account search working. The "gadget" finder is
test-only: registered here, for these tests, in a registry built like the real one."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import DataTable, Static

import clerk_tui.counters as counters
from clerk_tui.app import ClerkApp
from clerk_tui.counters.manifest import FinderSpec, Manifest
from clerk_tui.db import Database
from clerk_tui.domain.actor import Actor
from clerk_tui.domain.finders import Found
from clerk_tui.screens.account import AccountScreen
from clerk_tui.screens.lookup import LookupScreen
from tests.conftest import PINS
from tests.ui.cashier_support import fixed_clock, make_account  # noqa: F401
from tests.ui.conftest import SIZE, screen_text, settle, sign_in, type_text

GADGETS = {"G1001": "Blue gadget", "G1002": "Main Street gadget"}
OPENED: list[str] = []


def find_gadgets(db: Database, actor: Actor, text: str, limit: int) -> list[Found]:
    t = text.casefold()
    return [Found("gadget", key, title, "in stock", rank=0 if key.casefold() == t else 50)
            for key, title in GADGETS.items()
            if key.casefold() == t or any(w.casefold().startswith(t) for w in title.split())]


def broken_finder(db: Database, actor: Actor, text: str, limit: int) -> list[Found]:
    raise RuntimeError("index gone")


class GadgetScreen(Screen[None]):
    BINDINGS = [("escape", "app.pop_screen", "Back")]

    def __init__(self, key: str) -> None:
        super().__init__()
        self.key = key

    def compose(self) -> ComposeResult:
        yield Static(f"Gadget {self.key}", markup=False)


def open_gadget(screen: Screen, key: str) -> None:
    OPENED.append(key)
    screen.app.push_screen(GadgetScreen(key))


def _with(*specs: FinderSpec) -> counters.Registry:
    """The built-in registry plus one test manifest holding `specs`."""
    reg = counters.Registry()
    for m in counters.load_builtin().manifests:
        reg.add(m)
    reg.add(Manifest("lookup-test", finders=specs))
    return reg


@pytest.fixture
def gadgets(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    OPENED.clear()
    monkeypatch.setattr(counters, "_registry", _with(
        FinderSpec("broken", f"{__name__}:broken_finder", f"{__name__}:open_gadget"),
        FinderSpec("gadget", f"{__name__}:find_gadgets", f"{__name__}:open_gadget")))
    yield


async def _lookup(pilot, app: ClerkApp) -> LookupScreen:  # type: ignore[no-untyped-def]
    await sign_in(pilot, "csr2", PINS["csr2"])
    await pilot.press("f2")
    await settle(pilot)
    assert isinstance(app.screen, LookupScreen)
    return app.screen


async def _search(pilot, text: str) -> None:  # type: ignore[no-untyped-def]
    await pilot.press("ctrl+u")
    await type_text(pilot, text)
    await pilot.pause(0.3)  # well past SEARCH_GAP
    await settle(pilot)


async def test_kind_column_and_enter_opens_through_the_finder(
        gadgets: None, make_app: Callable[..., ClerkApp], make_clerk: Callable[..., Actor],
        db: Database, fixed_clock: object) -> None:  # noqa: F811
    make_clerk("csr2")
    account = make_account(db, name="Mainor Lee", address="9 Oak Ave")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await _lookup(pilot, app)
        await _search(pilot, "main")
        table = screen.query_one("#lookup-results", DataTable)
        assert table.row_count == 2
        lines = [line for line in screen_text(app).splitlines() if "Main" in line]
        assert any("account" in line and "Mainor Lee" in line for line in lines), lines
        assert any("gadget" in line and "G1002" in line and "Main Street gadget" in line
                   for line in lines), lines
        assert "broken search failed" in screen_text(app)  # said, not hidden
        assert screen.highlighted_account() == account.id  # the account ranks first
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, AccountScreen) and OPENED == []
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen

        await pilot.press("down")
        assert screen.highlighted_account() is None
        assert screen.highlighted() == Found("gadget", "G1002", "Main Street gadget",
                                             "in stock")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, GadgetScreen) and OPENED == ["G1002"]
        assert "Gadget G1002" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen

        # An exact gadget number ranks first, above any account; typed ahead, Enter opens it.
        await pilot.press("ctrl+u")
        await type_text(pilot, "g1001")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, GadgetScreen) and OPENED == ["G1002", "G1001"]


async def test_without_finders_the_kind_column_says_account(
        make_app: Callable[..., ClerkApp], make_clerk: Callable[..., Actor], db: Database,
        fixed_clock: object) -> None:  # noqa: F811
    make_clerk("csr2")
    make_account(db, name="Pat Example", address="120 N Main St")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await _lookup(pilot, app)
        await _search(pilot, "pat")
        text = screen_text(app)
        assert "Kind" in text
        assert any("account" in line and "Pat Example" in line for line in text.splitlines())
        assert "search failed" not in text
        assert screen.query_one("#lookup-results", DataTable).row_count == 1
