"""Screenshots of sign-in and home at 80x24 (16-colour ANSI theme): layout regressions show
up as a diff. Regenerate deliberately with `pytest tests/ui --snapshot-update`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.pilot import Pilot

from clerk_tui.app import ClerkApp
from clerk_tui.domain.actor import Actor
from tests.conftest import PINS
from tests.ui.conftest import SIZE, sign_in


def test_sign_in_screen(snap_compare: Any, make_app: Callable[..., ClerkApp]) -> None:
    assert snap_compare(make_app(), terminal_size=SIZE)


def test_home_screen(snap_compare: Any, make_app: Callable[..., ClerkApp],
                     make_clerk: Callable[..., Actor]) -> None:
    make_clerk("csr2")

    async def signed_in(pilot: Pilot) -> None:
        await sign_in(pilot, "csr2", PINS["csr2"])

    assert snap_compare(make_app(sandbox=True), terminal_size=SIZE, run_before=signed_in)
