"""F2 finds receipts (issue 17) at 80x24: by number and by check number, the Kind column says
`receipt`, Enter shows it as it reprints, Esc comes back to the lookup."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from clerk_tui.db import Database
from clerk_tui.domain.actor import Actor
from clerk_tui.domain.cashier import SaleItem, Tender, new_idempotency_key, open_session
from clerk_tui.domain.cashier import post_payment as post
from clerk_tui.screens.lookup import LookupScreen
from clerk_tui.screens.reprint import ReprintScreen
from tests.ui.cashier_support import fixed_clock, make_account  # noqa: F401
from tests.ui.conftest import SignedIn, screen_text, settle, type_text

pytestmark = pytest.mark.usefixtures("fresh_sims")


async def _search(pilot, text: str) -> None:  # type: ignore[no-untyped-def]
    await pilot.press("ctrl+u")
    await type_text(pilot, text)
    await pilot.pause(0.3)  # past the lookup's SEARCH_GAP
    await settle(pilot)


async def test_f2_finds_a_receipt_by_number_and_by_check_and_opens_it(
        signed_in: SignedIn, make_clerk: Callable[..., Actor], db: Database,
        fixed_clock: object) -> None:  # noqa: F811
    actor = make_clerk("csr2")
    open_session(db, actor)
    account = make_account(db, name="Dana Reyes", balance_cents=4210)
    receipt = post(db, actor, new_idempotency_key(), [SaleItem("account", account.number)],
                   [Tender("check", 4210, number="77123")]).receipt
    async with signed_in("csr2") as (app, pilot):
        await pilot.press("f2")
        await settle(pilot)
        lookup = app.screen
        assert isinstance(lookup, LookupScreen)

        await _search(pilot, f"R{receipt.number}")
        lines = [ln for ln in screen_text(app).splitlines() if "receipt" in ln]
        assert any(str(receipt.number) in ln for ln in lines), screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ReprintScreen), screen_text(app)
        text = screen_text(app)
        assert f"Receipt {receipt.number}" in text and "$42.10" in text and "77123" in text
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is lookup

        await _search(pilot, "77123")
        lines = [ln for ln in screen_text(app).splitlines() if "receipt" in ln]
        assert len(lines) == 1 and "check 77123" in lines[0], screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ReprintScreen) and app.screen.view.number == \
            receipt.number
        assert db.scalar("SELECT count(*) FROM audit_log WHERE action = 'receipt.reprint'") == 0
