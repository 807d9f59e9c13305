"""The Citations screen at 80x24 (pytest-textual-snapshot): a plate's three citations (one
paid, one partly paid with a late penalty, one held at DMV) with the highlighted one's
details. After a deliberate change regenerate with `--snapshot-update` and review the SVG."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from textual.pilot import Pilot

from clerk_tui.app import ClerkApp
from clerk_tui.db import Database
from clerk_tui.domain.actor import Actor
from clerk_tui.domain.cashier import (
    SaleItem,
    Tender,
    new_idempotency_key,
    open_session,
    post_payment,
)
from clerk_tui.screens.citations.screen import CitationsScreen
from tests.conftest import PINS
from tests.domain.citations.conftest import hold, keyed
from tests.ui.cashier_support import fixed_clock  # noqa: F401
from tests.ui.conftest import SIZE, press_each, screen_text, sign_in

pytestmark = pytest.mark.slow


def _citations(db: Database, clerk: Actor) -> None:
    paid = keyed(db, clerk, 501, plate="7SNAP77", issued="2026-02-26 08:10")
    part = keyed(db, clerk, 502, plate="7SNAP77", issued="2026-01-20 17:45", code="22514")
    held = keyed(db, clerk, 503, plate="7SNAP77", issued="2025-12-01 09:00")
    hold(db, clerk, held, dt.date(2026, 2, 1))
    post_payment(db, clerk, new_idempotency_key(), [SaleItem("citation", paid),
                                                    SaleItem("citation", part, 2000)],
                 [Tender("cash", 7500)])


async def _plate(pilot: Pilot) -> None:
    await sign_in(pilot, "csr2", PINS["csr2"])
    await press_each(pilot, "f4", *"7snap77", "enter", "down")


def test_citations_screen(snap_compare: Any, make_app: Callable[..., ClerkApp],
                          make_clerk: Callable[..., Actor], db: Database,
                          fixed_clock: object) -> None:  # noqa: F811
    clerk = make_clerk("csr2")
    open_session(db, clerk)
    _citations(db, clerk)
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=_plate)


async def test_nothing_is_cut_at_80x24(make_app: Callable[..., ClerkApp],
                                       make_clerk: Callable[..., Actor], db: Database,
                                       fixed_clock: object) -> None:  # noqa: F811
    clerk = make_clerk("csr2")
    open_session(db, clerk)
    _citations(db, clerk)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await _plate(pilot)
        assert isinstance(app.screen, CitationsScreen)
        text = screen_text(app)
        print(text)
        for want in ("Plate 7SNAP77: 3 citation(s); 2 owe $265.00", "Paid", "Partly paid",
                     "DMV hold", "$130.00", "$135.00", "Penalties $75.00 (late)", "Paid $20.00",
                     "Esc Back", "J Jobs", "P Permits"):
            assert want in text, (want, text)
