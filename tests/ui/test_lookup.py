"""Account lookup (F2): search-as-you-type (at once, throttled, stale answers dropped),
arrows, Enter, literal names."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from textual.widgets import DataTable, Input

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

WAIT = 0.3  # well past SEARCH_GAP: the last keystroke's search has started


async def _lookup(pilot, app: ClerkApp) -> LookupScreen:  # type: ignore[no-untyped-def]
    await sign_in(pilot, "csr2", PINS["csr2"])
    await pilot.press("f2")
    await settle(pilot)
    assert isinstance(app.screen, LookupScreen)
    return app.screen


async def test_search_as_you_type_any_word_and_arrows(
        make_app: Callable[..., ClerkApp], make_clerk: Callable[..., Actor], db: Database,
        fixed_clock: object) -> None:  # noqa: F811
    make_clerk("csr2")
    make_account(db, name="Pat Example", address="120 N Main St")
    make_account(db, name="Mainor Lee", address="9 Oak Ave")
    make_account(db, name="Kim Other", address="44 Pine Rd")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await _lookup(pilot, app)
        await type_text(pilot, "main 120")
        await pilot.pause(WAIT)
        await settle(pilot)
        assert 1 <= screen.searches <= 8  # never more than one per keystroke
        table = screen.query_one("#lookup-results", DataTable)
        assert table.row_count == 1
        assert "120 N Main St" in screen_text(app)

        await pilot.press("ctrl+u")
        await type_text(pilot, "main")
        await pilot.pause(WAIT)
        await settle(pilot)
        assert table.row_count == 2  # "Mainor" by name, "Main St" by address
        assert app.focused is screen.query_one("#lookup-query")  # typing never leaves the box
        first = screen.highlighted_account()
        await pilot.press("down")
        second = screen.highlighted_account()
        assert first != second and second is not None
        await pilot.press("up")
        assert screen.highlighted_account() == first
        await pilot.press("down", "enter")
        await settle(pilot)
        assert isinstance(app.screen, AccountScreen)
        assert app.screen.account_id == second
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen
        assert app.focused is screen.query_one("#lookup-query")


async def test_account_number_nothing_found_and_literal_names(
        make_app: Callable[..., ClerkApp], make_clerk: Callable[..., Actor], db: Database,
        fixed_clock: object) -> None:  # noqa: F811
    make_clerk("csr2")
    odd = make_account(db, name="[@click=app.quit]Al", address="1 Markup Way",
                       balance_cents=100)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await _lookup(pilot, app)
        await type_text(pilot, odd.display_number[:7])  # without the check digit
        await pilot.pause(WAIT)
        await settle(pilot)
        text = screen_text(app)
        assert "[@click=app.quit]Al" in text
        await pilot.press("ctrl+u")
        await type_text(pilot, "zzzqqq")
        await pilot.pause(WAIT)
        await settle(pilot)
        assert "Nothing found" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen  # nothing to open: stays, says so
        assert "Nothing highlighted" in screen_text(app)
        await pilot.press("ctrl+u")
        await type_text(pilot, "markup")
        await pilot.press("enter")  # typed ahead: opens once the search answers
        await settle(pilot)
        assert isinstance(app.screen, AccountScreen)
        assert "[@click=app.quit]Al" in screen_text(app)
        assert app.is_running


async def test_account_view_pages_history_and_adds_a_note(
        make_app: Callable[..., ClerkApp], make_clerk: Callable[..., Actor], db: Database,
        fixed_clock: object) -> None:  # noqa: F811
    from clerk_tui.domain import audit, ledger
    from clerk_tui.domain.actor import SYSTEM

    make_clerk("csr2")
    account = make_account(db, address="3 Paging Ln", balance_cents=1000,
                           bill_date="2025-11-01")
    for day in range(2, 12):
        with db.write():
            ledger.post(db, SYSTEM, "bill", [
                ledger.Entry(book="account", kind="bill", amount_cents=100,
                             account_id=account.id, fund="510", gl_code="510-4100"),
                ledger.Entry(book="revenue", kind="bill", amount_cents=-100, fund="510",
                             gl_code="510-4100")], business_date=f"2026-02-{day:02d}")
            audit.record(db, SYSTEM, "test.bill", f"account:{account.number}")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await _lookup(pilot, app)
        await type_text(pilot, "paging")
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, AccountScreen)
        text = screen_text(app)
        assert "Balance due $20.00" in text and "90+ $10.00" in text
        assert "History page 1 of 2" in text
        await pilot.press("pagedown")
        await settle(pilot)
        assert "History page 2 of 2" in screen_text(app)
        assert "2025-11-01" in screen_text(app)
        await pilot.press("pageup")
        assert "History page 1 of 2" in screen_text(app)
        await pilot.press("n")
        await settle(pilot)
        await type_text(pilot, "[b]called[/b] about leak")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        assert "[b]called[/b] about leak" in screen_text(app)


async def _until(pilot, done: Callable[[], bool]) -> None:  # type: ignore[no-untyped-def]
    """Wait (up to ~10 s) for a condition the app reaches by itself; the caller asserts."""
    for _ in range(1000):
        if done():
            return
        await pilot.pause(0.01)


async def test_first_keystroke_searches_at_once(
        make_app: Callable[..., ClerkApp], make_clerk: Callable[..., Actor], db: Database,
        fixed_clock: object) -> None:  # noqa: F811
    make_clerk("csr2")
    account = make_account(db, name="Pat Example", address="120 N Main St")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await _lookup(pilot, app)
        await pilot.press(*account.display_number)
        # The first key started a search while it was handled: no timer to wait out.
        assert screen.searches >= 1
        await pilot.pause(WAIT)
        await settle(pilot)
        assert screen.highlighted_account() == account.id
        assert screen.query_one("#lookup-results", DataTable).row_count == 1


# A test-only finder that holds its first search for "pat" until the test lets it go, so that
# search's answer arrives after newer ones have been shown: the stale answer must be dropped.
_RELEASE = threading.Event()
_CALLS: list[str] = []


def slow_once(db: Database, actor: Actor, text: str, limit: int) -> list[Found]:
    _CALLS.append(text)
    n = len(_CALLS)
    if text == "pat" and _CALLS.index("pat") == n - 1:
        _RELEASE.wait(20)
    return [Found("slow", f"S{n}", f"answer {n} for {text}")]


def open_slow(screen: object, key: str) -> None:
    raise AssertionError("not opened here")


async def test_a_stale_answer_never_overwrites_a_newer_one(
        monkeypatch: pytest.MonkeyPatch, make_app: Callable[..., ClerkApp],
        make_clerk: Callable[..., Actor], db: Database,
        fixed_clock: object) -> None:  # noqa: F811
    reg = counters.Registry()
    for m in counters.load_builtin().manifests:
        reg.add(m)
    reg.add(Manifest("lookup-stale-test", finders=(
        FinderSpec("slow", f"{__name__}:slow_once", f"{__name__}:open_slow"),)))
    monkeypatch.setattr(counters, "_registry", reg)
    _RELEASE.clear()
    _CALLS.clear()
    make_clerk("csr2")
    make_account(db, name="Pat Example", address="120 N Main St")
    make_account(db, name="Patrick Long", address="9 Oak Ave")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await _lookup(pilot, app)
        field = screen.query_one("#lookup-query", Input)
        table = screen.query_one("#lookup-results", DataTable)
        try:
            # The search for "pat" starts and hangs in the slow finder.
            await type_text(pilot, "pat")
            await _until(pilot, lambda: "pat" in _CALLS)
            hung = _CALLS.index("pat") + 1
            # Newer searches answer meanwhile: "patr", then "pat" again (the same text as the
            # hung search: only its generation tells that its answer is the older one).
            await pilot.press("r")
            await _until(pilot, lambda: screen._shown_text == "patr")
            await settle(pilot)
            assert table.row_count == 2 and "for patr" in screen_text(app)
            await pilot.press("backspace")
            await _until(pilot, lambda: screen._shown_text == "pat")
            await settle(pilot)
            shown = list(screen.result.found)
            assert field.value == "pat" and table.row_count == 3
            assert shown[-1].title.endswith(" for pat") and shown[-1].key != f"S{hung}"
        finally:
            _RELEASE.set()
        # The hung search now answers "pat" too, with its older answer: dropped.
        await _until(pilot, lambda: screen.stale >= 1 and _CALLS.count("pat") >= 2)
        await pilot.pause(0.05)
        await settle(pilot)
        assert screen.stale >= 1
        assert screen.result.found == shown
        assert f"answer {hung} " not in screen_text(app)
        assert table.row_count == 3  # Pat Example, Patrick Long, the newest slow answer
