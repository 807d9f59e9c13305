"""Barcodes rendered with python-barcode decode with zbarimg to exactly the text we encoded."""

from __future__ import annotations

import subprocess

from clerk_tui.domain.account_numbers import make_number as make_account_number
from clerk_tui.domain.scanlines import make_stub_scanline, parse_scan
from clerk_tui.hardware.barcodes import bill_stub_png, receipt_png
from tests.conftest import require_tool


def zbar(path) -> list[str]:
    exe = require_tool("zbarimg")
    out = subprocess.run([exe, "--quiet", "--raw", "-Sdisable", "-Scode128.enable", str(path)],
                         capture_output=True, text=True, timeout=30)
    assert out.returncode == 0, out.stderr
    return out.stdout.splitlines()


def test_receipt_barcode_round_trips(tmp_path) -> None:
    path = tmp_path / "receipt.png"
    receipt_png(1234, path)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    [text] = zbar(path)
    assert text == "R000012344"
    assert parse_scan(text).value.receipt_number == 1234


def test_bill_stub_barcode_round_trips(tmp_path) -> None:
    account = make_account_number(1234567)
    path = tmp_path / "stub.png"
    bill_stub_png(account, 123_456, path)
    [text] = zbar(path)
    assert text == make_stub_scanline(account, 123_456) == "123456740001234566"
    stub = parse_scan(text).value
    assert (stub.account_number, stub.amount_cents) == ("12345674", 123_456)
