"""No SQL on the UI thread: a clerk's whole path through the counter, every statement traced.

Domain work runs through `session.run` (thread workers) and reads use a read connection of
their own, so a long write elsewhere never freezes the screen. This test traces every
statement on both connections and fails if one runs on the thread that paints the screen.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from clerk_tui.app import ClerkApp
from clerk_tui.db import Database
from clerk_tui.domain.actor import Actor
from tests.conftest import PINS
from tests.ui.cashier_support import fixed_clock, make_account  # noqa: F401
from tests.ui.conftest import SIZE, press_each, settle, sign_in, type_text


def _trace(db: Database) -> list[str]:
    """Every statement run on the UI (main) thread, on the writer and the reader."""
    seen: list[str] = []
    ui = threading.main_thread()

    def note(statement: str) -> None:
        if threading.current_thread() is ui:
            seen.append(statement.strip().split("\n")[0][:120])

    db.conn.set_trace_callback(note)
    reader = db._read_conn()
    if reader is not None:
        reader.set_trace_callback(note)
    return seen


async def test_a_payment_runs_no_sql_on_the_ui_thread(
        make_app: Callable[..., ClerkApp], make_clerk: Callable[..., Actor], db: Database,
        fixed_clock: object) -> None:  # noqa: F811
    from clerk_tui.app import _default_drawer_state

    make_clerk("csr2")
    account = make_account(db, balance_cents=5000)
    app = make_app(drawer_state=_default_drawer_state)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "csr2", PINS["csr2"])
        seen = _trace(db)
        await press_each(pilot, "f8", "o", "escape", "f2")
        await type_text(pilot, account.number)
        await settle(pilot)
        await press_each(pilot, "enter", "f3", "enter", "enter")
        await settle(pilot)
        print("\n".join(seen))
        assert seen == []
