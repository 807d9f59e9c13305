"""Barcode scans from any screen: a keyboard wedge (prefix Ctrl+^, or burst timing on a local
terminal) and a serial scanner (the simulated one), routed by what the code means. Keys are
fed through Pilot exactly as the terminal reports them; nothing is mocked."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual import events
from textual.pilot import Pilot

from clerk_tui.app import ClerkApp
from clerk_tui.config import parse_config
from clerk_tui.db import Database
from clerk_tui.domain.actor import Actor
from clerk_tui.domain.cashier import SaleItem, Tender, new_idempotency_key, open_session
from clerk_tui.domain.cashier import post_payment as post
from clerk_tui.domain.scanlines import make_receipt_barcode, make_stub_scanline
from clerk_tui.hardware.sim import SimScanner
from clerk_tui.screens.home import HomeScreen
from clerk_tui.screens.login import LoginScreen
from clerk_tui.screens.lookup import LookupScreen
from clerk_tui.screens.payment import PaymentScreen
from clerk_tui.screens.reprint import ReprintScreen
from tests.conftest import PINS
from tests.ui.cashier_support import fixed_clock, make_account  # noqa: F401
from tests.ui.conftest import SIZE, SignedIn, screen_text, settle, sign_in, type_text

PREFIX = "ctrl+circumflex_accent"  # how Textual reports RS (0x1E), the default prefix


pytestmark = pytest.mark.usefixtures("fresh_sims")


async def scan(pilot: Pilot, text: str, *, suffix: str = "enter") -> None:
    """What a wedge scanner programmed with the default prefix types."""
    await pilot.press(PREFIX, *list(text), suffix)
    await settle(pilot)


async def burst(pilot: Pilot, keys: list[str]) -> None:
    """Keys as a scanner types them: straight from the driver, no pause between them (Pilot's
    own press() waits for the screen after every key, ~60 ms apart: human speed)."""
    driver = pilot.app._driver
    assert driver is not None
    for key in keys:
        char = {"enter": "\r", "space": " "}.get(key, key if len(key) == 1 else None)
        event = events.Key(key, char)
        event.set_sender(pilot.app)
        driver.send_message(event)
    await pilot.pause(0.4)


def messages(app: ClerkApp) -> list[str]:
    return [n.message for n in app._notifications]


async def test_stub_scan_opens_payment_with_amount_from_any_screen(
        signed_in: SignedIn, make_clerk: Callable[..., Actor], db: Database,
        fixed_clock: object) -> None:  # noqa: F811
    make_clerk("csr2")
    first = make_account(db, balance_cents=4512)
    second = make_account(db, name="Lee Second", balance_cents=1999)
    async with signed_in("csr2") as (app, pilot):
        # On the lookup screen, with the cursor in the search box: nothing is typed there.
        await pilot.press("f2")
        await settle(pilot)
        assert isinstance(app.screen, LookupScreen)
        await scan(pilot, make_stub_scanline(first.number, 4512))
        assert isinstance(app.screen, PaymentScreen), screen_text(app)
        pay = app.screen
        assert pay.query_one("#pay-ref").value == first.display_number
        assert pay.query_one("#pay-amount").value == "45.12"
        assert app.focused is pay.query_one("#pay-amount")
        assert app.scan_log.latest(1)[0].raw[:1] == b"\x1e"
        await pilot.press("enter")  # the clerk accepts the stub's amount
        await settle(pilot)
        assert pay.total == 4512

        # A second stub on the payment screen adds to the same sale; a bare account number
        # fills in nothing (Enter = the amount due).
        await scan(pilot, make_stub_scanline(second.number, 1999))
        assert app.screen is pay
        assert pay.query_one("#pay-amount").value == "19.99"
        await pilot.press("enter")
        await settle(pilot)
        assert pay.total == 4512 + 1999 and len(pay.items) == 2

        # From home, an account number: payment with the amount left for Enter (amount due).
        await pilot.press("f2")  # leaving a sale in progress asks first
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        await scan(pilot, second.number)
        assert isinstance(app.screen, PaymentScreen) and app.screen is not pay
        assert app.screen.query_one("#pay-ref").value == second.display_number
        assert app.screen.query_one("#pay-amount").value == ""
        assert "$19.99" in app.screen.query_one("#pay-amount").placeholder


async def test_receipt_scan_fires_no_shortcuts_and_opens_the_reprint(
        signed_in: SignedIn, make_clerk: Callable[..., Actor], db: Database,
        fixed_clock: object) -> None:  # noqa: F811
    actor = make_clerk("csr2")
    open_session(db, actor)
    account = make_account(db, balance_cents=2500)
    receipt = post(db, actor, new_idempotency_key(), [SaleItem("account", account.number)],
                   [Tender("cash", 2500)]).receipt
    async with signed_in("csr2") as (app, pilot):
        assert isinstance(app.screen, HomeScreen)
        # "R0000…" on home: R would open Reports, the digits nothing — the scan fires none.
        await scan(pilot, make_receipt_barcode(receipt.number))
        assert isinstance(app.screen, ReprintScreen), screen_text(app)
        assert "DUPLICATE" in screen_text(app)
        assert str(receipt.number) in screen_text(app)
        printed_before = list(app.station.printer_text())
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        printed = app.station.printer_text()[len(printed_before):]
        assert any("DUPLICATE" in line for line in printed)
        assert db.scalar("SELECT count(*) FROM audit_log WHERE action = 'receipt.reprint'") == 1


async def test_bad_scans_beep_and_change_nothing(
        signed_in: SignedIn, make_clerk: Callable[..., Actor], db: Database,
        fixed_clock: object) -> None:  # noqa: F811
    make_clerk("csr2")
    account = make_account(db, balance_cents=1000)
    good = make_stub_scanline(account.number, 1000)
    bad_digit = good[:-1] + str((int(good[-1]) + 1) % 10)
    async with signed_in("csr2") as (app, pilot):
        await pilot.press("f2")
        await settle(pilot)
        await type_text(pilot, "Pat")
        lookup = app.screen
        for garbage, says in ((bad_digit, "wrong check digit"), ("HELLO-WORLD", "not recognised"),
                              ("R000012345", "wrong check digit")):
            await scan(pilot, garbage)
            assert app.screen is lookup
            assert lookup.query_one("#lookup-query").value == "Pat"
            assert any(says in m for m in messages(app)), messages(app)
        assert len(app.scan_log) == 3
        assert all(r.outcome.startswith("refused") for r in app.scan_log.records)
        # A suffix of LF (ctrl+j) or Tab ends a scan too; Tab does not move the focus.
        await scan(pilot, "NOT-A-CODE", suffix="tab")
        assert app.focused is lookup.query_one("#lookup-query")
        await scan(pilot, "ALSO-BAD", suffix="ctrl+j")
        assert len(app.scan_log) == 5 and app.screen is lookup


async def test_scans_before_sign_in_and_while_locked_are_ignored(
        make_app: Callable[..., ClerkApp], make_clerk: Callable[..., Actor], db: Database,
        fixed_clock: object) -> None:  # noqa: F811
    make_clerk("csr2")
    account = make_account(db, balance_cents=1000)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await scan(pilot, account.number)
        assert isinstance(app.screen, LoginScreen)
        assert app.screen.query_one("#login-user").value == ""
        assert any("sign in first" in m for m in messages(app))
        await sign_in(pilot, "csr2", PINS["csr2"])
        await pilot.press("ctrl+l")
        await settle(pilot)
        await scan(pilot, account.number)
        assert app.locked
        assert any("locked" in m for m in messages(app))
        assert not any(isinstance(s, PaymentScreen) for s in app.screen_stack)


async def test_serial_scanner_posts_the_same_message(
        make_app: Callable[..., ClerkApp], make_clerk: Callable[..., Actor], db: Database,
        fixed_clock: object) -> None:  # noqa: F811
    make_clerk("csr2")
    account = make_account(db, balance_cents=3000)
    config = parse_config('[workstation.ws-test.printer]\nurl = "sim:serialws"\n'
                          '[workstation.ws-test.scanner]\nmode = "serial"\nurl = "sim:"\n',
                          "ws.toml")
    app = make_app(config=config)
    async with app.run_test(size=SIZE) as pilot:
        scanner = app.station.devices.scanner
        assert isinstance(scanner, SimScanner) and scanner.running
        assert app._wedge is None  # a serial scanner: keys are never held or inspected
        await sign_in(pilot, "csr2", PINS["csr2"])
        scanner.scan(make_stub_scanline(account.number, 3000))
        await settle(pilot)
        assert isinstance(app.screen, PaymentScreen)
        assert app.screen.query_one("#pay-amount").value == "30.00"
        assert app.scan_log.latest(1)[0].via == "serial"
    assert not scanner.running  # closed with the app


async def test_burst_timing_on_a_local_terminal(
        make_app: Callable[..., ClerkApp], make_clerk: Callable[..., Actor], db: Database,
        fixed_clock: object) -> None:  # noqa: F811
    """A prefix-less scanner on a local terminal: a fast burst ending in Enter is a scan, the
    same keys typed at human speed are typing — and a fast burst that is no code is typing."""
    make_clerk("csr2")
    account = make_account(db, balance_cents=1200)
    config = parse_config('[workstation.ws-test.scanner]\nprefix = ""\n', "ws.toml")
    app = make_app(config=config)
    async with app.run_test(size=SIZE) as pilot:
        assert app.wedge_timing
        await sign_in(pilot, "csr2", PINS["csr2"])
        await pilot.press("f2")
        await settle(pilot)
        lookup = app.screen
        await pilot.press(*account.number)  # human speed
        await pilot.pause(0.3)
        assert lookup.query_one("#lookup-query").value == account.number
        await pilot.press("ctrl+u")
        await burst(pilot, [*"Zed", "space", *"Nobody", "enter"])  # fast, but no code
        assert app.screen is lookup
        assert lookup.query_one("#lookup-query").value == "Zed Nobody"
        assert len(app.scan_log) == 0
        await pilot.press("ctrl+u")
        await burst(pilot, [*account.number, "enter"])
        await settle(pilot)
        assert isinstance(app.screen, PaymentScreen), screen_text(app)
        assert app.scan_log.latest(1)[0].via == "timing"


def test_ssh_sessions_never_guess_by_timing(db: Database) -> None:
    config = parse_config('[workstation.ws-test.scanner]\ntiming = true\n', "ws.toml")
    app = ClerkApp(db, workstation="ws-test", config=config,
                   environ={"SSH_CLIENT": "10.20.0.31 51000 22"})
    assert not app.wedge_timing and app.ssh_address == "10.20.0.31"
