"""Simulated devices (sandbox, tests): they behave like the real printer and record the job."""

from __future__ import annotations

import time

from clerk_tui.config import sim_workstation
from clerk_tui.hardware.devices import devices_for
from clerk_tui.hardware.drawer import Drawer
from clerk_tui.hardware.printer import Printer
from clerk_tui.hardware.receipt import TRAINING_BANNER, render_text
from clerk_tui.hardware.sim import SimScanner, SimTransport, sim_printer
from tests.hardware.receipts import sample_receipt


def test_sandbox_receipt_prints_training_banner_and_kicks_drawer() -> None:
    devices = devices_for(sim_workstation("train-1"))
    doc = sample_receipt(training=True)
    result = devices.printer.print_receipt(doc, kick=(2, 100))
    assert result.ok, result.message
    sim = sim_printer("train-1")
    lines = sim.printed_lines()
    assert lines[0] == f"*** {TRAINING_BANNER} ***"
    assert lines.count(f"*** {TRAINING_BANNER} ***") == 2
    assert "[barcode R000012344]" in lines
    assert sim.kicks == [(2, 100)] and sim.cuts == 1
    assert devices.drawer is not None and devices.drawer.state() is True


def test_plain_text_rendering_matches_what_the_sim_printed() -> None:
    devices = devices_for(sim_workstation("t2"))
    doc = sample_receipt(duplicate=True)
    devices.printer.print_receipt(doc)
    printed = [ln.strip() for ln in sim_printer("t2").printed_lines() if ln.strip()]
    text = [ln.strip() for ln in render_text(doc).splitlines() if ln.strip()]
    assert [p.replace("[barcode ", "").rstrip("]") for p in printed] == text
    assert "*** DUPLICATE ***" in text


def test_sim_conditions_from_the_url() -> None:
    paper_out = Printer(SimTransport("sim:p?paper=out"))
    result = paper_out.print_receipt(sample_receipt())
    assert not result.ok and "out of paper" in result.message
    stuck = Drawer(printer=Printer(SimTransport("sim:d?drawer=stuck")), confirm_timeout=0.1)
    assert stuck.kick().opened is False
    silent = Printer(SimTransport("sim:s?silent=1"))
    assert "did not answer" in silent.print_test_page().message


def test_sim_drawer_autocloses() -> None:
    drawer = Drawer(printer=Printer(SimTransport("sim:a?autoclose=0.2")))
    assert drawer.kick().opened is True
    time.sleep(0.3)
    assert drawer.state() is False


def test_sim_scanner_delivers_scans() -> None:
    got: list[str] = []
    scanner = SimScanner(got.append).start()
    scanner.scan("R000012344")
    assert got == ["R000012344"] and scanner.last_raw == [b"R000012344\r"]
