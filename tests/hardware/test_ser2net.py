"""The same fake printer behind ser2net on 127.0.0.1, reached by socket:// and rfc2217://."""

from __future__ import annotations

import time

import pytest

from clerk_tui.hardware.drawer import Drawer
from clerk_tui.hardware.printer import Printer
from clerk_tui.hardware.receipt import render_escpos
from clerk_tui.hardware.transports import SerialTransport
from tests.hardware.receipts import sample_receipt


@pytest.mark.parametrize("scheme", ["socket", "rfc2217"])
def test_print_kick_and_status_over_ser2net(ser2net, fake_printer, scheme) -> None:
    if scheme == "socket":
        url = f"socket://127.0.0.1:{ser2net.raw_port}"
    else:  # ser2net on a pty ("local") does not acknowledge DTR/RTS control requests
        url = f"rfc2217://127.0.0.1:{ser2net.rfc2217_port}?ign_set_control"
    printer = Printer(SerialTransport(url), status_timeout=1.5)
    try:
        status = printer.status()
        assert status.known and status.ready and status.drawer_open is False, status
        doc = sample_receipt(duplicate=True)
        result = printer.print_receipt(doc)
        assert result.ok, result.message
        assert fake_printer.wait_for(render_escpos(doc, printer.columns))
        assert b"*** DUPLICATE ***" in fake_printer.data()

        drawer = Drawer(printer=printer, pin=2, pulse_ms=50)
        kicked = drawer.kick()
        assert kicked.opened is True, kicked
        assert fake_printer.kicks[-1] == (0, 25, 250)

        fake_printer.paper_out = True
        refused = printer.print_receipt(doc)
        assert not refused.ok and "out of paper" in refused.message
    finally:
        printer.close()


def test_refused_connection_is_a_plain_message(ser2net) -> None:
    from tests.hardware.conftest import free_port

    printer = Printer(SerialTransport(f"socket://127.0.0.1:{free_port()}"))
    t0 = time.monotonic()
    result = printer.print_receipt(sample_receipt())
    assert time.monotonic() - t0 < 5
    assert not result.ok
    assert "refused the connection" in result.message
