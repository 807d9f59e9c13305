"""The screen stays live while a domain call waits for the database.

Another process (here: another connection in a thread, as the sqlite3 shell or a second
workstation would be) holds a write transaction for a few seconds. A payment posted meanwhile
waits for it; the clerk goes on typing into Lookup and sees the results and the status bar
change while the payment still waits, and the payment lands once the other write ends.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator

import pysqlite3.dbapi2 as sqlite3
import pytest
from textual.widgets import DataTable

from clerk_tui.db import Database
from clerk_tui.domain.actor import Actor
from clerk_tui.domain.cashier import (
    SaleItem,
    Tender,
    new_idempotency_key,
    open_session,
    post_payment,
)
from clerk_tui.screens.lookup import LookupScreen
from tests.ui.cashier_support import fixed_clock, make_account  # noqa: F401
from tests.ui.conftest import SignedIn, goto, screen_text, type_text

pytestmark = [pytest.mark.ui, pytest.mark.slow]

HOLD = 4.0  # seconds the other connection keeps its write open


class Blocker:
    """A write transaction held open in another connection until released (or HOLD passes)."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.holding = threading.Event()
        self.release = threading.Event()
        self.thread = threading.Thread(target=self._hold, daemon=True)

    def _hold(self) -> None:
        conn = sqlite3.connect(self.path, isolation_level=None, timeout=5)
        try:
            conn.execute("BEGIN IMMEDIATE")
            self.holding.set()
            self.release.wait(HOLD)
            conn.execute("ROLLBACK")
        finally:
            self.holding.clear()
            conn.close()

    def start(self) -> None:
        self.thread.start()
        assert self.holding.wait(5)


@pytest.fixture
def blocker(db: Database) -> Iterator[Blocker]:
    b = Blocker(str(db.path))
    yield b
    b.release.set()
    b.thread.join(10)


async def test_keys_and_paint_while_a_payment_waits_for_the_lock(
        signed_in: SignedIn, make_clerk: Callable[..., Actor], db: Database,
        blocker: Blocker, fixed_clock: object) -> None:  # noqa: F811
    clerk = make_clerk("csr2")
    open_session(db, clerk)
    payer = make_account(db, name="Pat Example", balance_cents=5000)
    make_account(db, name="Kim Other", address="44 Pine Rd")
    async with signed_in("csr2") as (app, pilot):
        screen = await goto(pilot, "f2", LookupScreen)
        actor = app.actor
        assert actor is not None
        results: list[object] = []

        def pay(override: object = None) -> object:
            return post_payment(db, actor, new_idempotency_key(),
                                [SaleItem("account", payer.number)], [Tender("cash", 5000)])

        blocker.start()
        started = time.monotonic()
        app.run_with_override(pay, "post a payment", results.append)
        await pilot.pause(0.2)

        # The payment waits behind the other write; the clerk types a search meanwhile.
        await type_text(pilot, "kim")
        assert screen.query_one("#lookup-query").value == "kim"  # type: ignore[attr-defined]
        await pilot.pause(0.6)  # the debounce, then the search (a read) runs
        assert blocker.holding.is_set() and time.monotonic() - started < HOLD - 0.5, \
            "the app froze until the other write ended"
        assert results == []  # the payment is still waiting
        table = screen.query_one("#lookup-results", DataTable)
        assert table.row_count == 1
        shown = screen_text(app)
        assert "44 Pine Rd" in shown  # painted, not only in the widget
        assert "Working" in shown  # the status bar says a call is running

        # The other write ends: the payment posts, the bar stops saying Working.
        blocker.release.set()
        deadline = time.monotonic() + 10
        while not results and time.monotonic() < deadline:
            await pilot.pause(0.1)
        assert len(results) == 1 and results[0] is not None
        await pilot.pause()
        assert "Working" not in screen_text(app)
        assert db.scalar("SELECT count(*) FROM receipts") == 1
