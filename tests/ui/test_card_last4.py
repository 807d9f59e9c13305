"""The card tender's "Last 4" field at 80x24: a full card number typed there is refused out loud.

Before: the field stopped at four characters, so typing `4111111111111111` kept `4111`
silently and the receipt said `Card x4111`. Now the clerk sees why, nothing is posted, and
the tender is not taken.
"""

from __future__ import annotations

from collections.abc import Callable

from clerk_tui.db import Database
from clerk_tui.domain.actor import Actor
from clerk_tui.domain.cashier import last_receipt_for_clerk, open_session
from clerk_tui.screens.payment import PaymentScreen
from tests.ui.cashier_support import fixed_clock, make_account  # noqa: F401
from tests.ui.conftest import SignedIn, goto, screen_text, settle, type_text


async def test_full_card_number_in_last4_is_refused_with_a_reason(
        signed_in: SignedIn, make_clerk: Callable[..., Actor], db: Database,
        fixed_clock: object) -> None:  # noqa: F811
    open_session(db, make_clerk("csr2"))
    account = make_account(db, balance_cents=5000)
    async with signed_in("csr2") as (app, pilot):
        screen = await goto(pilot, "f3", PaymentScreen)
        await type_text(pilot, account.display_number)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("enter")  # the amount due
        await settle(pilot)
        await pilot.press("ctrl+t", "ctrl+t", "ctrl+t")  # cash -> check -> money order -> card
        await settle(pilot)
        last4 = screen.query_one("#pay-last4")
        assert app.focused is last4
        await type_text(pilot, "4111111111111111")
        await settle(pilot)
        assert last4.value == "4111111111111111"  # nothing dropped silently  # type: ignore[attr-defined]
        shown = " ".join(screen_text(app).split())  # the message wraps at 80 columns
        assert "looks like a card number" in shown, shown
        assert "Never type a full card number" in shown, shown
        await pilot.press("enter")  # Enter does not move on with it
        await settle(pilot)
        assert app.focused is last4
        # Even if the clerk goes on to the amount, the tender is refused: nothing is taken.
        await pilot.press("tab", "tab")
        await pilot.press("enter")
        await settle(pilot)
        assert "card number" in screen.query_one("#pay-message").plain  # type: ignore[attr-defined]
        assert screen.tenders == [] and screen.result is None
        assert last_receipt_for_clerk(db, app.actor) is None  # type: ignore[arg-type]
        assert "x4111" not in screen_text(app)
