"""Workstation configuration: matching, defaults, and errors that name file, line and problem."""

from __future__ import annotations

from pathlib import Path

import pytest

from clerk_tui.config import load_config, parse_config
from clerk_tui.domain.errors import ValidationError
from clerk_tui.hardware.devices import devices_for
from clerk_tui.hardware.transports import NullTransport, SerialTransport, TerminalTransport
from tests.hardware.receipts import sample_receipt

EXAMPLE = Path(__file__).resolve().parents[2] / "data" / "workstations.example.toml"


def test_example_file_loads_and_matches_by_name_address_and_network() -> None:
    cfg = load_config(EXAMPLE)
    w1 = cfg.for_workstation("window-1")
    assert w1.printer.url == "/dev/ttyUSB0" and w1.printer.serial.baudrate == 38400
    assert w1.printer.serial.flow == "rtscts" and w1.drawer.pin == 2
    assert w1.scanner.prefix == "\x1e" and w1.scanner.suffixes == ("\r", "\n", "\t")
    assert cfg.for_workstation("10.20.0.32", "10.20.0.32").name == "window-2"
    assert cfg.for_workstation("x", "10.20.0.32").scanner.mode == "serial"
    assert cfg.for_workstation("x", "10.20.1.5").name == "frontdesk"
    other = cfg.for_workstation("somewhere", "192.168.9.9")
    assert other.name == "somewhere" and other.printer.url == "none" and other.drawer.url == "none"


def test_devices_follow_the_configuration() -> None:
    cfg = load_config(EXAMPLE)
    d1 = devices_for(cfg.for_workstation("window-1"))
    assert isinstance(d1.printer.transport, SerialTransport)
    assert d1.drawer is not None and d1.drawer.printer is d1.printer and d1.wedge is not None
    front = devices_for(cfg.for_workstation("frontdesk"), terminal_sink=lambda s: None)
    assert isinstance(front.printer.transport, TerminalTransport) and front.drawer is None
    assert front.printer.safe7 and not front.printer.check_status
    none = devices_for(cfg.for_workstation("nobody"))
    assert isinstance(none.printer.transport, NullTransport)
    result = none.printer.print_receipt(sample_receipt())
    assert not result.ok and "No receipt printer is configured" in result.message


def test_sandbox_always_gets_simulated_devices() -> None:
    cfg = load_config(EXAMPLE)
    sandbox = devices_for(cfg.for_workstation("window-2"), sandbox=True)
    assert sandbox.printer.url.startswith("sim:")
    assert sandbox.config.scanner.mode == "wedge"  # the real serial scanner is not opened


def error_for(text: str) -> str:
    with pytest.raises(ValidationError) as info:
        parse_config(text, "ws.toml")
    return str(info.value)


def test_syntax_error_names_the_line() -> None:
    msg = error_for('[workstation.a.printer]\nurl = "/dev/ttyUSB0"\nbaudrate = = 9\n')
    assert msg.startswith("ws.toml, line 3:")


def test_unknown_key_names_its_line() -> None:
    text = ('[workstation.a]\nmatch = ["10.0.0.1"]\n\n[workstation.a.printer]\n'
            'url = "/dev/ttyUSB0"\nbaud = 9600\n')
    msg = error_for(text)
    assert msg.startswith("ws.toml, line 6:") and "unknown setting" in msg and "baudrate" in msg


def test_unknown_section_names_its_line() -> None:
    msg = error_for('[workstation.a.printr]\nurl = "x"\n')
    assert msg.startswith("ws.toml, line 1:") and "printr" in msg


@pytest.mark.parametrize("line, problem", [
    ("pin = 3", "pin = 3 is not allowed"),
    ('pin = "2"', "must be int"),
    ("pulse_ms = 2000", "pulse_ms must be between"),
    ('open_level = "up"', "open_level"),
])
def test_bad_drawer_values(line: str, problem: str) -> None:
    msg = error_for(f'[workstation.a]\n\n[workstation.a.drawer]\nurl = "printer"\n{line}\n')
    assert msg.startswith("ws.toml, line 5:") and problem in msg


@pytest.mark.parametrize("line, problem", [
    ('url = "http://printer"', "not a device URL"),
    ('url = "socket://10.0.0.5"', "needs host:port"),
    ("baudrate = 12", "not a serial speed"),
    ('parity = "X"', "parity"),
    ("status = 1", "must be bool"),
])
def test_bad_printer_values(line: str, problem: str) -> None:
    msg = error_for(f"[workstation.a.printer]\n{line}\n")
    assert msg.startswith("ws.toml, line 2:") and problem in msg, msg


def test_bad_scanner_values() -> None:
    assert "needs url" in error_for('[workstation.a.scanner]\nmode = "serial"\n')
    assert "one character" in error_for('[workstation.a.scanner]\nprefix = "ab"\n')
    assert "line 3" in error_for('[workstation.a.scanner]\nmode = "wedge"\nsuffix = "space"\n')


def test_missing_file_is_named(tmp_path) -> None:
    with pytest.raises(ValidationError, match="not found"):
        load_config(tmp_path / "nope.toml")
