"""A receipt line too long for the paper wraps instead of being cut (issue 10 G14: the
preview showed `1445 S M~`): what the clerk previews and what prints hold every word."""

from __future__ import annotations

import pytest

from clerk_tui.hardware.receipt import (
    ReceiptDoc,
    ReceiptItem,
    ReceiptTender,
    layout,
    render_escpos,
    render_text,
)

ADDRESS = "Utility account 1000852-2 1445 S Magnolia Blvd Unit 12"
PAYER = "Benjamin, Jenkins and Norton Properties of Riverton"


def _doc() -> ReceiptDoc:
    return ReceiptDoc(12, "2026-03-02 10:00", "csr2", "ws-test",
                      (ReceiptItem(ADDRESS, 49092, PAYER, 0),),
                      (ReceiptTender("Cash", 50000),), 908, ("City of Riverton",),
                      payer=PAYER)


@pytest.mark.parametrize("width", [32, 42])
def test_long_lines_wrap_with_the_amount_on_the_last(width: int) -> None:
    text = render_text(_doc(), width)
    lines = text.splitlines()
    assert "~" not in text
    assert all(len(line) <= width for line in lines), text
    words = " ".join(text.split())
    for phrase in (ADDRESS, PAYER):
        assert " ".join(phrase.split()) in words, (phrase, text)
    amount_lines = [line for line in lines if line.endswith("$490.92")]
    assert len(amount_lines) == 2, text  # the item and TOTAL, flush right
    assert all(len(line) == width for line in amount_lines)


def test_printed_bytes_carry_the_same_lines() -> None:
    data = render_escpos(_doc(), 42)
    for line in layout(_doc(), 42).lines:
        if line.kind == "text" and line.text.strip():
            assert line.text.strip().encode() in data, line
