"""Every screen's stylesheet can be found, wherever the screen class is defined.

Textual resolves a relative `CSS_PATH` against the file of the class being instantiated, so a
screen subclassed from another folder (the route list, a `ReportScreen` from
`screens/utility/`) looked for `screens/utility/cashier.tcss` and crashed the app (F11, L).
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from pathlib import Path

from textual.screen import Screen

import clerk_tui.screens
from clerk_tui.db import Database
from clerk_tui.screens.kit import ReportScreen
from clerk_tui.screens.utility.desk import UtilityDeskScreen
from tests.ui.cashier_support import press_keys
from tests.ui.conftest import SignedIn, screen_text


def _screen_classes() -> list[type[Screen]]:
    for info in pkgutil.walk_packages(clerk_tui.screens.__path__, "clerk_tui.screens."):
        importlib.import_module(info.name)
    found: list[type[Screen]] = []
    todo: list[type] = [Screen]
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if cls.__module__.startswith("clerk_tui."):
            found.append(cls)
    return found


def _css_paths(cls: type[Screen]) -> list[Path]:
    """The files Textual will read for `cls`, resolved the way Textual resolves them."""
    css = cls.CSS_PATH
    if css is None:
        return []
    paths = css if isinstance(css, list) else [css]
    here = Path(inspect.getfile(cls)).parent
    return [Path(p) if Path(p).is_absolute() else (here / p).resolve() for p in paths]


def test_every_screen_stylesheet_exists() -> None:
    classes = _screen_classes()
    assert any(c.__name__ == "RouteListScreen" for c in classes)
    missing = {f"{c.__module__}.{c.__qualname__}": str(p)
               for c in classes for p in _css_paths(c) if not p.is_file()}
    assert missing == {}


async def test_f11_l_opens_the_route_list(signed_in: SignedIn, db: Database) -> None:
    async with signed_in("csr2") as (app, pilot):
        await press_keys(pilot, "f11")
        assert isinstance(app.screen, UtilityDeskScreen)
        await press_keys(pilot, "l")
        assert isinstance(app.screen, ReportScreen), screen_text(app)
        assert "Route list" in screen_text(app)
        await press_keys(pilot, "escape")
        assert isinstance(app.screen, UtilityDeskScreen)
