"""City checks for accounts payable: every refund by city check, whoever posted it."""

from __future__ import annotations

import csv
import io
import stat
from pathlib import Path

from clerk_tui.db import Database
from clerk_tui.domain import audit, ledger
from clerk_tui.domain.actor import SYSTEM
from clerk_tui.domain.cashier import (
    SaleItem,
    Tender,
    new_idempotency_key,
    post_payment,
    refund_credit,
)
from clerk_tui.domain.cashier.rules import rules as cashier_rules
from clerk_tui.domain.office.refunds import (
    CSV_HEADER,
    format_refunds,
    payable_refunds,
    write_refunds_csv,
)

from .test_office_day import DAY


def test_ap_refunds_list_and_csv(db: Database, account, clerk_with_drawer, supervisor,
                                 tmp_path: Path) -> None:
    clerk = clerk_with_drawer("csr2")
    acct = account(0)
    with db.write():
        db.execute("UPDATE customers SET name = '=cmd|calc', mailing_address = 'PO Box 7, "
                   "Example CA' WHERE id = (SELECT customer_id FROM accounts WHERE id = ?)",
                   [acct.id])
    post_payment(db, clerk, new_idempotency_key(), [SaleItem("account", acct.number, 9000)],
                 [Tender("cash", 9000)])
    refund_credit(db, clerk, acct.number, 2500, "closed account", method="check")
    refund_credit(db, clerk, acct.number, 1000, "cash back", method="cash")  # not AP's
    with db.write():  # a counter no finder knows: still listed, its memo as the reason
        ledger.post(db, SYSTEM, "refund", [
            ledger.Entry(book="trust", kind="refund", amount_cents=4000, fund="100",
                         gl_code="100-2200-DEP"),
            ledger.Entry(book="clearing", kind="refund", amount_cents=-4000,
                         gl_code=cashier_rules().gl["refunds_payable"])],
            memo="new counter deposit refund X-1")
        audit.record(db, SYSTEM, "test.refund", "x:1")
    checks = payable_refunds(db, supervisor, DAY)
    assert [(c.payee, c.amount_cents, c.account) for c in checks] == [
        ("=cmd|calc", 2500, f"{acct.number[:7]}-{acct.number[7]}"),
        ("(see reason)", 4000, "")]
    assert checks[0].address == "PO Box 7, Example CA"
    assert "closed account" in checks[0].reason
    text = format_refunds(checks, DAY)
    assert max(len(line) for line in text.splitlines()) <= 78
    assert "$65.00" in text and "2 checks" in text
    path, n = write_refunds_csv(db, supervisor, tmp_path, DAY)
    assert n == 2 and path.name == f"ap-refunds-{DAY}.csv"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    assert tuple(rows[0]) == CSV_HEADER
    assert rows[1][2] == "'=cmd|calc" and rows[1][4] == "25.00"  # a formula stays text
    assert rows[2][4] == "40.00" and "X-1" in rows[2][5]
    second, _ = write_refunds_csv(db, supervisor, tmp_path, DAY)
    assert second.name == f"ap-refunds-{DAY}-2.csv" and path.read_text() == second.read_text()
    assert audit.verify(db).ok


def test_a_citation_refund_by_city_check_names_its_payer(db: Database, clerk_with_drawer,
                                                         supervisor) -> None:
    """Citations post their refund without an account: found by the refunds-payable row, the
    payee found through the citation its memo names (no owner on file: who paid it)."""
    import datetime as dt

    from clerk_tui.domain.citations import refunds as citation_refunds
    from tests.domain.citations.conftest import keyed

    clerk = clerk_with_drawer("csr3")
    number = keyed(db, clerk, 8, issued="2026-02-25 10:00")
    post_payment(db, clerk, new_idempotency_key(), [SaleItem("citation", number)],
                 [Tender("cash", 10**7)], payer="Lee Driver")
    citation_refunds.record_dmv_payment(db, clerk, number, 5500, dt.date(2026, 3, 1), "DMV-1")
    citation_refunds.refund_overpayment(db, clerk, number, "paid twice", method="check")
    [check] = payable_refunds(db, supervisor, DAY)
    assert (check.payee, check.account, check.amount_cents) == (
        "Lee Driver", f"citation {number}", 5500)
    assert "paid twice" in check.reason
