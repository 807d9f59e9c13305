"""A mail batch at 80x24, keys and scans only: 20 stubs scanned through the app's scan path
(the wedge prefix, as a scanner types), each taken with Enter; one check keyed wrong is found
(the difference shown line by line), fixed, and the batch posts as 20 receipts."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual.pilot import Pilot

from clerk_tui.app import ClerkApp
from clerk_tui.counters import registry
from clerk_tui.counters.manifest import resolve
from clerk_tui.db import Database
from clerk_tui.domain.actor import Actor
from clerk_tui.domain.scanlines import make_stub_scanline
from clerk_tui.screens.batches.entry import BatchEntryScreen
from clerk_tui.screens.batches.screen import BatchesScreen
from tests.conftest import PINS
from tests.ui.cashier_support import fixed_clock, make_account  # noqa: F401
from tests.ui.conftest import SIZE, finish_work, press_each, screen_text, sign_in, type_text

PREFIX = "ctrl+circumflex_accent"  # the default wedge prefix (RS)

pytestmark = pytest.mark.usefixtures("fresh_sims")


async def scan(pilot: Pilot, text: str) -> None:
    await pilot.press(PREFIX, *list(text), "enter")
    await finish_work(pilot)


async def test_mail_batch_of_20_stubs_with_one_mismatch_found_and_fixed(
        make_app: Callable[..., ClerkApp], make_clerk: Callable[..., Actor], db: Database,
        fixed_clock: object) -> None:  # noqa: F811
    make_clerk("csr1")  # no drawer: a batch needs none
    dues = [1000 + 137 * n for n in range(20)]
    accts = [make_account(db, name=f"Payer {n}", balance_cents=c) for n, c in enumerate(dues)]
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "csr1", PINS["csr1"])
        await press_each(pilot, "f11", "p")
        assert isinstance(app.screen, BatchesScreen)
        await press_each(pilot, "n")
        await type_text(pilot, "20")
        await press_each(pilot, "enter")
        total = sum(dues)
        await type_text(pilot, f"{total // 100}.{total % 100:02d}")
        await press_each(pilot, "enter")
        await finish_work(pilot)
        entry = app.screen
        assert isinstance(entry, BatchEntryScreen), screen_text(app)
        for n, (a, due) in enumerate(zip(accts, dues, strict=True)):
            await scan(pilot, make_stub_scanline(a.number, due))
            assert app.focused is entry.query_one("#batch-amount")
            if n == 6:  # the clerk mistypes check 7: 54.xx for 45.xx
                entry.query_one("#batch-amount").value = ""
                await type_text(pilot, "99.99")
            await press_each(pilot, "enter")
            await finish_work(pilot)
        shown = screen_text(app)
        assert "Keyed 20 of 20" in shown
        assert "Does not match its control" in shown, shown
        wrong = 9999 - dues[6]
        assert f"+${wrong // 100}.{wrong % 100:02d}" in shown
        assert "Line   7" in shown and "keyed $99.99" in shown  # the line that explains it
        # Ctrl+Y refuses: nothing posted.
        await press_each(pilot, "ctrl+y")
        await finish_work(pilot)
        assert db.scalar("SELECT count(*) FROM receipts") == 0
        # Fix line 7: Ctrl+F, the line, the right amount.
        await press_each(pilot, "ctrl+f")
        await type_text(pilot, "7")
        await press_each(pilot, "enter")
        await type_text(pilot, f"{dues[6] // 100}.{dues[6] % 100:02d}")
        await press_each(pilot, "enter")
        await finish_work(pilot)
        assert "Matches its control" in screen_text(app)
        await press_each(pilot, "ctrl+y", "y")
        await finish_work(pilot)
        assert "Posted: receipts" in screen_text(app)
    assert db.scalar("SELECT count(*) FROM receipts") == 20
    assert db.scalar("SELECT sum(total_cents) FROM receipts") == total
    assert db.scalar("SELECT count(*) FROM receipts r JOIN drawer_sessions s "
                     "ON s.id = r.drawer_session_id WHERE s.workstation LIKE 'batch:%'") == 20


async def test_bench_job_takes_each_stub_in_one_key_after_the_scan(
        make_app: Callable[..., ClerkApp], make_clerk: Callable[..., Actor], db: Database,
        fixed_clock: object) -> None:  # noqa: F811
    make_clerk("csr2")
    for n in range(3):
        make_account(db, name=f"Payer {n}", balance_cents=2000 + n)
    spec = next(m for m in registry().manifests if m.name == "batches").bench_jobs[0]
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "csr2", PINS["csr2"])
        keys = await resolve(spec)(pilot)
        await finish_work(pilot)
        scans = [i for i, k in enumerate(keys) if k.startswith("<scan")]
        assert len(scans) == 3
        assert all(keys[i + 1] == "enter" and not keys[i + 2].startswith("<scan") or
                   keys[i + 2].startswith("<scan") for i in scans[:-1])
        per_stub = [keys[i + 1:j] for i, j in zip(scans, [*scans[1:], len(keys) - 2],
                                                  strict=True)]
        assert per_stub == [["enter"]] * 3  # <= 2 keys per stub after the scan: 1
        assert "Posted: receipts" in screen_text(app)
    assert db.scalar("SELECT count(*) FROM receipts") == 3


async def test_lockbox_file_and_exceptions_by_keys(
        make_app: Callable[..., ClerkApp], make_clerk: Callable[..., Actor], db: Database,
        tmp_path, fixed_clock: object) -> None:  # noqa: F811
    """L imports the bank's file (the report lists the bad rows with reasons), the same file
    again adds nothing, X lists the exceptions and A applies one to an account."""
    make_clerk("csr1")
    a = make_account(db, balance_cents=1500)
    b = make_account(db, name="Second", balance_cents=700)
    path = tmp_path / "lockbox.csv"
    path.write_text("account,amount,check,date,batch\n"
                    f"{a.number},15.00,501,2026-03-02,B1\n"
                    "9999999,7.00,502,2026-03-02,B1\n")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "csr1", PINS["csr1"])
        await press_each(pilot, "f11", "p", "l")
        await type_text(pilot, str(path))
        await press_each(pilot, "enter")
        await finish_work(pilot)
        shown = screen_text(app)
        assert "Posted" in shown and "$15.00" in shown
        assert "Row    3" in shown and "No account 9999999" in shown
        await press_each(pilot, "escape", "l")
        await type_text(pilot, str(path))
        await press_each(pilot, "enter")
        await finish_work(pilot)
        assert "imported before" in screen_text(app)
        await press_each(pilot, "x")
        await finish_work(pilot)
        assert "No account 9999999" in screen_text(app)
        await press_each(pilot, "a")
        await type_text(pilot, b.display_number)
        await press_each(pilot, "enter", "enter")
        await finish_work(pilot)
        assert "applied: receipt" in screen_text(app)
    assert db.scalar("SELECT count(*) FROM receipts") == 2
    assert db.scalar("SELECT count(*) FROM lockbox_files") == 1


async def test_esc_asks_before_dropping_a_typed_line_and_refuses_bad_input(
        make_app: Callable[..., ClerkApp], make_clerk: Callable[..., Actor], db: Database,
        fixed_clock: object) -> None:  # noqa: F811
    from clerk_tui.screens.confirm import ConfirmScreen

    make_clerk("csr1")
    a = make_account(db, balance_cents=1500)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "csr1", PINS["csr1"])
        await press_each(pilot, "f11", "p", "n")
        await type_text(pilot, "1")
        await press_each(pilot, "enter")
        await type_text(pilot, "15")
        await press_each(pilot, "enter")
        await finish_work(pilot)
        entry = app.screen
        assert isinstance(entry, BatchEntryScreen)
        await type_text(pilot, a.display_number)
        await press_each(pilot, "enter")
        await type_text(pilot, "[red]x")  # markup is an amount error, shown literally
        await press_each(pilot, "enter")
        await finish_work(pilot)
        assert "[red]x" in screen_text(app) and "Keyed 0 of 1" in screen_text(app)
        await press_each(pilot, "escape")
        assert isinstance(app.screen, ConfirmScreen)
        await press_each(pilot, "n")
        assert app.screen is entry
    assert db.scalar("SELECT count(*) FROM batch_lines") == 0


async def test_supervisor_approves_and_deposits_a_batch_by_keys(
        make_app: Callable[..., ClerkApp], make_clerk: Callable[..., Actor], db: Database,
        fixed_clock: object) -> None:  # noqa: F811
    """A on the batch list approves it; F9, D asks to deposit the batch (no drawer is
    waiting) and the slip names it."""
    from clerk_tui.domain.batches.control import add_line, open_batch, post_batch

    clerk = make_clerk("csr1")
    make_clerk("supervisor")
    a = make_account(db, balance_cents=1500)
    b = open_batch(db, clerk, "mail", 1, 1500)
    add_line(db, clerk, b.id, a.number, 1500, due_cents=1500)
    post_batch(db, clerk, b.id)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "supervisor", PINS["supervisor"])
        await press_each(pilot, "f11", "p")
        await finish_work(pilot)
        await press_each(pilot, "a")
        assert f"Approve batch {b.id}" in screen_text(app)
        await press_each(pilot, "y")
        await finish_work(pilot)
        assert "approved: it goes on the next bank deposit" in screen_text(app)
        await press_each(pilot, "escape", "escape", "f9", "d")
        await finish_work(pilot)
        assert f"Deposit batches {b.id}?" in screen_text(app)
        await press_each(pilot, "y")
        await finish_work(pilot)
        # the slip, whole (F9's menu grew with the office's reports: it scrolls now)
        shown = "\n".join(app.screen.query_one("#report-log").lines)
        assert f"Batches {b.id}" in shown and "$15.00" in shown
    assert db.scalar("SELECT count(*) FROM deposits") == 1
