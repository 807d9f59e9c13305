"""Helpers for the adjustment and assistance tests: bills with lines by service, late fees."""

from __future__ import annotations

import datetime as dt

from clerk_tui.db import Database
from clerk_tui.domain import accounts, audit, ledger
from clerk_tui.domain.actor import SYSTEM
from tests.domain.utility.collections_support import set_today

__all__ = ["history", "late_fee", "make_bill", "open_account", "set_today", "snapshot"]

FUNDS = {"water": ("water", "5100-4100"), "sewer": ("sewer", "5200-4100"),
         "refuse": ("refuse", "5300-4100")}


def open_account(db: Database, *, name: str = "Dana Reyes",
                 address: str = "120 N Main St") -> accounts.Account:
    return accounts.open_account(db, SYSTEM, name=name, service_address=address,
                                 opened_on="2020-01-01")


def make_bill(db: Database, account_id: int, bill_date: str, consumption: int, *,
              water: int = 8000, sewer: int = 5000, refuse: int = 2895) -> int:
    """A bill as the billing run writes it: one journal, bills row, one bill line a service."""
    parts = {"water": water, "sewer": sewer, "refuse": refuse}
    total = sum(parts.values())
    with db.write():
        entries = [ledger.Entry("account", "bill", total, account_id=account_id, memo="Bill")]
        for service, cents in parts.items():
            if cents:
                fund, gl = FUNDS[service]
                entries.append(ledger.Entry("revenue", "bill", -cents, fund=fund, gl_code=gl))
        posted = ledger.post(db, SYSTEM, "billing", entries, business_date=bill_date)
        due = (dt.date.fromisoformat(bill_date) + dt.timedelta(days=21)).isoformat()
        bill_id = db.insert("bills", {
            "account_id": account_id, "journal_id": posted.journal_id, "bill_date": bill_date,
            "due_date": due, "period_start": bill_date, "period_end": bill_date,
            "consumption": consumption, "amount_cents": total})
        for service, cents in parts.items():
            if cents:
                fund, gl = FUNDS[service]
                db.insert("bill_lines", {"bill_id": bill_id, "service": service,
                                         "description": service.title(), "amount_cents": cents,
                                         "fund": fund, "gl_code": gl})
        audit.record(db, SYSTEM, "test.bill", f"bill:{bill_id}")
    return bill_id


def history(db: Database, account_id: int, uses: list[int], start: str = "2025-01-03") -> int:
    """Monthly bills with these consumptions from `start`; returns the last bill's id."""
    d = dt.date.fromisoformat(start)
    bill_id = 0
    for i, use in enumerate(uses):
        y, m = divmod(d.month - 1 + i, 12)
        bill_id = make_bill(db, account_id, dt.date(d.year + y, m + 1, d.day).isoformat(), use)
    return bill_id


def late_fee(db: Database, account_id: int, bill_id: int, cents: int, on: str) -> int:
    """A late fee as the billing helper assesses it: a journal and its late_fees row."""
    with db.write():
        posted = ledger.post(db, SYSTEM, "late_fee", [
            ledger.Entry("account", "penalty", cents, account_id=account_id, memo="Late fee",
                         fund="water", gl_code="5100-4350"),
            ledger.Entry("revenue", "penalty", -cents, fund="water", gl_code="5100-4350"),
        ], business_date=on)
        db.insert("late_fees", {"bill_id": bill_id, "journal_id": posted.journal_id,
                                "amount_cents": cents, "assessed_on": on})
        audit.record(db, SYSTEM, "test.late_fee", f"bill:{bill_id}")
    return posted.journal_id


def snapshot(db: Database) -> tuple[int, ...]:
    """Row counts that any write would change (a refused operation must leave them alone)."""
    return tuple(db.scalar(f"SELECT count(*) FROM {t}") for t in (
        "journals", "ledger_entries", "adjustments", "audit_log", "assistance_enrollments",
        "medical_certifications"))
