"""Z/X report lines a clerk reads at close (issue 10 G7): cash taken, expected, counted and
over/short each on a line of their own (never folded together), and voided receipts counted
apart from the receipts that stand."""

from __future__ import annotations

import re

from clerk_tui.db import Database
from clerk_tui.domain.cashier import (
    DrawerCount,
    SaleItem,
    Tender,
    format_report,
    new_idempotency_key,
    post_payment,
    submit_count,
    void_receipt,
    x_report,
    z_report,
)


def _pay(db, actor, acct, cents):  # type: ignore[no-untyped-def]
    return post_payment(db, actor, new_idempotency_key(),
                        [SaleItem("account", acct.number, cents)],
                        [Tender("cash", cents)]).receipt


def _line(text: str, start: str) -> str:
    lines = [line for line in text.splitlines() if line.startswith(start)]
    assert len(lines) == 1, (start, text)
    return lines[0]


def _cells(line: str) -> list[str]:
    return re.split(r"\s{2,}", line.strip())


def test_z_report_shows_taken_counted_and_short_apart(db: Database, account,
                                                       clerk_with_drawer) -> None:
    clerk = clerk_with_drawer("csr2")  # $150.00 bank
    _pay(db, clerk, account(20903), 20903)  # $209.03 cash taken
    # The drawer should hold $359.03; the clerk counts $349.03: $10.00 short.
    counted = DrawerCount({"hundreds": 3, "twenties": 2, "fives": 1, "ones": 4,
                           "pennies": 3})
    assert counted.cash_cents == 34903
    submit_count(db, clerk, counted)
    z = z_report(db, clerk)
    text = format_report(z)
    rows = [_cells(line) for line in text.splitlines() if line.startswith("Cash")]
    # The tender table says what was taken ($209.03, not $199.03 with the short folded in);
    # the count table says counted, expected (bank + taken) and over/short, each apart (in
    # the drawer screen's order).
    assert rows == [["Cash", "$209.03"], ["Cash", "$349.03", "$359.03", "-$10.00"]], text
    assert "$199.03" not in text
    assert "Opening bank $150.00" in text
    total = [_cells(line) for line in text.splitlines() if line.startswith("Total")][-1]
    assert total == ["Total", "$349.03", "$359.03", "-$10.00"], text


def test_voided_receipt_is_not_counted_as_taken(db: Database, account,
                                                clerk_with_drawer) -> None:
    clerk = clerk_with_drawer("csr2")
    r = _pay(db, clerk, account(9175), 9175)
    void_receipt(db, clerk, r.number, "KEY")
    text = format_report(x_report(db, clerk))
    assert _line(text, "Receipts:").split() == ["Receipts:", "0", "$0.00"], text
    assert _line(text, "Voided:").split()[:3] == ["Voided:", "1", "$91.75"], text
    assert _cells([line for line in text.splitlines() if line.startswith("Total")][0]) == \
        ["Total", "$0.00"]
