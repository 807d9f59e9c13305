"""List-and-act, report view, confirm and say at 80x24, by keys."""

from __future__ import annotations

import threading
from typing import Any

from clerk_tui.domain.errors import StateError
from clerk_tui.screens.kit import (
    Action,
    ConfirmDialog,
    Field,
    Form,
    ListAndAct,
    ReportScreen,
    Row,
    SayDialog,
)
from tests.ui.kit.host import HostApp
from tests.ui.kit.support import SIZE, keys, screen_text


class Orders:
    """A stand-in for a domain module: the rows live here, actions change them."""

    def __init__(self) -> None:
        self.open = {1: "Water main break", 2: "Meter swap", 3: "Turn on"}
        self.threads: list[str] = []

    def load(self) -> list[Row]:
        self.threads.append(threading.current_thread().name)
        return [Row(k, (k, v)) for k, v in sorted(self.open.items())]

    def cancel(self, key: int) -> str:
        if key == 3:
            raise StateError("Order 3 is dispatched: call the tech first.")
        del self.open[key]
        return f"Order {key} cancelled."


def _list(orders: Orders) -> Any:
    def make(app: HostApp) -> ListAndAct:
        screen = ListAndAct("Open orders", ["Order", "Work"], orders.load, [
            Action("c", "Cancel", work=orders.cancel, ask=lambda k: f"Cancel order {k}?"),
            Action("n", "Note", open=lambda k: Form(f"Note on order {k}", [Field("t", "Note")],
                                                     lambda v: v["t"], str)),
        ])
        screen._run = app.run_for(screen)
        return screen

    return make


async def test_letter_action_on_the_highlighted_row_asks_then_refreshes() -> None:
    orders = Orders()
    app = HostApp(_list(orders))
    async with app.run_test(size=SIZE) as pilot:
        await keys(pilot)
        text = screen_text(app)
        assert "Water main break" in text and "C = Cancel" in text and "F5 = refresh" in text
        await keys(pilot, "down", "c")
        assert isinstance(app.screen, ConfirmDialog) and "Cancel order 2?" in screen_text(app)
        await keys(pilot, "n")
        assert 2 in orders.open and "Nothing changed" in screen_text(app)
        await keys(pilot, "c", "y")
        assert 2 not in orders.open
        text = screen_text(app)
        assert "Order 2 cancelled." in text and "Meter swap" not in text
        assert all(t != threading.main_thread().name for t in orders.threads)


async def test_a_refusal_is_shown_and_the_row_stays() -> None:
    orders = Orders()
    app = HostApp(_list(orders))
    async with app.run_test(size=SIZE) as pilot:
        await keys(pilot, "down", "down", "c", "y")
        assert "Order 3 is dispatched" in screen_text(app)
        assert 3 in orders.open and "Turn on" in screen_text(app)


async def test_f5_refreshes_and_open_action_pushes_a_screen() -> None:
    orders = Orders()
    app = HostApp(_list(orders))
    async with app.run_test(size=SIZE) as pilot:
        await keys(pilot)
        orders.open[4] = "Leak check"  # changed by someone else
        assert "Leak check" not in screen_text(app)
        await keys(pilot, "f5")
        assert "Leak check" in screen_text(app)
        await keys(pilot, "n")
        assert isinstance(app.screen, Form) and "Note on order 1" in screen_text(app)
        await keys(pilot, "escape")
        assert isinstance(app.screen, ListAndAct)
        await keys(pilot, "escape")
        assert app.results == [None]


async def test_an_empty_list_says_so_and_actions_do_nothing() -> None:
    orders = Orders()
    orders.open.clear()
    app = HostApp(_list(orders))
    async with app.run_test(size=SIZE) as pilot:
        await keys(pilot, "c")
        assert "nothing is highlighted" in screen_text(app)
        assert not isinstance(app.screen, ConfirmDialog)


LONG = "Audit head " + "0123456789abcdef" * 4  # wider than 80 columns


async def test_report_wraps_prints_with_p_and_closes_with_esc() -> None:
    printed: list[tuple[str, str, str]] = []

    def print_text(title: str, text: str) -> str:
        printed.append((title, text, threading.current_thread().name))
        return f"{title} printed."

    def make(app: HostApp) -> ReportScreen:
        screen = ReportScreen("Z report", f"Drawer 3\n{LONG}\n", print_text=print_text)
        screen._run = app.run_for(screen)
        return screen

    app = HostApp(make)
    async with app.run_test(size=SIZE) as pilot:
        await keys(pilot)
        text = screen_text(app)
        assert "Z report" in text and "P = print" in text
        assert "0123456789abcdef" * 3 in text.replace("\n", "").replace(" ", "")
        assert all(len(line.rstrip()) <= 80 for line in text.splitlines())
        await keys(pilot, "p")
        assert printed and printed[0][:2] == ("Z report", f"Drawer 3\n{LONG}\n")
        assert printed[0][2] != threading.main_thread().name
        assert "Z report printed." in screen_text(app)
        await keys(pilot, "escape")
        assert app.results == [None]


async def test_report_without_a_printer_has_no_p() -> None:
    app = HostApp(lambda app: ReportScreen("Route list", "1 Main St\n"))
    async with app.run_test(size=SIZE) as pilot:
        assert "P = print" not in screen_text(app)
        await keys(pilot, "p")
        assert isinstance(app.screen, ReportScreen)


async def test_confirm_default_is_the_safe_answer() -> None:
    app = HostApp(lambda app: ConfirmDialog("Post the deposit?", yes="Post"))
    async with app.run_test(size=SIZE) as pilot:
        assert "Y = Post    N or Esc = No    Enter = No" in screen_text(app)
        await keys(pilot, "enter")
        assert app.results == [False]


async def test_confirm_y_answers_yes() -> None:
    app = HostApp(lambda app: ConfirmDialog("Post the deposit?", yes="Post"))
    async with app.run_test(size=SIZE) as pilot:
        await keys(pilot, "y")
        assert app.results == [True]


async def test_say_shows_literally_until_enter() -> None:
    app = HostApp(lambda app: SayDialog("Name [bold]x[/bold] refused.", title="Refused"))
    async with app.run_test(size=SIZE) as pilot:
        assert "Name [bold]x[/bold] refused." in screen_text(app)
        await keys(pilot, "a")
        assert app.results == []
        await keys(pilot, "enter")
        assert app.results == [None]
