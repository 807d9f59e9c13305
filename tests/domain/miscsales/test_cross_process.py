"""A misc. sale posted in this process is voided and reversed in a fresh one that imported only
`clerk_tui.cli`: the `misc` kind is found through the manifest, not through a screen import."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from clerk_tui.db import Database
from clerk_tui.domain import audit
from clerk_tui.domain.cashier import (
    DrawerCount,
    Tender,
    approve_session,
    new_idempotency_key,
    post_payment,
    submit_count,
)
from clerk_tui.domain.cashier.denominations import CountedItem
from clerk_tui.domain.miscsales import price_line, sale_items
from tests.domain.cashier.test_cross_process_void import _CHILD

from .conftest import NOW, book_total


def test_misc_sale_voids_and_reverses_in_a_fresh_cli_process(
        db: Database, clerk_with_drawer, supervisor) -> None:  # noqa: ANN001
    alice = clerk_with_drawer("csr2", "alice")
    bob = clerk_with_drawer("csr2", "bob")
    revenue = book_total(db, "revenue")
    day = NOW.date()

    def sell(actor, lines, tender):  # noqa: ANN001, ANN202
        return post_payment(db, actor, new_idempotency_key(), sale_items(lines),
                            [tender]).receipt.number

    to_void = sell(alice, [price_line("COPY", 30, day), price_line("NOTARY", 1, day)],
                   Tender("cash", 2000))
    to_reverse = sell(bob, [price_line("BUSPASS", 1, day)], Tender("check", 4500, number="1001"))
    session = db.scalar("SELECT id FROM drawer_sessions WHERE clerk = 'bob'")
    submit_count(db, bob, DrawerCount({"hundreds": 1, "fifties": 1},
                                      checks=[CountedItem("1001", 4500)]))
    approve_session(db, supervisor, session)
    assert book_total(db, "revenue") == revenue - 1800 - 4500

    job = {"db": str(db.path), "now": NOW.isoformat(), "void": [to_void],
           "reverse": [to_reverse]}
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[3]))
    out = subprocess.run([sys.executable, "-c", _CHILD, json.dumps(job)], capture_output=True,
                         text=True, env=env, timeout=120)
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["done"] == ["void", "reversal"]
    assert result["screens"] == [] and result["textual"] is False
    assert book_total(db, "revenue") == revenue
    kinds = db.all("SELECT DISTINCT i.kind FROM receipt_items i JOIN receipt_voids v "
                   "ON v.receipt_id = i.receipt_id")
    assert [k["kind"] for k in kinds] == ["misc"]
    assert audit.verify(db).ok
