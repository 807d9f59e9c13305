"""Transports: pyserial loop://, and missing / busy / stalled devices giving a clear answer fast."""

from __future__ import annotations

import time

from clerk_tui.hardware.escpos import EscPos
from clerk_tui.hardware.printer import Printer
from clerk_tui.hardware.transports import (
    DeviceError,
    NullTransport,
    SerialTransport,
    TerminalTransport,
    open_transport,
)
from tests.hardware.receipts import sample_receipt


def test_loop_url_carries_our_bytes_back() -> None:
    t = SerialTransport("loop://")
    job = EscPos().init().line("loop test").cut().bytes()
    t.write(job)
    assert t.read(len(job), timeout=1.0) == job
    t.close()


def test_loop_echo_is_not_mistaken_for_a_status_reply() -> None:
    printer = Printer(SerialTransport("loop://"), status_timeout=0.2)
    status = printer.status()
    assert not status.known and "not a status reply" in status.message
    result = printer.print_receipt(sample_receipt())
    assert not result.ok


def test_missing_port_is_named() -> None:
    printer = Printer(SerialTransport("/dev/ttyUSB-does-not-exist"))
    t0 = time.monotonic()
    result = printer.print_test_page()
    assert time.monotonic() - t0 < 2
    assert not result.ok and "No device at /dev/ttyUSB-does-not-exist" in result.message


def test_port_held_by_another_program_is_busy(pty_pair) -> None:
    first = SerialTransport(pty_pair.host_end)
    first.write(b"\x1b@")
    second = Printer(SerialTransport(pty_pair.host_end))
    try:
        result = second.print_test_page()
        assert not result.ok and "busy" in result.message, result.message
    finally:
        first.close()


def test_printer_that_stops_reading_times_out(pty_pair) -> None:
    """Nobody reads the far end: buffers fill and the write must give up, not hang."""
    printer = Printer(SerialTransport(pty_pair.host_end), check_status=False, write_timeout=0.5)
    t0 = time.monotonic()
    result = printer.print_bytes(b"x" * 4_000_000)
    assert time.monotonic() - t0 < 5
    assert not result.ok and "not accepting data" in result.message
    printer.close()


def test_urls_pick_transports() -> None:
    assert isinstance(open_transport("none"), NullTransport)
    assert isinstance(open_transport(""), NullTransport)
    assert isinstance(open_transport("terminal:"), TerminalTransport)
    assert open_transport("sim:x").bidirectional
    assert isinstance(open_transport("socket://127.0.0.1:9100"), SerialTransport)
    try:
        NullTransport(what="cash drawer").write(b"x")
    except DeviceError as exc:
        assert "No cash drawer is configured" in str(exc)
    else:
        raise AssertionError("NullTransport accepted a job")
