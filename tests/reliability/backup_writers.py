"""A clerk process for the backup drill: posts cash payments through the real domain code
until told to stop, and logs each receipt number only after its commit has returned.

    python -m tests.reliability.backup_writers DB CLERK WORKSTATION LOG STOPFILE

Each line of LOG is one committed receipt number (flushed and fsynced before the next
payment), so whatever the log holds at a moment was in the database at that moment.
"""

from __future__ import annotations

import os
import random
import sys
from pathlib import Path


def main(argv: list[str]) -> int:
    db_path, clerk, workstation, log_path, stop_path = argv
    from clerk_tui.db import open_database
    from clerk_tui.domain import auth
    from clerk_tui.domain.cashier import SaleItem, Tender, new_idempotency_key, post_payment

    db = open_database(db_path)
    actor = auth.clerk_actor(db, clerk, workstation)
    numbers = [r["number"] for r in db.all("SELECT number FROM accounts ORDER BY id")]
    rng = random.Random(f"{clerk}-{os.getpid()}")
    stop = Path(stop_path)
    with open(log_path, "a", encoding="ascii") as log:
        while not stop.exists():
            amount = rng.randint(100, 20000)
            result = post_payment(db, actor, new_idempotency_key(),
                                  [SaleItem("account", rng.choice(numbers), amount)],
                                  [Tender("cash", amount + rng.choice((0, 0, 500)))])
            log.write(f"{result.receipt.number}\n")
            log.flush()
            os.fsync(log.fileno())
    db.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
