"""The Misc. sales screen at 80x24 (pytest-textual-snapshot): catalogue, one picked line, the
hint. After a deliberate change regenerate with `--snapshot-update` and review the SVG."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from textual.pilot import Pilot

from clerk_tui.app import ClerkApp
from clerk_tui.db import Database
from clerk_tui.domain.actor import Actor
from clerk_tui.domain.cashier import open_session
from clerk_tui.screens.miscsales.screen import MiscSalesScreen
from tests.conftest import PINS
from tests.ui.cashier_support import fixed_clock  # noqa: F401
from tests.ui.conftest import SIZE, press_each, screen_text, sign_in, type_text

pytestmark = pytest.mark.slow


async def _two_lines(pilot: Pilot) -> None:
    await sign_in(pilot, "csr2", PINS["csr2"])
    await press_each(pilot, "f12")
    for letter, qty in (("b", "2"), ("c", "12")):
        await type_text(pilot, letter)
        await press_each(pilot, "enter")
        await type_text(pilot, qty)
        await press_each(pilot, "enter")


def test_misc_sales_screen(snap_compare: Any, make_app: Callable[..., ClerkApp],
                           make_clerk: Callable[..., Actor], db: Database,
                           fixed_clock: object) -> None:  # noqa: F811
    open_session(db, make_clerk("csr2"))
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=_two_lines)


async def test_nothing_is_cut_at_80x24(make_app: Callable[..., ClerkApp],
                                       make_clerk: Callable[..., Actor], db: Database,
                                       fixed_clock: object) -> None:  # noqa: F811
    open_session(db, make_clerk("csr2"))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await _two_lines(pilot)
        assert isinstance(app.screen, MiscSalesScreen)
        text = screen_text(app)
        print(text)
        for want in ("City street map", "$3.00", "Monthly bus pass x 2", "$90.00", "$91.20",
                     "Enter on empty Item = pay", "^O Day report"):
            assert want in text, want
