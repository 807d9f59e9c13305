"""The cashier counter: Lookup, Payments, Drawer, Reports; utility-account and fee items; the
account, bill-stub and receipt scans; reversals and refunds on the account `A` menu."""

from __future__ import annotations

from clerk_tui.counters.manifest import ActionSpec, Counter, ItemKindSpec, Manifest, ScanKind

_S = "clerk_tui.screens"

MANIFEST = Manifest(
    name="cashier",
    counters=(
        Counter("lookup", "Lookup", "f2", "l", "lookup.view",
                "Find an account, customer, receipt or citation", f"{_S}.lookup:COUNTER_SCREEN"),
        Counter("payments", "Payments", "f3", "p", "payment.take",
                "Take a utility bill payment", f"{_S}.payment:COUNTER_SCREEN"),
        Counter("drawer", "Drawer", "f8", "d", "drawer.open",
                "Open, balance and close your cash drawer", f"{_S}.drawer:COUNTER_SCREEN"),
        Counter("reports", "Reports", "f9", "r", "reports.own",
                "Day, drawer and deposit reports", f"{_S}.reports:COUNTER_SCREEN"),
    ),
    item_kinds=(
        ItemKindSpec("account", "clerk_tui.domain.cashier.items:AccountItem"),
        ItemKindSpec("fee", "clerk_tui.domain.cashier.items:FeeItem"),
    ),
    scan_kinds=(
        ScanKind("receipt", r"[Rr]([0-9]{9,12})", "clerk_tui.domain.scanlines:parse_receipt",
                 f"{_S}.cashier_scans:scan_reprints", priority=30,
                 samples=("R000012344", "r000012344"),
                 description="receipt barcode R + number + check digit"),
        ScanKind("bill_stub", r"[0-9]{7}-?[0-9][ ]?[0-9]{9}[ ]?[0-9]",
                 "clerk_tui.domain.scanlines:parse_stub", f"{_S}.cashier_scans:scan_pays",
                 priority=20, samples=("123456740000123455", "1234567-4 000012345 5"),
                 description="utility bill stub scanline (18 digits)"),
        ScanKind("account", r"[0-9]{7}-?[0-9]", "clerk_tui.domain.scanlines:parse_account",
                 f"{_S}.cashier_scans:scan_pays", priority=10,
                 samples=("12345674", "1234567-4"),
                 description="account number (8 digits, 1234567-8)"),
    ),
    account_actions=(
        ActionSpec("payment.reverse", "r", "Reverse a payment", "payment.reverse",
                   f"{_S}.reversal:open_reverse", order=60),
        ActionSpec("payment.nsf", "n", "NSF returned check", "payment.nsf",
                   f"{_S}.reversal:open_nsf", order=61),
        ActionSpec("refund.credit", "f", "Refund a credit balance", "refund.credit",
                   f"{_S}.refund:RefundScreen", order=62),
        # office (issue 17): move a misapplied payment, or apply suspense money
        ActionSpec("payment.transfer", "g", "Transfer a misapplied payment", "payment.transfer",
                   f"{_S}.office.transfer:open_transfer", order=63),
    ),
    migrations="cashier",
    rules_files=("cashier.toml", "fees.toml", "reason_codes.toml"),
    reports=("clerk_tui.domain.cashier.reports:x_report",
             "clerk_tui.domain.cashier.reports:z_report"),
)
