"""Helpers for the collections tests: accounts with bills on given dates, payments, a clock."""

from __future__ import annotations

import datetime as dt

from clerk_tui.db import Database
from clerk_tui.domain import accounts, audit, clock, ledger
from clerk_tui.domain.actor import SYSTEM


def set_today(day: str) -> dt.date:
    d = dt.date.fromisoformat(day)
    clock.set_fixed(dt.datetime.combine(d, dt.time(10, 0)))
    return d


def open_account(db: Database, *, name: str = "Dana Reyes", address: str = "120 N Main St",
                 mailing: str | None = None) -> accounts.Account:
    return accounts.open_account(db, SYSTEM, name=name, service_address=address,
                                 service_city="Riverton", service_zip="95000",
                                 mailing_address=mailing, opened_on="2020-01-01")


def bill(db: Database, account_id: int, cents: int, bill_date: str,
         due_date: str | None = None) -> int:
    """A bill posted through the ledger with its bills row (due 21 days later by default)."""
    due = due_date or (dt.date.fromisoformat(bill_date) + dt.timedelta(days=21)).isoformat()
    with db.write():
        posted = ledger.post(db, SYSTEM, "billing", [
            ledger.Entry("account", "bill", cents, account_id=account_id, memo="Water bill"),
            ledger.Entry("revenue", "bill", -cents, fund="510", gl_code="510-4100"),
        ], business_date=bill_date)
        bill_id = db.insert("bills", {"account_id": account_id, "journal_id": posted.journal_id,
                                      "bill_date": bill_date, "due_date": due,
                                      "period_start": bill_date, "period_end": bill_date,
                                      "consumption": 10, "amount_cents": cents})
        audit.record(db, SYSTEM, "test.bill", f"bill:{bill_id}")
        return bill_id


def pay(db: Database, account_id: int, cents: int, on: str) -> None:
    with db.write():
        ledger.post(db, SYSTEM, "conversion", [
            ledger.Entry("account", "payment", -cents, account_id=account_id, memo="payment"),
            ledger.Entry("clearing", "payment", cents),
        ], business_date=on)
        audit.record(db, SYSTEM, "test.pay", f"account_id:{account_id}")
