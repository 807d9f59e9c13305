"""Our ESC/POS bytes against python-escpos's Dummy printer, the 7-bit rule, the status decoder."""

from __future__ import annotations

import pytest
from escpos.printer import Dummy

from clerk_tui.hardware.escpos import (
    UNSAFE_7BIT,
    EscPos,
    UnsafePayload,
    check_7bit_safe,
    decode_status,
    status_request,
    unsafe_7bit_positions,
)
from clerk_tui.hardware.receipt import diagnostic_page, render_escpos
from tests.hardware.receipts import sample_receipt


def dummy() -> Dummy:
    return Dummy()


@pytest.mark.parametrize(
    "ours, theirs",
    [
        (lambda e: e.init(), lambda d: (d.hw("INIT"), d._raw(b"\x1bt\x00"))),
        (lambda e: e.align("center"), lambda d: d.set(align="center")),
        (lambda e: e.align("right"), lambda d: d.set(align="right")),
        (lambda e: e.bold(True), lambda d: d.set(bold=True)),
        (lambda e: e.bold(False), lambda d: d.set(bold=False)),
        (lambda e: e.line("Hello"), lambda d: d._raw(b"Hello\n")),
        (lambda e: e.feed(3), lambda d: d.print_and_feed(3)),
        (lambda e: e.cut(), lambda d: d.cut()),
        (lambda e: e.cut(partial=True), lambda d: d.cut(mode="PART")),
        (lambda e: e.kick(2, 50, 500), lambda d: d.cashdraw([27, 112, 0, 25, 250])),
        (lambda e: e.kick(5, 100, 100), lambda d: d.cashdraw([27, 112, 1, 50, 50])),
        (lambda e: e.barcode128("R000012344", height=64, width=3),
         lambda d: d.barcode("{BR000012344", "CODE128", height=64, width=3,
                             function_type="B")),
    ],
)
def test_common_commands_match_python_escpos(ours, theirs) -> None:
    e = EscPos()
    ours(e)
    d = dummy()
    theirs(d)
    assert e.bytes() == d.output


def test_text_is_encoded_like_python_escpos() -> None:
    d = dummy()
    d.text("Cafe 12.50\n")
    e = EscPos().init()
    assert b"\x1bt\x00" + EscPos().line("Cafe 12.50").bytes() == d.output
    assert e.text("Peña").bytes().endswith(b"Pe\xa4a")  # cp437 ñ


def test_status_requests() -> None:
    assert status_request(1) == b"\x10\x04\x01"
    with pytest.raises(ValueError):
        status_request(7)


def test_status_decoder() -> None:
    ok = decode_status({1: 0x12, 2: 0x12, 4: 0x12})
    assert ok.ready and ok.drawer_open is False and ok.message == "Printer ready"
    out = decode_status({1: 0x1E, 2: 0x32, 4: 0x7E})  # drawer pin high, offline, paper end
    assert out.paper_out and out.drawer_open and out.online is False and not out.ready
    assert out.message == "Printer out of paper"
    low = decode_status({1: 0x12, 2: 0x12, 4: 0x1E})
    assert low.ready and low.paper_near_end and "paper low" in low.message
    cover = decode_status({1: 0x1A, 2: 0x16})
    assert cover.cover_open and "cover open" in cover.message
    inverted = decode_status({1: 0x16}, drawer_open_level="low")
    assert inverted.drawer_open is False
    garbage = decode_status({1: 0x10})  # e.g. our own request echoed back
    assert not garbage.known and "not a status reply" in garbage.message


def test_7bit_mode_uses_ascii_digit_forms() -> None:
    e = EscPos(safe7=True)
    assert e.align("center").bytes() == b"\x1ba1"
    e = EscPos(safe7=True)
    assert e.bold(True).bold(False).bytes() == b"\x1bE1\x1bE0"
    e = EscPos(safe7=True)
    assert e.line("x").bytes() == b"x\x1bd\x01"
    e = EscPos(safe7=True)
    assert e.cut(partial=True, feed=4).bytes() == b"\x1bd\x04\x1dV1"
    e = EscPos(safe7=True)
    # pin '0'; 16 (32 ms) would be DLE, so the pulse is nudged up to 21 (42 ms); off time <= 0x7E
    assert e.kick(2, 32, 500).bytes() == b"\x1bp0\x15\x7e"


def test_whole_receipt_in_7bit_mode_is_safe_and_8bit_is_not() -> None:
    doc = sample_receipt(payer="Zoë Ñúñez", training=True)
    safe = render_escpos(doc, safe7=True, kick=(2, 100))
    assert unsafe_7bit_positions(safe) == []
    assert b"Zoe Nunez" in safe
    assert all(b not in UNSAFE_7BIT for b in safe)
    raw = render_escpos(doc)
    assert unsafe_7bit_positions(raw)  # LF, NUL parameters, cp437 bytes
    with pytest.raises(UnsafePayload):
        check_7bit_safe(raw)
    check_7bit_safe(diagnostic_page(safe7=True))


@pytest.mark.parametrize("bad", [b"\x00", b"a\nb", b"\x11", b"\x13", b"\x14", b"\x10",
                                 b"\x18", b"\x1a", b"\x7f", b"\xc3\xa9", b"\x1b[4i", b"\x1b]0;x"])
def test_unsafe_bytes_are_refused(bad: bytes) -> None:
    with pytest.raises(UnsafePayload):
        check_7bit_safe(b"ok" + bad)


def test_barcode_with_unsafe_length_is_refused_in_7bit_mode() -> None:
    with pytest.raises(UnsafePayload):
        EscPos(safe7=True).barcode128("12345678")  # "{B" + 8 = 10 = LF as length byte
    EscPos().barcode128("12345678")  # fine on a real serial line
