"""The footer fits 80 columns on the main screens: every key it shows is on screen, none is
clipped off the right edge (F1 lists the rest)."""

from __future__ import annotations

from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from clerk_tui.app import ClerkApp
from clerk_tui.db import Database
from tests.ui.conftest import SignedIn, screen_text, settle


def footer_report(app: ClerkApp) -> tuple[int, list[str], str]:
    footer = app.screen.query_one(Footer)
    keys = list(footer.query(FooterKey))
    width = sum(k.outer_size.width for k in keys)
    labels = [k.description for k in keys]
    return width, labels, screen_text(app).splitlines()[-1]


async def test_footer_fits_80_columns(signed_in: SignedIn,
                                      db: Database) -> None:
    async with signed_in("csr2") as (app, pilot):
        for key, name in (("", "home"), ("f2", "lookup"), ("f3", "payment"), ("f8", "drawer"),
                          ("f10", "diagnostics")):
            if key:
                while len(app.screen_stack) > 2:  # back to home
                    await pilot.press("escape")
                    await settle(pilot)
                await pilot.press(key)
                await settle(pilot)
            width, labels, last_line = footer_report(app)
            assert labels, name
            assert width <= 80, (name, width, labels)
            for label in labels:
                assert label in last_line, (name, label, last_line)
            assert "Help" in last_line, (name, last_line)
