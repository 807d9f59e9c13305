"""Every main screen at 80x24, reached by keys as a clerk reaches it, on deterministic data.

The data is the sandbox's own training database (its demo seed) built once per test session
with the clock fixed, then copied for each test, so every run sees the same accounts, names
and receipt numbers. `SCREENS` maps a name to the keys that bring the screen up from the
sign-in screen; the snapshot, ASCII and clipping tests all walk the same list. The two looks:
`LOOKS["ansi"]` is the 16-colour theme a `TERM=xterm` terminal gets, `LOOKS["ascii"]` the
Linux console's (16 colours, ASCII only).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from textual.pilot import Pilot

from clerk_tui.app import LIMITED_THEME, ClerkApp
from clerk_tui.db import Database
from clerk_tui.domain import clock, ledger
from clerk_tui.domain.actor import SYSTEM
from clerk_tui.domain.utility import orders
from clerk_tui.hardware.sim import reset_sims, shut_tills
from clerk_tui.sandbox import open_sandbox
from clerk_tui.widgets.report_view import ReportView
from tests.conftest import copy_database
from tests.ui.conftest import finish_work, press_each, settle, sign_in, type_text

NOW = dt.datetime(2026, 3, 2, 10, 0, 0)
CLERK, PIN, CLERK_NAME = "csr2", "3333", "Jordan Two"
LOOKS: dict[str, dict[str, object]] = {
    "ansi": {"theme": LIMITED_THEME, "ascii_borders": False},
    "ascii": {"theme": LIMITED_THEME, "ascii_borders": True},
}
HASH = re.compile(r"[0-9a-f]{64}")
SEARCH_WAIT = 0.3  # a little longer than the lookup's debounce


@dataclass(frozen=True)
class Data:
    """What the keys type: an active company account that owes money (a long name)."""

    db: Database
    number: str  # as typed, "1234567-8"
    name: str
    address: str


@pytest.fixture(scope="session")
def training_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("training")
    path = home / "training.db"
    clock.set_fixed(NOW)
    try:
        with pytest.MonkeyPatch.context() as mp:  # nothing lands in the real home directory
            mp.setenv("XDG_DATA_HOME", str(home / "xdg-data"))
            mp.setenv("XDG_CONFIG_HOME", str(home / "xdg-config"))
            open_sandbox(path=path).close()
    finally:
        clock.set_fixed(None)
    return path


@pytest.fixture
def screens_data(training_template: Path, tmp_path: Path) -> Iterator[Data]:
    """A fresh copy of the training database, the clock fixed, one open service order, and
    fresh simulated devices (a till another test of this worker kicked open shuts itself
    3 s later: its state would otherwise depend on which test ran before)."""
    reset_sims()
    path = tmp_path / "training.db"
    copy_database(training_template, path)  # with its site secret
    clock.set_fixed(NOW)
    db = Database.open(path)
    try:
        rows = db.all("SELECT a.id, a.number, a.service_address, c.name FROM accounts a "
                      "JOIN customers c ON c.id = a.customer_id WHERE a.status = 'active' "
                      "AND c.name LIKE '%,% and %' ORDER BY length(c.name) DESC, a.number")
        row = next(r for r in rows if ledger.account_balance(db, r["id"]) > 0)
        orders.create_order(db, SYSTEM, row["id"], "leak_check", priority="routine")
        number = f"{row['number'][:7]}-{row['number'][7:]}"
        yield Data(db, number, row["name"], row["service_address"])
    finally:
        db.close()
        clock.set_fixed(None)


def make_screens_app(data: Data, look: str) -> ClerkApp:
    return ClerkApp(data.db, workstation="ws-test", sandbox=True, environ={},
                    **LOOKS[look])  # type: ignore[arg-type]


# ---- the keys to each screen ---------------------------------------------------------------
Driver = Callable[[Pilot, Data], Awaitable[None]]


def _then(before: Driver, *keys: str, text: str | None = None) -> Driver:
    """A driver that runs `before`, presses `keys`, then types `text` (if any) and settles:
    most screens are one of those steps beyond another."""

    async def drive(pilot: Pilot, data: Data) -> None:
        await before(pilot, data)
        await press_each(pilot, *keys)
        if text is not None:
            await type_text(pilot, text)
            await settle(pilot)

    return drive


async def _signed_in(pilot: Pilot, data: Data) -> None:
    await sign_in(pilot, CLERK, PIN)


async def _lookup(pilot: Pilot, data: Data) -> None:
    await _signed_in(pilot, data)
    await press_each(pilot, "f2")
    await type_text(pilot, "and")
    await pilot.pause(SEARCH_WAIT)
    await settle(pilot)


async def _account(pilot: Pilot, data: Data) -> None:
    await _signed_in(pilot, data)
    await press_each(pilot, "f2")
    await type_text(pilot, data.number)
    await pilot.pause(SEARCH_WAIT)
    await press_each(pilot, "enter")


async def _open_drawer(pilot: Pilot, data: Data) -> None:
    await _signed_in(pilot, data)
    await press_each(pilot, "f8", "o")
    await finish_work(pilot)


async def _drawer(pilot: Pilot, data: Data) -> None:
    await _open_drawer(pilot, data)


async def _payment_items(pilot: Pilot, data: Data) -> None:
    """F3, the account, Enter for the amount due: one item, the cash tender next."""
    await _open_drawer(pilot, data)
    await press_each(pilot, "escape", "f3")
    await type_text(pilot, data.number)
    await press_each(pilot, "enter", "enter")


async def _payment_posted(pilot: Pilot, data: Data) -> None:
    await _payment_items(pilot, data)
    await press_each(pilot, "enter")  # cash, exact
    await finish_work(pilot)


async def _count(pilot: Pilot, data: Data) -> None:
    """F8 C after a sale: the blind count with bills and a check typed in."""
    await _payment_posted(pilot, data)
    shut_tills()  # the clerk shut the till after the change; the status bar is told at once
    pilot.app.note_drawer_state(False)
    await press_each(pilot, "escape", "f8", "c")
    await type_text(pilot, "7")  # $20 bills (the first field)
    pilot.app.screen.query_one("#count-checks").focus()
    await type_text(pilot, "1001 25.00")
    await settle(pilot)


async def _z_report(pilot: Pilot, data: Data) -> None:
    """Counted short, then F8 Z. The audit hash changes every run (receipt keys are
    random), so it is replaced by a fixed one of the same length before the picture."""
    await _count(pilot, data)
    await press_each(pilot, "ctrl+y", "y")
    await finish_work(pilot)
    await press_each(pilot, "escape", "f8", "z")  # the Z report over the whole screen
    view = pilot.app.screen.query_one("#kit-report", ReportView)
    view.show(HASH.sub("0123456789abcdef" * 4, "\n".join(view._source)))
    await settle(pilot)
    await press_each(pilot, "end")  # its last lines: the count and the audit hash


async def _nothing(pilot: Pilot, data: Data) -> None:
    await settle(pilot)


_x_report = _then(_payment_posted, "escape", "f9", "x")
_desk = _then(_signed_in, "f11")
_new_account = _then(_desk, "n", text="Pat Example")  # F11 N: a name in the form's first field
_orders = _then(_desk, "w")
_diagnostics = _then(_signed_in, "f10")
_help = _then(_payment_items, "f1")
_lock = _then(_signed_in, "ctrl+l")
_palette = _then(_signed_in, "ctrl+p", text="dra")
_licenses = _then(_then(_signed_in, "f5", text="blue door"), "enter")  # F5: the demo's cafe
SCREENS: dict[str, Driver] = {
    "sign_in": _nothing,
    "home": _signed_in,
    "lookup": _lookup,
    "account": _account,
    "payment_items": _payment_items,
    "payment_posted": _payment_posted,
    "drawer": _drawer,
    "count": _count,
    "x_report": _x_report,
    "z_report": _z_report,
    "utility_desk": _desk,
    "new_account": _new_account,
    "service_orders": _orders,
    "diagnostics": _diagnostics,
    "help": _help,
    "lock": _lock,
    "palette": _palette,
    "licenses": _licenses,
}
