"""After a payment commits: the drawer opens and the receipt prints on simulated devices; a
printer fault never undoes the payment, and the reprint says DUPLICATE."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from clerk_tui.config import PrinterConfig, WorkstationConfig, parse_config
from clerk_tui.db import Database
from clerk_tui.domain import clock
from clerk_tui.domain.cashier import (
    SaleItem,
    Tender,
    new_idempotency_key,
    open_session,
    post_payment,
    reprint,
)
from clerk_tui.hardware.devices import devices_for
from clerk_tui.hardware.sim import reset_sims
from clerk_tui.station import Site, Station, receipt_doc
from tests.domain.cashier.conftest import create_account

SITE = Site("City of Testville", ("1 Main St",), ("Thanks",))


@pytest.fixture(autouse=True)
def _clock_and_sims() -> Iterator[None]:
    clock.set_fixed(dt.datetime(2026, 3, 2, 10, 0))
    reset_sims()
    yield
    clock.set_fixed(None)
    reset_sims()


def _pay(db: Database, actor, tenders: list[Tender], amount: int = 4210):
    acct = create_account(db, amount)
    return post_payment(db, actor, new_idempotency_key(), [SaleItem("account", acct.number)],
                        tenders).receipt


def test_cash_payment_kicks_drawer_and_prints(db: Database, make_clerk) -> None:
    actor = make_clerk("csr2")
    open_session(db, actor)
    view = _pay(db, actor, [Tender("cash", 5000)])
    station = Station(devices_for(WorkstationConfig(
        "ws1", printer=PrinterConfig(url="sim:ws1"))), site=SITE)
    result = station.after_payment(view)
    assert result.ok, result.messages
    sim = station.sim_printer
    assert sim is not None and sim.kicks, "the drawer was never kicked"
    text = "\n".join(station.printer_text())
    assert f"{view.number}" in text and "City of Testville" in text
    assert "$42.10" in text and "$7.90" in text  # paid and change
    assert "DUPLICATE" not in text


def test_card_payment_does_not_open_drawer(db: Database, make_clerk) -> None:
    actor = make_clerk("csr2")
    open_session(db, actor)
    view = _pay(db, actor, [Tender("card", 4210, card_last4="4242", auth_code="A1B2C3")])
    station = Station(devices_for(WorkstationConfig("ws2", printer=PrinterConfig(url="sim:ws2"))),
                      site=SITE)
    result = station.after_payment(view)
    assert result.drawer is None and station.sim_printer.kicks == []
    assert any("x4242" in line for line in station.printer_text())


def test_paper_out_keeps_payment_and_reprint_is_duplicate(db: Database, make_clerk) -> None:
    actor = make_clerk("csr2")
    open_session(db, actor)
    view = _pay(db, actor, [Tender("cash", 4210)])
    station = Station(devices_for(WorkstationConfig(
        "ws3", printer=PrinterConfig(url="sim:ws3?paper=out"))), site=SITE)
    result = station.after_payment(view)
    assert not result.ok
    assert any("reprint" in m for m in result.messages)
    assert db.scalar("SELECT count(*) FROM receipts WHERE number = ?", [view.number]) == 1
    station.sim_printer.paper_out = False
    again = station.reprint(reprint(db, actor, view.number))
    assert again.ok
    text = "\n".join(station.printer_text())
    assert "DUPLICATE" in text and str(view.number) in text


def test_sandbox_prints_training_and_ignores_real_devices(db: Database, make_clerk) -> None:
    cfg = parse_config('[workstation.front1.printer]\nurl = "/dev/ttyUSB0"\n', "t.toml")
    station = Station.build("front1", cfg, sandbox=True)
    assert station.sim_printer is not None  # never the real port in the sandbox
    actor = make_clerk("csr2")
    open_session(db, actor)
    view = _pay(db, actor, [Tender("cash", 4210)])
    from dataclasses import replace

    doc = receipt_doc(replace(view, training=True), SITE)
    assert doc.training
    station.devices.printer.print_receipt(doc)
    assert any("TRAINING - NOT A RECEIPT" in line for line in station.printer_text())


def test_public_text_is_printed_literally(db: Database, make_clerk) -> None:
    actor = make_clerk("csr2")
    open_session(db, actor)
    acct = create_account(db, 1000)
    view = post_payment(db, actor, new_idempotency_key(), [SaleItem("account", acct.number)],
                        [Tender("cash", 1000)], payer="[bold]Bob[/]").receipt
    doc = receipt_doc(view, SITE)
    assert doc.payer == "[bold]Bob[/]"


# ---- plain-text documents: reports, deposit slips, refund slips -------------------------------
REPORT = ("Z REPORT  drawer 7  csr2 @ ws1\n"
          "Tender      Amount\n"
          "--------  --------\n"
          "Cash       $123.45\n"
          "Audit head " + "ab12" * 16)


def _station(name: str, query: str = "") -> Station:
    return Station(devices_for(WorkstationConfig(
        name, printer=PrinterConfig(url=f"sim:{name}{query}"))), site=SITE)


def test_print_text_prints_every_line_under_the_site_heading() -> None:
    station = _station("text1")
    result = station.print_text("Z report", REPORT)
    assert result.ok, result.message
    printed = station.printer_text()
    assert printed[0] == "City of Testville" and "Z report" in printed
    for line in REPORT.splitlines()[:-1]:  # the short lines print exactly as shown
        assert line in printed
    # the audit head is wider than the paper: it wraps, and every character is still there
    assert station.devices.printer.columns < len(REPORT.splitlines()[-1])
    assert "ab12" * 16 in "".join(line.strip() for line in printed)
    assert station.sim_printer.cuts == 1 and station.sim_printer.kicks == []
    assert "TRAINING" not in "\n".join(printed)


def test_print_text_in_the_sandbox_says_training() -> None:
    station = Station(devices_for(WorkstationConfig(
        "text2", printer=PrinterConfig(url="sim:text2"))), site=SITE, training=True)
    assert station.print_text("X report", "Receipts: 0").ok
    printed = station.printer_text()
    assert printed.count("*** TRAINING - NOT A RECEIPT ***") == 2
    assert Station.build("text3", None, sandbox=True).training


def test_print_text_failure_names_the_document() -> None:
    station = _station("text4", "?paper=out")
    result = station.print_text("Bank deposit slip", "Currency $100.00")
    assert not result.ok
    assert result.message.startswith("Bank deposit slip not printed")
    assert "paper" in result.message.lower()
    assert station.printer_text() == []


def test_print_text_keeps_public_text_inert() -> None:
    station = _station("text5")
    assert station.print_text("Refund", "Name: Bob\x1b[2J\x07 [bold]x[/]").ok
    data = bytes(station.sim_printer.received)
    assert b"\x1b[2J" not in data and b"\x07" not in data
    assert any("[bold]x[/]" in line for line in station.printer_text())


def test_printer_lines_wrap_without_losing_text() -> None:
    from clerk_tui.station import printer_lines

    lines = printer_lines("short\n" + "x" * 50, 20)
    assert lines[0] == "short"
    assert all(len(line) <= 20 for line in lines)
    assert "".join(line.strip() for line in lines[1:]) == "x" * 50


def test_text_job_is_terminal_safe_in_7bit_mode() -> None:
    from clerk_tui.hardware.escpos import unsafe_7bit_positions
    from clerk_tui.station import text_job

    data = text_job("Z report", REPORT + "\nCaf\u00e9 \u00fcber\t\x1b[4i", 42,
                    header_lines=SITE.header_lines, training=True, safe7=True)
    assert unsafe_7bit_positions(data) == []
    assert b"\x1b[4i" not in data  # a terminal's end-of-print never hides in the text
    assert b"Z REPORT  drawer 7" in data and b"Cafe" in data
