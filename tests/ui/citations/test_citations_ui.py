"""Citations (F4) at 80x24, keys only: import the handhelds' file and the DMV owners, send
the notices, take a review request, place the DMV holds three weeks later and pay the held
citation, which queues its release; a bad file changes nothing; P opens the permits, or says
they are not available when that package is not there."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from clerk_tui.app import ClerkApp
from clerk_tui.db import Database
from clerk_tui.domain import clock
from clerk_tui.domain.actor import Actor
from clerk_tui.domain.cashier import open_session
from clerk_tui.domain.citations import store
from clerk_tui.domain.citations.numbers import make_citation_number
from clerk_tui.screens.citations.screen import CitationsScreen
from clerk_tui.screens.kit import ConfirmDialog, Form, Prompt, ReportScreen
from clerk_tui.screens.payment import PaymentScreen
from tests.conftest import PINS
from tests.domain.citations.conftest import row, write_csv
from tests.ui.cashier_support import fixed_clock  # noqa: F401
from tests.ui.conftest import SIZE, finish_work, goto, press_each, screen_text, sign_in, type_text

A, B = make_citation_number(101), make_citation_number(102)


def _files(tmp_path: Path) -> tuple[Path, Path]:
    cites = write_csv(tmp_path / "handheld.csv", [
        row(101, issued="2026-01-20 08:30"), row(102, issued="2026-02-05 14:10")])
    owners = tmp_path / "dmv.csv"
    owners.write_text("plate,state,name,address,responded_on\n"
                      "7ABC123,CA,\"SMITH, JOHN\",\"1 Elm St, Town CA\",2026-02-20\n")
    return cites, owners


async def _import(pilot, letter: str, path: Path) -> None:
    await press_each(pilot, "j", letter)
    assert isinstance(pilot.app.screen, Prompt)
    await type_text(pilot, str(path))
    await press_each(pilot, "enter")
    assert isinstance(pilot.app.screen, ConfirmDialog), screen_text(pilot.app)
    await press_each(pilot, "y")
    await finish_work(pilot)


async def test_import_notice_review_then_pay_releases_the_hold(
        make_app: Callable[..., ClerkApp], make_clerk: Callable[..., Actor], db: Database,
        tmp_path: Path, fixed_clock: object) -> None:  # noqa: F811
    clerk = make_clerk("csr3")
    cites, owners = _files(tmp_path)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "csr3", PINS["csr3"])
        page = await goto(pilot, "f4", CitationsScreen)
        await press_each(pilot, "tab")  # off the find field: the letters are the keys
        await _import(pilot, "i", cites)
        assert "Imported 2 new" in screen_text(app)
        await _import(pilot, "o", owners)
        assert db.scalar("SELECT count(*) FROM citation_owners") == 1

        await press_each(pilot, "j", "n")  # notices of delinquency: both, to SMITH, JOHN
        await finish_work(pilot)
        assert isinstance(app.screen, ReportScreen)
        assert "NOTICE OF DELINQUENT" in screen_text(app)
        await press_each(pilot, "escape")

        await press_each(pilot, "f")
        await type_text(pilot, "7abc123 ca")
        await press_each(pilot, "enter")
        assert [v.number for v in page.found.views] == [B, A]  # newest first
        assert "2 owe $220.00" in screen_text(app)  # fine + late penalty, each
        await press_each(pilot, "r")  # review request on B (highlighted), within 14 days
        assert isinstance(app.screen, Form)
        await press_each(pilot, "enter")
        await finish_work(pilot)
        assert "Review requested" in screen_text(app)
        await press_each(pilot, "escape")
        assert store.get_citation(db, B).due.status == "review"

        clock.set_fixed(dt.datetime(2026, 3, 24, 9, 0))  # 22 days after the notice
        open_session(db, clerk)
        await press_each(pilot, "j", "h")  # DMV holds: A only (B is frozen on review)
        await finish_work(pilot)
        assert "1 DMV hold(s) queued" in screen_text(app)
        assert store.get_citation(db, A).due.held
        assert not store.get_citation(db, B).due.held

        await press_each(pilot, "down", "enter")  # pay A
        await finish_work(pilot)
        pay = app.screen
        assert isinstance(pay, PaymentScreen)
        await press_each(pilot, "enter")  # empty tendered = exact cash
        await finish_work(pilot)
        assert pay.result is not None
        assert pay.result.receipt.total_cents == 5500 + 5500 + 2500
        await press_each(pilot, "escape")
        await finish_work(pilot)
        assert app.screen is page
        a = store.get_citation(db, A)
        assert a.due.status == "paid" and not a.due.held
        rows = db.all("SELECT action, file_id FROM citation_dmv_rows r JOIN citations c "
                      "ON c.id = r.citation_id WHERE c.number = ? ORDER BY r.id", [A])
        assert [(r["action"], r["file_id"]) for r in rows] == [("hold", None),
                                                              ("release", None)]
        assert "Paid" in screen_text(app)


async def test_a_bad_file_changes_nothing(
        make_app: Callable[..., ClerkApp], make_clerk: Callable[..., Actor], db: Database,
        tmp_path: Path, fixed_clock: object) -> None:  # noqa: F811
    make_clerk("csr3")
    bad = write_csv(tmp_path / "bad.csv", [row(1), row(2, state="XYZ"), row(3)])
    before = (db.scalar("SELECT count(*) FROM citations"),
              db.scalar("SELECT count(*) FROM citation_imports"))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "csr3", PINS["csr3"])
        await goto(pilot, "f4", CitationsScreen)
        await press_each(pilot, "tab", "j", "i")
        await type_text(pilot, str(bad))
        await press_each(pilot, "enter")
        assert isinstance(app.screen, ConfirmDialog)
        shown = screen_text(app)
        assert "1 refused" in shown and "line 3" in shown
        await press_each(pilot, "n")
        assert "Nothing imported from bad.csv" in screen_text(app)
        await press_each(pilot, "p")  # the permits package is built: P opens it
        from clerk_tui.screens.permits.screen import PermitsScreen

        assert isinstance(app.screen, PermitsScreen), screen_text(app)
    assert (db.scalar("SELECT count(*) FROM citations"),
            db.scalar("SELECT count(*) FROM citation_imports")) == before
    assert not list(tmp_path.glob("*.rejects-*"))


async def test_bench_jobs_scan_and_plate_within_their_key_goals(
        make_app: Callable[..., ClerkApp], make_clerk: Callable[..., Actor], db: Database,
        fixed_clock: object) -> None:  # noqa: F811
    """The manifest's bench jobs: a scanned citation paid in 2 keys after the scan; a plate's
    citations listed 9 keys from home (then A, Enter pay them all); no SQL on the UI thread
    while the keys are pressed (the targets are read before)."""
    from clerk_tui.counters import registry
    from clerk_tui.counters.manifest import resolve
    from tests.domain.citations.conftest import keyed

    clerk = make_clerk("csr2")
    for n in range(1, 4):
        keyed(db, clerk, 200 + n, plate="4XYZ777", issued=f"2026-02-2{n} 10:00")
    keyed(db, clerk, 300, plate="9AAA111", issued="2026-02-25 10:00")
    open_session(db, clerk)
    scan_job, plate_job = (resolve(s) for s in next(
        m for m in registry().manifests if m.name == "citations").bench_jobs)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "csr2", PINS["csr2"])
        keys = await scan_job(pilot)
        await finish_work(pilot)
        assert keys[0].startswith("<scan C") and keys[1:] == ["enter", "enter"]
        assert "CHANGE DUE $0.00" in screen_text(app)
        await press_each(pilot, "escape")
        await finish_work(pilot)
    paid = db.scalar("SELECT count(*) FROM citation_events WHERE kind = 'payment'")
    assert paid == 1
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "csr2", PINS["csr2"])
        keys = await plate_job(pilot)
        await finish_work(pilot)
        assert keys == ["f4", *"4XYZ777", "enter", "a", "enter"]  # the list after 9 keys
        assert "CHANGE DUE $0.00" in screen_text(app)
    assert db.scalar("SELECT count(*) FROM citation_events WHERE kind = 'payment'") == 4


async def test_find_and_pay_all_run_no_sql_on_the_ui_thread(
        make_app: Callable[..., ClerkApp], make_clerk: Callable[..., Actor], db: Database,
        fixed_clock: object) -> None:  # noqa: F811
    from tests.domain.citations.conftest import keyed
    from tests.ui.test_ui_thread_sql import _trace

    clerk = make_clerk("csr2")
    for n in range(1, 3):
        keyed(db, clerk, 400 + n, plate="5QQQ555", issued=f"2026-02-2{n} 10:00")
    open_session(db, clerk)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "csr2", PINS["csr2"])
        seen = _trace(db)
        await press_each(pilot, "f4", *"5qqq555", "enter")
        assert "Plate 5QQQ555: 2 citation(s)" in screen_text(app)
        footer = screen_text(app).rstrip().splitlines()[-1]
        assert footer.rstrip().endswith("Sign out"), footer  # nothing cut at 80 columns
        await press_each(pilot, "a", "enter")
        await finish_work(pilot)
        assert "CHANGE DUE $0.00" in screen_text(app)
        assert seen == []
    assert db.scalar("SELECT count(*) FROM receipts") == 1


async def test_f2_lookup_finds_a_citation_and_enter_opens_it_on_f4(
        make_app: Callable[..., ClerkApp], make_clerk: Callable[..., Actor], db: Database,
        fixed_clock: object) -> None:  # noqa: F811
    from clerk_tui.screens.lookup import LookupScreen
    from tests.domain.citations.conftest import keyed

    clerk = make_clerk("csr2")
    number = keyed(db, clerk, 77, plate="6LOOK66", issued="2026-02-25 10:00")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "csr2", PINS["csr2"])
        await goto(pilot, "f2", LookupScreen)
        await type_text(pilot, number.lower())
        await pilot.pause(0.3)
        await press_each(pilot, "enter")
        await finish_work(pilot)
        page = app.screen
        assert isinstance(page, CitationsScreen), screen_text(app)
        assert page.found is not None and [v.number for v in page.found.views] == [number]
        assert "6LOOK66" in screen_text(app) and "$55.00" in screen_text(app)


async def test_dismiss_with_a_reason_code_and_a_markup_note(
        make_app: Callable[..., ClerkApp], make_clerk: Callable[..., Actor], db: Database,
        fixed_clock: object) -> None:  # noqa: F811
    from tests.domain.citations.conftest import keyed

    clerk = make_clerk("csr3")
    number = keyed(db, clerk, 88, plate="3DIS333", issued="2026-02-25 10:00")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "csr3", PINS["csr3"])
        await press_each(pilot, "f4", *"3dis333", "enter", "d", "x")
        assert isinstance(app.screen, Form)
        await press_each(pilot, "enter", "enter")  # blank reason code: refused, nothing sent
        assert "Reason code is needed" in screen_text(app)
        await type_text(pilot, "error")
        await press_each(pilot, "enter")
        await type_text(pilot, "[red]not a tag")
        await press_each(pilot, "enter")
        await finish_work(pilot)
        assert f"Citation {number} dismissed (ERROR)" in screen_text(app)
        await press_each(pilot, "escape")
        assert "Dismissed" in screen_text(app)
    assert store.get_citation(db, number).due.status == "dismissed"
    assert db.scalar("SELECT reason FROM citation_events WHERE kind = 'dismissed'") == \
        "[red]not a tag"


async def test_review_result_hearing_deposit_dismissal_and_refund(
        make_app: Callable[..., ClerkApp], make_clerk: Callable[..., Actor], db: Database,
        fixed_clock: object) -> None:  # noqa: F811
    """R, then D R (result upheld), H D (the deposit, paid in cash: trust), D H (dismissed),
    D F (the deposit refunded in cash): all keys, at 80x24."""
    from tests.domain.citations.conftest import book_total, keyed

    clerk = make_clerk("csr3")
    number = keyed(db, clerk, 99, plate="2HEA222", issued="2026-02-25 10:00")
    open_session(db, clerk)
    trust = book_total(db, "trust")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "csr3", PINS["csr3"])
        page = await goto(pilot, "f4", CitationsScreen)
        await press_each(pilot, *"2hea222", "enter", "r", "enter", "escape")
        await press_each(pilot, "d", "r")
        await type_text(pilot, "upheld")
        await press_each(pilot, "enter")
        await type_text(pilot, "sign was posted")
        await press_each(pilot, "enter", "enter")
        await finish_work(pilot)
        assert "upheld; letter kept" in screen_text(app)
        await press_each(pilot, "escape", "d", "t")
        await finish_work(pilot)
        assert isinstance(app.screen, ReportScreen)
        assert "ADMINISTRATIVE REVIEW RESULT" in screen_text(app)
        await press_each(pilot, "escape", "h", "d")
        await finish_work(pilot)
        pay = app.screen
        assert isinstance(pay, PaymentScreen) and "Hearing deposit" in screen_text(app)
        await press_each(pilot, "enter")
        await finish_work(pilot)
        assert pay.result is not None and book_total(db, "trust") == trust - 5500
        await press_each(pilot, "escape")
        await finish_work(pilot)
        assert app.screen is page and "On hearing" in screen_text(app)
        await press_each(pilot, "d", "h")
        await type_text(pilot, "dismissed")
        await press_each(pilot, "enter")
        await type_text(pilot, "officer absent")
        await press_each(pilot, "enter", "enter")
        await finish_work(pilot)
        assert "Deposit of $55.00 to refund" in screen_text(app)
        await press_each(pilot, "escape", "d", "f", "enter")
        await finish_work(pilot)
        assert "Deposit $55.00 refunded by cash" in screen_text(app)
    assert book_total(db, "trust") == trust
    assert store.get_citation(db, number).due.status == "dismissed"


async def test_p_says_permits_are_not_available_without_that_package(
        make_app: Callable[..., ClerkApp], make_clerk: Callable[..., Actor], db: Database,
        fixed_clock: object, monkeypatch) -> None:  # noqa: F811
    """A build without the permits package (its screen's name does not resolve)."""
    from clerk_tui.screens.citations import screen as citations_screen

    monkeypatch.setattr(citations_screen, "PERMITS_SCREEN",
                        "clerk_tui.screens.no_such_permits:PermitsScreen")
    make_clerk("csr2")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "csr2", PINS["csr2"])
        page = await goto(pilot, "f4", CitationsScreen)
        await press_each(pilot, "tab", "p")
        assert app.screen is page
        assert "Permits are not available yet" in screen_text(app)
