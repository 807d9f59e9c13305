"""The sandbox's practice account: the customer the README's keystroke examples serve.

The demo data is random (seeded) and its history runs up to the day the sandbox is built, so
which account a search finds first, and what it owes, changes with the date. A trainee
following the README (`F2 main Enter F3 Enter 130 Enter`) must find a customer who owes a
bill that $130 pays, every day. So the sandbox adds one account with fixed facts beside the
demo accounts, written the way the demo writes its own (`demo._write_chunk`): Aaron Abbott at
120 N Main St — first among the Main St accounts — with a meter, three months of reads and
bills, the first two paid, the latest one (water and sewer, 7 HCF) owing and not yet due
(its billing cycle is the one that billed last before the sandbox was built).

`tests/ui/test_readme_keys.py` replays every keystroke example of the README on fresh demo
data, so an example that stops working fails a test.
"""

from __future__ import annotations

import datetime as dt

from clerk_tui.db import Database
from clerk_tui.domain import account_numbers, clock, demo

NAME = "Aaron Abbott"
ADDRESS = "120 N Main St"
ZIP = "95901"
SERVICES = "water,sewer"
SIZE = '5/8"'
USES = (6, 8, 7)  # HCF billed each month, oldest first; the last bill is the one owed
OPENED = "2018-04-12"
PAID_AFTER_DAYS = 12


def practice_bill_cents(on: dt.date | None = None) -> int:
    """What the practice account's latest bill comes to, priced by the rates in force on `on`."""
    on = on or clock.today()
    return sum(demo._bill_parts(USES[-1], SIZE, SERVICES, "residential", on.isoformat()).values())


def add_practice_account(db: Database, as_of: dt.date | None = None) -> str:
    """Add the practice account after the demo accounts; returns its number."""
    as_of = as_of or clock.today()
    stamp = f"{as_of.isoformat()}T06:00:00"
    ids = {t: int(db.scalar(f"SELECT coalesce(max(id), 0) FROM {t}")) + 1
           for t in ("customers", "accounts", "meters", "journals", "bills")}
    top = db.scalar("SELECT max(number) FROM accounts")
    base = int(top[:7]) + 1 if top else 1_000_000
    number = account_numbers.make_number(base)
    cycle = max(range(1, 5), key=lambda c: demo._bill_dates(as_of, 1, c)[-1])
    days = demo._bill_days({cycle: demo._bill_dates(as_of, len(USES), cycle)})[cycle]

    chunk = demo._Chunk()
    customer, account, meter = ids["customers"], ids["accounts"], ids["meters"]
    chunk.customers.append((customer, NAME, "(530) 555-0142", None,
                            f"{ADDRESS}\n{demo.CITY}, {demo.STATE} {ZIP}", f"{OPENED}T09:00:00"))
    chunk.accounts.append((account, number, customer, ADDRESS, demo.CITY, ZIP, "active",
                           "residential", SERVICES, cycle, 0, OPENED, None))
    chunk.meters.append((meter, account, f"RV{meter:08d}", SIZE, OPENED, None))
    reading = 1200
    first_read = (days[0].date - dt.timedelta(days=32)).isoformat()
    chunk.reads.append((meter, first_read, reading, "initial", 0, "legacy", stamp))
    prev_read = first_read
    for k, (day, hcf) in enumerate(zip(days, USES, strict=True)):
        reading += hcf
        chunk.reads.append((meter, day.read_iso, reading, "regular", 0, "legacy", stamp))
        parts = demo._bill_parts(hcf, SIZE, SERVICES, "residential", day.read_iso)
        amount = sum(parts.values())
        key = ("bill", "practice", day.iso)
        chunk.journal(key, "billing", day.iso, day.memo).append(
            ("account", "bill", amount, account, "", "", day.label))
        chunk.revenue[key] = dict(parts)
        chunk.bills.append((account, key, day.iso, day.due_iso, prev_read, day.read_iso, hcf,
                            amount))
        prev_read = day.read_iso
        if k < len(USES) - 1:  # paid, as a demo payment is: converted from the old system
            paid = (day.date + dt.timedelta(days=PAID_AFTER_DAYS)).isoformat()
            pkey = ("pay", "practice", paid)
            chunk.journal(pkey, "conversion", paid, "Converted payments (legacy)").append(
                ("account", "payment", -amount, account, "", "", "legacy"))
            chunk.clearing[pkey] = amount
    counts = {"journals": 0, "entries": 0}
    demo._write_chunk(db, chunk, counts, ids["journals"], ids["bills"], stamp, 0, account - 1,
                      1)
    return number
