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


def sandbox_builder(db: Database, *, seed: int, accounts: int) -> int | None:
    """The batches' share of a new sandbox (the manifest's `demo`): an open mail batch of six
    stubs with five keyed, through the real functions, so a trainee can key the last one (the
    account shown under the batch's control), see it match and post it. Nothing is posted, so
    no receipt or drawer report changes. Returns the batch id (None in a town with no debt)."""
    from clerk_tui.domain import auth
    from clerk_tui.domain.batches.control import add_line, open_batch
    from clerk_tui.domain.scanlines import parse_scan

    stubs = [parse_scan(s).value for s in owing_stubs(db, 6)]
    if len(stubs) < 6:
        return None
    actor = auth.clerk_actor(db, "csr1", "demo-1")
    batch = open_batch(db, actor, "mail", len(stubs), sum(s.amount_cents for s in stubs))
    for s in stubs[:-1]:
        add_line(db, actor, batch.id, s.account_number, s.amount_cents,
                 due_cents=s.amount_cents)
    return batch.id
