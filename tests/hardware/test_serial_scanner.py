"""A serial scanner writing into a pty is read, framed on CR/LF and routed to the app."""

from __future__ import annotations

import os
import queue

from clerk_tui.config import DrawerConfig, ScannerConfig, WorkstationConfig
from clerk_tui.domain.scanlines import parse_scan
from clerk_tui.hardware.devices import devices_for
from clerk_tui.hardware.serial_scanner import SerialScanner


def test_frames_from_a_pty_are_parsed_and_routed(pty_pair) -> None:
    got: queue.Queue[str] = queue.Queue()
    scanner = SerialScanner(pty_pair.host_end, got.put).start()
    fd = os.open(pty_pair.device_end, os.O_RDWR | os.O_NOCTTY)
    try:
        assert scanner.connected.wait(5)
        os.write(fd, b"]C0R000012344\r\n")  # AIM id + CR LF
        os.write(fd, b"1234567")  # a frame split across two writes
        os.write(fd, b"40000123455\r")
        os.write(fd, b"\n\n12345674\n")
        results = [got.get(timeout=5) for _ in range(3)]
    finally:
        os.close(fd)
        scanner.stop()
    assert results == ["R000012344", "123456740000123455", "12345674"]
    routed = [parse_scan(r).kind for r in results]
    assert routed == ["receipt", "bill_stub", "account"]
    assert scanner.last_raw[0] == b"]C0R000012344"
    assert not scanner.running


def test_missing_scanner_reports_and_keeps_trying(tmp_path) -> None:
    errors: queue.Queue[str] = queue.Queue()
    scanner = SerialScanner(str(tmp_path / "ttyACM9"), lambda s: None, on_error=errors.put,
                            retry_interval=0.1).start()
    try:
        message = errors.get(timeout=5)
        assert "unavailable" in message
        assert scanner.running
    finally:
        scanner.stop()


def test_devices_start_a_serial_scanner_from_config(pty_pair) -> None:
    ws = WorkstationConfig(name="ws", drawer=DrawerConfig(url="none"),
                           scanner=ScannerConfig(mode="serial", url=pty_pair.host_end))
    devices = devices_for(ws)
    got: queue.Queue[str] = queue.Queue()
    scanner = devices.start_serial_scanner(got.put)
    fd = os.open(pty_pair.device_end, os.O_RDWR | os.O_NOCTTY)
    try:
        assert devices.wedge is None and scanner is not None
        assert scanner.connected.wait(5)
        os.write(fd, b"R000012344\r")
        assert got.get(timeout=5) == "R000012344"
    finally:
        os.close(fd)
        devices.close()
