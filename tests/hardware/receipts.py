"""A believable receipt document shared by the hardware tests."""

from __future__ import annotations

from clerk_tui.hardware.receipt import ReceiptDoc, ReceiptItem, ReceiptTender


def sample_receipt(**changes) -> ReceiptDoc:
    fields = dict(
        receipt_number=1234, issued_at="2025-03-04 10:31", clerk="csr1", workstation="ws-7",
        items=(ReceiptItem("Water bill payment", 4_512, "Acct 1234567-4", 0),
               ReceiptItem("Parking citation", 6_300, "Cit 88120")),
        tenders=(ReceiptTender("Cash", 12_000),), change_cents=1_188,
        header_lines=("CITY OF EXAMPLE", "100 Main St, Example CA"), payer="Maria Lopez",
    )
    fields.update(changes)
    return ReceiptDoc(**fields)
