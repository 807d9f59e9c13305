"""Print, kick, read drawer status and paper-out through /dev/pts/N to a fake ESC/POS printer."""

from __future__ import annotations

import time

from clerk_tui.hardware.drawer import Drawer
from clerk_tui.hardware.escpos import status_request
from clerk_tui.hardware.printer import Printer
from clerk_tui.hardware.receipt import render_escpos
from clerk_tui.hardware.transports import SerialSettings, SerialTransport
from tests.hardware.receipts import sample_receipt


def make_printer(device: str, **kw) -> Printer:
    return Printer(SerialTransport(device, SerialSettings(baudrate=19200)), **kw)


def test_receipt_bytes_arrive_exactly(pty_pair, fake_printer) -> None:
    assert pty_pair.host_end.startswith("/dev/pts/")
    printer = make_printer(pty_pair.host_end)
    doc = sample_receipt()
    result = printer.print_receipt(doc)
    assert result.ok, result.message
    expected = render_escpos(doc, printer.columns)
    assert fake_printer.wait_for(expected[-40:])
    data = fake_printer.data()
    # status queries before and after the job, the job itself byte for byte in between
    assert data.startswith(status_request(1))
    assert expected in data
    assert b"Maria Lopez" in data and b"$120.00" in data
    assert result.status is not None and result.status.ready
    printer.close()


def test_drawer_kick_is_confirmed_by_status(pty_pair, fake_printer) -> None:
    printer = make_printer(pty_pair.host_end)
    drawer = Drawer(printer=printer, pin=5, pulse_ms=100)
    assert drawer.state() is False
    result = drawer.kick()
    assert result.opened is True and result.attempts == 1, result
    assert fake_printer.kicks == [(1, 50, 250)]  # ESC p 1 50 250: pin 5, 100 ms on, 500 off
    assert drawer.state() is True
    fake_printer.drawer_open = False  # the clerk shuts it
    assert drawer.state() is False
    printer.close()


def test_stuck_drawer_is_retried_once_then_reported(pty_pair, fake_printer) -> None:
    fake_printer.drawer_stuck = True
    drawer = Drawer(printer=make_printer(pty_pair.host_end), confirm_timeout=0.3)
    t0 = time.monotonic()
    result = drawer.kick()
    assert result.opened is False and result.attempts == 2
    assert len(fake_printer.kicks) == 2
    assert "did not open" in result.message
    assert time.monotonic() - t0 < 3


def test_paper_out_refuses_the_job_with_a_clear_message(pty_pair, fake_printer) -> None:
    fake_printer.paper_out = True
    printer = make_printer(pty_pair.host_end)
    status = printer.status()
    assert status.known and status.paper_out and not status.ready
    result = printer.print_receipt(sample_receipt())
    assert not result.ok
    assert "out of paper" in result.message
    assert b"CITY OF EXAMPLE" not in fake_printer.data()
    fake_printer.paper_out = False
    fake_printer.paper_near_end = True
    result = printer.print_receipt(sample_receipt())
    assert result.ok and "paper low" in result.message
    printer.close()


def test_cover_open_and_offline(pty_pair, fake_printer) -> None:
    printer = make_printer(pty_pair.host_end)
    fake_printer.cover_open = True
    result = printer.print_receipt(sample_receipt())
    assert not result.ok and "cover open" in result.message
    fake_printer.cover_open = False
    fake_printer.offline = True
    result = printer.print_receipt(sample_receipt())
    assert not result.ok and "offline" in result.message
    printer.close()


def test_silent_printer_gives_a_result_not_a_hang(pty_pair, fake_printer) -> None:
    fake_printer.silent = True
    printer = make_printer(pty_pair.host_end, status_timeout=0.3)
    t0 = time.monotonic()
    result = printer.print_receipt(sample_receipt())
    assert time.monotonic() - t0 < 2
    assert not result.ok and "did not answer" in result.message
    drawer = Drawer(printer=printer)
    kicked = drawer.kick()  # the pulse is still sent: hardware never holds money hostage
    assert kicked.opened is None and fake_printer.kicks
    printer.close()


def test_drawer_on_a_printer_without_status_is_kicked_unconfirmed(pty_pair, fake_printer) -> None:
    printer = make_printer(pty_pair.host_end, check_status=False)
    t0 = time.monotonic()
    result = Drawer(printer=printer).kick()
    assert time.monotonic() - t0 < 0.5
    assert result.opened is None and result.ok
    assert fake_printer.wait_for(b"\x1bp\x00\x19\xfa")
    assert fake_printer.queries == []  # status=false means we never ask
    printer.close()
