"""What the batch bench and tests read before the first key: stubs of accounts that owe."""

from __future__ import annotations

from clerk_tui.db import Database
from clerk_tui.domain.scanlines import make_stub_scanline


def owing_stubs(db: Database, n: int) -> list[str]:
    """Stub scanlines of the `n` accounts owing the most (each for its amount due), taking
    checks; fewer when fewer owe."""
    rows = db.all("SELECT a.number, sum(e.amount_cents) AS due FROM ledger_entries e "
                  "JOIN accounts a ON a.id = e.account_id WHERE e.book = 'account' "
                  "AND a.no_checks = 0 GROUP BY a.id HAVING due > 0 "
                  "ORDER BY due DESC, a.id LIMIT ?", [n])
    return [make_stub_scanline(r["number"], int(r["due"])) for r in rows]
