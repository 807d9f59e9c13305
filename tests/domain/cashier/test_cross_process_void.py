"""Every item kind can be voided and reversed from a fresh process that imported nothing but
the CLI: item kinds come from the counter manifests, not from whichever module a screen
happened to import (issue 11)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from clerk_tui.counters import load_builtin
from clerk_tui.counters.manifest import resolve
from clerk_tui.db import Database
from clerk_tui.domain import audit, ledger
from clerk_tui.domain.cashier import (
    DrawerCount,
    SaleItem,
    Tender,
    approve_session,
    new_idempotency_key,
    post_payment,
    submit_count,
)

from .conftest import NOW, book_total

# One reference per built-in item kind (the account is filled in by the test). A kind whose
# item is one record's fee names a function `make(db) -> (reference, cents)` that files a new
# payable record for each payment instead.
REFERENCES = {"fee": ("COPY", 2000), "misc": ("NOTARY*2", 3000),
              "fd_copy": "tests.domain.frontdesk.samples:copy_fee",
              "fd_release": "tests.domain.frontdesk.samples:release_fee",
              "fd_repo": "tests.domain.frontdesk.samples:repo_fee",
              "fd_subpoena": "tests.domain.frontdesk.samples:subpoena_deposit",
              "fd_letter": "tests.domain.frontdesk.samples:letter_fee"}

_CHILD = r"""
import json, sys
import clerk_tui.cli as cli
cli.load_builtin()  # what `clerk-tui` does before any command
from clerk_tui.db import open_database
from clerk_tui.domain import auth, clock
from clerk_tui.domain.cashier.voids import reverse_receipt, void_receipt
import datetime as dt
job = json.loads(sys.argv[1])
clock.set_fixed(dt.datetime.fromisoformat(job["now"]))
db = open_database(job["db"])
alice = auth.clerk_actor(db, "alice", "ws-test")
sup = auth.clerk_actor(db, "sup", "ws-test")
done = []
for number in job["void"]:
    done.append(void_receipt(db, alice, number, "KEY", "wrong item").kind)
for number in job["reverse"]:
    done.append(reverse_receipt(db, sup, number, "MISAPPLIED", "wrong item").kind)
print(json.dumps({"done": done,
                  "screens": sorted(m for m in sys.modules if m.startswith("clerk_tui.screens")),
                  "textual": "textual" in sys.modules}))
"""


def test_every_item_kind_voids_and_reverses_in_a_fresh_cli_process(
        db: Database, account, clerk_with_drawer, supervisor) -> None:
    kinds = sorted(load_builtin().item_kinds)
    assert {"account", "fee"} <= set(kinds)
    acct = account(100_000)
    refs = dict(REFERENCES, account=(acct.number, 4000))
    assert set(refs) == set(kinds), "add a reference for every item kind"
    before = {"account": ledger.account_balance(db, acct.id),
              "revenue": book_total(db, "revenue"), "drawer": book_total(db, "drawer")}

    alice = clerk_with_drawer("csr2", "alice")
    bob = clerk_with_drawer("csr2", "bob")

    def pay(actor, kind: str) -> int:
        sample = refs[kind]
        ref, cents = resolve(sample)(db) if isinstance(sample, str) else sample
        return post_payment(db, actor, new_idempotency_key(), [SaleItem(kind, ref, cents)],
                            [Tender("card", cents, card_last4="4242", auth_code="A1")]).receipt.number

    to_void = [pay(alice, k) for k in kinds]
    to_reverse = [pay(bob, k) for k in kinds]
    session = db.scalar("SELECT id FROM drawer_sessions WHERE clerk = 'bob'")
    assert submit_count(db, bob, DrawerCount({"hundreds": 1, "fifties": 1})).over_short_cents == 0
    approve_session(db, supervisor, session)
    assert ledger.account_balance(db, acct.id) == before["account"] - 8000

    job = {"db": str(db.path), "now": NOW.isoformat(), "void": to_void, "reverse": to_reverse}
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[3]))
    out = subprocess.run([sys.executable, "-c", _CHILD, json.dumps(job)], capture_output=True,
                         text=True, env=env, timeout=120)
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["done"] == ["void"] * len(kinds) + ["reversal"] * len(kinds)
    assert result["screens"] == [] and result["textual"] is False

    assert ledger.account_balance(db, acct.id) == before["account"]
    assert book_total(db, "revenue") == before["revenue"]
    voided = db.scalar("SELECT count(*) FROM receipt_voids")
    assert voided == 2 * len(kinds)
    assert audit.verify(db).ok
