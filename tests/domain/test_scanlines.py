"""Scan patterns: accounts, bill stubs, receipts, and refusals for anything else."""

from __future__ import annotations

import re

import pytest

from clerk_tui.domain.account_numbers import make_number as make_account_number
from clerk_tui.domain.errors import ValidationError
from clerk_tui.domain.scanlines import (
    AccountScan,
    BillStubScan,
    ReceiptScan,
    ScanResult,
    default_registry,
    format_stub_scanline,
    make_receipt_barcode,
    make_stub_scanline,
    parse_scan,
)


def test_account_number_with_and_without_dash() -> None:
    assert make_account_number(1234567) == "12345674"
    for text in ("12345674", "1234567-4", " 1234567-4\r\n"):
        r = parse_scan(text)
        assert r.kind == "account" and r.value == AccountScan("12345674")
    assert parse_scan("12345674").display == "1234567-4"


def test_account_with_wrong_check_digit_is_refused() -> None:
    with pytest.raises(ValidationError, match="wrong check digit"):
        parse_scan("12345675")


def test_bill_stub_round_trip_and_display() -> None:
    line = make_stub_scanline("12345674", 4_512)
    assert len(line) == 18 and line.startswith("12345674000004512")
    r = parse_scan(line)
    assert r.kind == "bill_stub" and r.value == BillStubScan("12345674", 4_512)
    assert r.display == "1234567-4 due $45.12"
    grouped = format_stub_scanline(line)
    assert parse_scan(grouped).value == r.value  # typed from the human-readable line


def test_bill_stub_misread_digit_is_refused() -> None:
    line = make_stub_scanline("12345674", 4_512)
    for i in range(18):
        wrong = line[:i] + str((int(line[i]) + 1) % 10) + line[i + 1:]
        with pytest.raises(ValidationError, match="check digit"):
            parse_scan(wrong)


def test_stub_amount_limits() -> None:
    assert parse_scan(make_stub_scanline("12345674", 999_999_999)).value.amount_cents == 999_999_999
    with pytest.raises(ValidationError):
        make_stub_scanline("12345674", -1)
    with pytest.raises(ValidationError):
        make_stub_scanline("12345675", 100)  # bad account check digit


def test_receipt_barcode() -> None:
    code = make_receipt_barcode(1234)
    assert code == "R000012344"
    assert parse_scan(code).value == ReceiptScan(1234)
    assert parse_scan("r000012344").value == ReceiptScan(1234)
    with pytest.raises(ValidationError, match="check digit"):
        parse_scan("R000012345")
    assert parse_scan(make_receipt_barcode(123_456_789_0)).value.receipt_number == 1_234_567_890


@pytest.mark.parametrize("garbage", ["", "   ", "hello", "1234", "R12", "12345674\x07", "\x1b[31m",
                                     "9" * 300, "[@click=app.quit]x"])
def test_garbage_is_refused_with_a_message(garbage: str) -> None:
    with pytest.raises(ValidationError) as info:
        parse_scan(garbage)
    assert str(info.value)
    assert "\x1b" not in str(info.value) and "\x07" not in str(info.value)


def test_counters_register_their_own_patterns() -> None:
    # A made-up kind: "citation" is a real counter's kind now (clerk_tui/counters/citations.py).
    reg = default_registry()
    reg.register("ticket", re.compile(r"T([0-9]{7})"),
                 lambda m: {"ticket": m.group(1)}, description="a test ticket")
    r = reg.parse("T0012345")
    assert r == ScanResult("ticket", {"ticket": "0012345"}, "T0012345")
    assert "ticket" in reg.kinds()
    with pytest.raises(ValueError):
        reg.register("ticket", r"x", lambda m: None)
    with pytest.raises(ValidationError):
        parse_scan("T0012345")  # the app's default registry is untouched by this test
