"""Customer record and payment transfer from the account's A menu, keys only at 80x24."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from clerk_tui.app import ClerkApp
from clerk_tui.db import Database
from clerk_tui.domain import ledger
from clerk_tui.domain.actor import Actor
from clerk_tui.domain.cashier import (
    SaleItem,
    Tender,
    new_idempotency_key,
    open_session,
    post_payment,
)
from clerk_tui.domain.office import records
from clerk_tui.screens.kit import ConfirmDialog
from clerk_tui.screens.office.records import CustomerRecordForm
from clerk_tui.screens.office.transfer import TransferForm
from clerk_tui.screens.override import OverrideScreen
from clerk_tui.screens.utility.common import DeskReport
from tests.conftest import PINS
from tests.ui.cashier_support import (
    approve_override,
    fixed_clock,  # noqa: F401  (fixture)
    make_account,
    open_account_screen,
    pick_account_action,
)
from tests.ui.conftest import SIZE, goto, press_each, screen_text, settle, sign_in, type_text

pytestmark = [pytest.mark.ui, pytest.mark.usefixtures("fresh_sims")]


async def _retype(pilot, text: str) -> None:  # noqa: ANN001
    """Clear the focused field and type `text`, then Enter to the next one."""
    await pilot.press("end", "ctrl+u")
    await type_text(pilot, text)
    await press_each(pilot, "enter")


async def test_name_and_address_change_with_reason(make_app: Callable[..., ClerkApp],
                                                   make_clerk: Callable[..., Actor],
                                                   db: Database,
                                                   fixed_clock: object) -> None:  # noqa: F811
    make_clerk("csr1")
    account = make_account(db, name="Pat Example", address="9 Record Ln")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "csr1", PINS["csr1"])
        await open_account_screen(pilot, "record ln")
        form = await pick_account_action(pilot, "u", "Customer record", CustomerRecordForm)
        await settle(pilot)
        assert form.field("name").value == "Pat Example"  # what is on file, filled in
        await _retype(pilot, "Pat Q. Example")
        await press_each(pilot, "enter", "enter")  # phone, email unchanged
        await _retype(pilot, "PO Box 7 / Springfield CA 90000")
        await press_each(pilot, "enter")  # language unchanged
        # Enter on an empty reason: refused, nothing saved
        await press_each(pilot, "enter")
        assert "Reason is required" in screen_text(app)
        assert records.history(db, account.customer_id) == []
        await type_text(pilot, "legal name; moved")
        await press_each(pilot, "enter")
        text = screen_text(app)
        assert "SAVED 2 change(s)" in text, text
        c = records.get_customer(db, account.customer_id)
        assert c.name == "Pat Q. Example" and c.mailing_address == "PO Box 7\nSpringfield CA 90000"
        assert {h.field for h in records.history(db, account.customer_id)} == {
            "name", "mailing_address"}
        # the history, shown literally
        await goto(pilot, "ctrl+o", DeskReport)
        text = screen_text(app)
        assert "before: Pat Example" in text and "legal name; moved" in text


async def test_transfer_with_override(make_app: Callable[..., ClerkApp],
                                      make_clerk: Callable[..., Actor], db: Database,
                                      fixed_clock: object) -> None:  # noqa: F811
    payer = make_clerk("csr1", "payer")
    open_session(db, payer)
    make_clerk("supervisor", "sup")
    make_clerk("csr2")
    wrong = make_account(db, name="Wrong Person", address="1 Wrong Way", balance_cents=2500)
    right = make_account(db, name="Right Person", address="2 Right Rd", balance_cents=2500)
    r = post_payment(db, payer, new_idempotency_key(), [SaleItem("account", wrong.number, 2500)],
                     [Tender("cash", 2500)]).receipt
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "csr2", PINS["csr2"])
        await open_account_screen(pilot, "wrong way")
        form = await pick_account_action(pilot, "g", "", TransferForm)
        await settle(pilot)
        assert form.field("receipt").value == str(r.number)  # the account's last receipt
        assert f"Receipt {r.number}" in screen_text(app)
        await press_each(pilot, "enter", "enter")  # item: all; to: account
        await type_text(pilot, right.display_number)
        await press_each(pilot, "enter")
        await type_text(pilot, "paid the neighbour's bill")
        await goto(pilot, "enter", ConfirmDialog)
        assert "$25.00" in screen_text(app)
        await goto(pilot, "y", OverrideScreen)
        await approve_override(pilot, "sup")
        await settle(pilot)
        text = screen_text(app)
        assert "TRANSFERRED $25.00" in text and "approved by sup" in text, text
        assert ledger.account_balance(db, wrong.id) == 2500
        assert ledger.account_balance(db, right.id) == 0
        assert f"-> account {right.display_number}" in text  # the heading, read again
        assert "Transfer notice printed" in text
        await goto(pilot, "ctrl+n", DeskReport)
        text = screen_text(app)
        assert "PAYMENT TRANSFER NOTICE" in text and f"Receipt {r.number}" in text


async def test_mailing_queue_says_why_a_letter_is_held(make_app: Callable[..., ClerkApp],
                                                     make_clerk: Callable[..., Actor],
                                                     db: Database,
                                                     fixed_clock: object) -> None:  # noqa: F811
    from clerk_tui.domain.utility import letters
    from clerk_tui.screens.utility.desk import UtilityDeskScreen
    from clerk_tui.screens.utility.mailing import MailLettersScreen

    clerk = make_clerk("csr3")
    bounced = make_account(db, name="Bounced Mail", address="5 Gone St", balance_cents=900)
    fine = make_account(db, name="Good Mail", address="6 Here St", balance_cents=900)
    letters.issue_letter(db, clerk, bounced.id, "reminder")
    letters.issue_letter(db, clerk, fine.id, "reminder")
    records.mark_returned_mail(db, clerk, bounced.customer_id, "no such address")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "csr3", PINS["csr3"])
        await goto(pilot, "f11", UtilityDeskScreen)
        await goto(pilot, "m", MailLettersScreen)
        await settle(pilot)
        text = screen_text(app)
        assert "HELD: returned mail" in text, text
        assert "1 letter(s) to mail. 1 held: returned mail" in text


async def test_apply_from_suspense_as_supervisor(make_app: Callable[..., ClerkApp],
                                                 make_clerk: Callable[..., Actor],
                                                 db: Database,
                                                 fixed_clock: object) -> None:  # noqa: F811
    from clerk_tui.domain.cashier import (
        DrawerCount,
        approve_session,
        reverse_receipt,
        submit_count,
    )

    payer = make_clerk("csr1", "payer")
    open_session(db, payer)
    sup = make_clerk("supervisor")
    wrong = make_account(db, name="Wrong Person", address="3 Wrong Way", balance_cents=2000)
    right = make_account(db, name="Right Person", address="4 Right Rd", balance_cents=2000)
    r = post_payment(db, payer, new_idempotency_key(), [SaleItem("account", wrong.number, 2000)],
                     [Tender("cash", 2000)]).receipt
    submit_count(db, payer, DrawerCount({"hundreds": 1, "fifties": 1, "twenties": 1}))
    approve_session(db, sup, r.drawer_session_id)
    reverse_receipt(db, sup, r.number, "misapplied", "wrong account")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "supervisor", PINS["supervisor"])
        await open_account_screen(pilot, "right rd")
        form = await pick_account_action(pilot, "g", "", TransferForm)
        await settle(pilot)
        await type_text(pilot, str(r.number))
        await press_each(pilot, "enter")  # Enter on the number shows the receipt
        text = screen_text(app)
        assert "REVERSAL" in text and "In suspense $20.00" in text, text
        assert form.focused is form.field("item")
        await type_text(pilot, "s")
        await press_each(pilot, "enter", "enter")
        await type_text(pilot, right.display_number)
        await press_each(pilot, "enter")
        await type_text(pilot, "found the right account")
        await goto(pilot, "enter", ConfirmDialog)
        assert "$20.00 in suspense" in screen_text(app)
        await press_each(pilot, "y")  # a supervisor: no override asked
        text = screen_text(app)
        assert "TRANSFERRED $20.00" in text, text
        assert "(applied: account" in text
        assert ledger.account_balance(db, right.id) == 0
        assert ledger.account_balance(db, wrong.id) == 2000
