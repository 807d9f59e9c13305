"""Every item kind can be voided and reversed from a fresh process that imported nothing but
the CLI: item kinds come from the counter manifests, not from whichever module a screen
happened to import (issue 11)."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

from clerk_tui.counters import load_builtin
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
from tests.domain.frontdesk import samples
from tests.domain.licenses.support import fresh_charge
from tests.domain.passports.support import passport_reference
from tests.domain.permits.support import permit_reference

from .conftest import NOW, book_total

# One reference per built-in item kind (the account is filled in by the test). A reference
# that can be paid only once (a permit application) is a function making a new one: f(db);
# a pair is one reference per payer (alice, bob).
REFERENCES = {"fee": ("COPY", 2000), "misc": ("NOTARY*2", 3000),
              "permit": (permit_reference, 4000),
              "passport": (passport_reference, 3500),
              "citation": ("C000012344", 1000), "citation_copy": ("C000012344", 200),
              # a deposit is the hearing request of one citation: one citation per payer
              "citation_deposit": (("C000020016", "C000020024"), 5500),
              # a license charge is paid once: a new license (or event permit) per payment
              "license": (fresh_charge("license"), 40), "bid": (fresh_charge("bid"), 9000),
              "event": (fresh_charge("event"), 25000),
              # the front desk's fees: one payable record per payment
              "fd_copy": (samples.copy_fee, 100), "fd_release": (samples.release_fee, 17500),
              "fd_repo": (samples.repo_fee, 1500), "fd_letter": (samples.letter_fee, 2500),
              "fd_subpoena": (samples.subpoena_deposit, 27500),
              "fd_reg": (samples.registration_fee, 10000)}


def _citation(db, actor) -> None:
    """The citation REFERENCES pays (a $55 street-sweeping citation keyed in)."""
    from clerk_tui.domain.citations.contest import record_review_result, request_review
    from clerk_tui.domain.citations.store import NewCitation, key_in

    for number in ("C000012344", "C000020016", "C000020024"):
        key_in(db, actor, NewCitation(number, dt.datetime(2026, 2, 25, 9, 0), "1 Main St",
                                      "7ABC123", "CA", None, "", "", "", "MC10.20.010", 5500,
                                      "P1"))
    for number in ("C000020016", "C000020024"):
        request_review(db, actor, number)
        record_review_result(db, actor, number, "UPHELD", "photos show the sign")

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
        ref, cents = refs[kind]
        if isinstance(ref, tuple):  # one reference per payer
            ref = ref[0] if actor is alice else ref[1]
        ref = ref(db) if callable(ref) else ref
        return post_payment(db, actor, new_idempotency_key(), [SaleItem(kind, ref, cents)],
                            [Tender("card", cents, card_last4="4242", auth_code="A1")]).receipt.number

    _citation(db, alice)
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
