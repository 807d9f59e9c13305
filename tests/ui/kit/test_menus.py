"""Letter menu and picker at 80x24, by keys: a letter picks at once, a hidden (not allowed)
choice is neither shown nor picked by its letter, arrows + Enter pick, Esc picks nothing; a
picker that loads its list does so through `run`, off the UI thread."""

from __future__ import annotations

import threading

import pytest

from clerk_tui.screens.kit import Choice, LetterMenu, Picker
from tests.ui.kit.host import HostApp
from tests.ui.kit.support import SIZE, keys, screen_text

CHOICES = [Choice("o", "New service order"), Choice("m", "Meter read"),
           Choice("c", "Close the account", allowed=False)]


def _menu(app: HostApp) -> LetterMenu:
    return LetterMenu("Account actions", CHOICES)


async def test_a_letter_picks_at_once() -> None:
    app = HostApp(_menu)
    async with app.run_test(size=SIZE) as pilot:
        text = screen_text(app)
        assert "O  New service order" in text and "M  Meter read" in text
        assert "Close the account" not in text
        await keys(pilot, "M")
        assert app.results == ["m"]


async def test_a_hidden_letter_does_nothing() -> None:
    app = HostApp(_menu)
    async with app.run_test(size=SIZE) as pilot:
        await keys(pilot, "c", "x")
        assert app.results == [] and isinstance(app.screen, LetterMenu)
        await keys(pilot, "down", "enter")
        assert app.results == ["m"]


async def test_esc_picks_nothing() -> None:
    app = HostApp(_menu)
    async with app.run_test(size=SIZE) as pilot:
        await keys(pilot, "escape")
        assert app.results == [None]


async def test_nothing_allowed_says_so() -> None:
    app = HostApp(lambda app: LetterMenu("Supervisor jobs", [Choice("d", "Deposit", False)],
                                         note="Only a supervisor may do these."))
    async with app.run_test(size=SIZE) as pilot:
        assert "Only a supervisor may do these." in screen_text(app)
        await keys(pilot, "d")
        assert app.results == []


def test_repeated_letters_are_refused() -> None:
    with pytest.raises(ValueError, match="no repeats"):
        LetterMenu("x", [Choice("a", "one"), Choice("A", "two")])


async def test_picker_of_given_items() -> None:
    app = HostApp(lambda app: Picker("Reason", [("DUP", "Duplicate"), ("ERR", "Keying error")]))
    async with app.run_test(size=SIZE) as pilot:
        assert "Keying error" in screen_text(app)
        await keys(pilot, "down", "enter")
        assert app.results == ["ERR"]


async def test_picker_loads_through_run_and_esc_cancels() -> None:
    loaded_on: list[str] = []

    def load() -> list[tuple[str, str]]:
        loaded_on.append(threading.current_thread().name)
        return [("1", "Water main break"), ("2", "Meter swap")]

    def make(app: HostApp) -> Picker:
        picker = Picker("Open orders", load=load)
        picker._run = app.run_for(picker)
        return picker

    app = HostApp(make)
    async with app.run_test(size=SIZE) as pilot:
        await keys(pilot)
        assert "Meter swap" in screen_text(app)
        assert loaded_on and loaded_on[0] != threading.main_thread().name
        await keys(pilot, "escape")
        assert app.results == [None]


async def test_an_empty_picker_says_so() -> None:
    app = HostApp(lambda app: Picker("Open orders", [], empty="No open orders."))
    async with app.run_test(size=SIZE) as pilot:
        assert "No open orders." in screen_text(app)
        await keys(pilot, "enter")
        assert app.results == []
