"""The counters: every function of the office, its keys and who may use it.

Home, the command palette, the help screen and the global function keys are all built from
`COUNTERS`, which is every `Counter` of the loaded counter manifests (clerk_tui/counters/) in
function-key order, so a counter plugs in without touching them. A manifest names its screen
lazily (`"clerk_tui.screens.payment:COUNTER_SCREEN"`); it is imported when first opened. A
counter with no screen yet (`screen=None`) opens the honest "not available yet" screen; tests
may plug one in with `register_counter_screen(id, factory)`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from clerk_tui.counters import load_builtin
from clerk_tui.counters.manifest import Counter, resolve

if TYPE_CHECKING:
    from textual.screen import Screen

log = logging.getLogger(__name__)


def _key_order(c: Counter) -> tuple[int, str]:
    key = c.key.lower()
    return (int(key[1:]) if key[:1] == "f" and key[1:].isdigit() else 99, c.id)


COUNTERS: tuple[Counter, ...] = tuple(sorted(load_builtin().counters, key=_key_order))

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
    """The screen factory the manifest names, or None while the counter is not built."""
    if counter.screen is None:
        return None
    factory: ScreenFactory = resolve(counter.screen)
    return factory


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
