"""The registry of counters: every function of the office, its keys and who may use it.

Home, the command palette, the help screen and the global function keys are all built from
`COUNTERS`, so a counter plugs in without touching them. To build one:

    # clerk_tui/screens/payment.py
    from clerk_tui.screens.base import CounterScreen

    class PaymentScreen(CounterScreen):
        ...

    COUNTER_SCREEN = PaymentScreen      # picked up by convention from Counter.module

or, from anywhere imported before the app starts, `register_counter_screen("payments",
factory)`. A counter with no screen yet opens the honest "not available yet" screen.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.screen import Screen

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Counter:
    """One counter (a function of the office) as the clerk reaches it."""

    id: str
    """Stable name; binding ids are `counter.<id>` (F-key) and `home.<id>` (letter)."""
    name: str
    key: str
    """Default function key; a site keymap may change it by binding id."""
    mnemonic: str
    """Letter on the home screen, for terminals without working F-keys."""
    permission: str | None
    """Needed to open it (data in authority.toml); `None` = every signed-in clerk."""
    summary: str
    module: str
    """Module that, by convention, holds the screen as `COUNTER_SCREEN`."""

    @property
    def binding_id(self) -> str:
        return f"counter.{self.id}"

    @property
    def home_binding_id(self) -> str:
        return f"home.{self.id}"


COUNTERS: tuple[Counter, ...] = (
    Counter("lookup", "Lookup", "f2", "l", "lookup.view",
            "Find an account, customer, receipt or citation", "clerk_tui.screens.lookup"),
    Counter("payments", "Payments", "f3", "p", "payment.take",
            "Take a utility bill payment", "clerk_tui.screens.payment"),
    Counter("citations", "Citations", "f4", "c", "citation.pay",
            "Parking citations and permits", "clerk_tui.screens.citations"),
    Counter("licenses", "Licenses", "f5", "b", "license.renew",
            "Business licenses: issue and renew", "clerk_tui.screens.licenses"),
    Counter("passports", "Passports", "f6", "s", "passport.accept",
            "Accept US passport applications", "clerk_tui.screens.passports"),
    Counter("frontdesk", "Front desk", "f7", "f", "frontdesk.visitor",
            "Police front desk: visitors, records, releases", "clerk_tui.screens.frontdesk"),
    Counter("drawer", "Drawer", "f8", "d", "drawer.open",
            "Open, balance and close your cash drawer", "clerk_tui.screens.drawer"),
    Counter("reports", "Reports", "f9", "r", "reports.own",
            "Day, drawer and deposit reports", "clerk_tui.screens.reports"),
    Counter("utility", "Utility desk", "f11", "u", "utility.desk",
            "Service orders, billing runs, delinquency", "clerk_tui.screens.utility.desk"),
)

ScreenFactory = Callable[[Counter], "Screen"]

_factories: dict[str, ScreenFactory] = {}


def get_counter(counter_id: str) -> Counter:
    for c in COUNTERS:
        if c.id == counter_id:
            return c
    raise KeyError(f"no counter {counter_id!r}")


def register_counter_screen(counter_id: str, factory: ScreenFactory) -> None:
    """Plug a screen into a counter; `factory(counter)` returns a fresh Screen each time."""
    get_counter(counter_id)
    _factories[counter_id] = factory


def unregister_counter_screen(counter_id: str) -> None:
    """Back to the convention / "not available yet" (tests)."""
    _factories.pop(counter_id, None)


def _conventional(counter: Counter) -> ScreenFactory | None:
    """`COUNTER_SCREEN` from the counter's module, or None if that module does not exist yet."""
    try:
        module = importlib.import_module(counter.module)
    except ModuleNotFoundError as e:
        if e.name == counter.module:
            return None
        raise
    return getattr(module, "COUNTER_SCREEN", None)


def screen_for(counter: Counter) -> Screen:
    """A fresh screen for the counter; never raises, so a half-built counter cannot crash a
    clerk's session (it shows what failed on the "not available" screen instead)."""
    from clerk_tui.screens.unavailable import UnavailableScreen

    try:
        factory = _factories.get(counter.id) or _conventional(counter)
        if factory is None:
            return UnavailableScreen(counter)
        return factory(counter)
    except Exception as e:  # shown to the clerk, logged for IT
        log.exception("counter %s failed to load", counter.id)
        return UnavailableScreen(counter, problem=f"{type(e).__name__}: {e}")
