"""Every counter's first screen, on the sandbox's demo data at 80x24, shows its whole footer:
the last key (^Q Sign out) is never cut off. Two counters once shipped a footer cut at 80
columns, one of them in its own accepted snapshot."""

from __future__ import annotations

import pytest

from clerk_tui.counters import load_builtin, registry
from tests.ui.conftest import press_each, screen_text, settle, sign_in
from tests.ui.screens_support import (  # noqa: F401  (fixtures)
    CLERK,
    PIN,
    Data,
    make_screens_app,
    screens_data,
    training_template,
)

load_builtin()
COUNTERS = [c for c in registry().counters if c.screen is not None]


@pytest.mark.parametrize("look", ["ansi", "ascii"])
async def test_every_counters_footer_fits_80_columns(screens_data: Data, look: str) -> None:  # noqa: F811
    app = make_screens_app(screens_data, look)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, CLERK, PIN)
        cut = []
        for c in COUNTERS:
            await press_each(pilot, c.key)
            await settle(pilot)
            footer = screen_text(app).rstrip("\n").splitlines()[-1].rstrip()
            if not footer.endswith("Sign out"):
                cut.append((c.id, footer))
            await press_each(pilot, "escape")
            await settle(pilot)
            if app.screen.__class__.__name__ != "HomeScreen":
                await press_each(pilot, "escape")
                await settle(pilot)
        assert cut == []
        assert len(COUNTERS) >= 10
