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
