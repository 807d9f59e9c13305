"""Code run in child processes by the concurrency test (kept light: no pytest imports)."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any


def post_many(path: str, username: str, workstation: str, account_number: str, n: int,
              now: str, barrier: Any, out: Any) -> None:
    """Post `n` cash payments as fast as possible; report the receipt numbers or the error."""
    try:
        from clerk_tui.db import Database
        from clerk_tui.domain import auth, clock
        from clerk_tui.domain.cashier import SaleItem, Tender, new_idempotency_key, post_payment

        clock.set_fixed(dt.datetime.fromisoformat(now))
        db = Database.open(path)
        actor = auth.clerk_actor(db, username, workstation)
        barrier.wait(60)
        numbers = []
        for _ in range(n):
            r = post_payment(db, actor, new_idempotency_key(),
                             [SaleItem("account", account_number, 100)], [Tender("cash", 500)])
            numbers.append(r.receipt.number)
            time.sleep(0.002)  # a clerk between customers: lets the others take the lock
        db.close()
        out.put(("ok", username, numbers))
    except Exception as e:  # report, don't hang the test
        out.put(("error", username, repr(e)))
