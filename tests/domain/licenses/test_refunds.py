"""License fee refunds: only for a denied application or a closed license, everything paid
here (out of the book it went into), within the role's refund limit (override above), cash
only from the clerk's drawer; never twice; a denied application owes nothing."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from clerk_tui.db import Database
from clerk_tui.domain.actor import Actor
from clerk_tui.domain.cashier import Tender, new_idempotency_key, post_payment
from clerk_tui.domain.errors import OverrideRequired, PermissionDenied, StateError
from clerk_tui.domain.licenses import records, refunds
from clerk_tui.domain.licenses.items import sale_items
from clerk_tui.domain.licenses.records import Application
from tests.domain.cashier.conftest import approve


def test_refund_a_denied_application(db: Database, clerk_with_drawer: Callable[..., Actor],
                                     make_clerk: Callable[..., Actor],
                                     supervisor: Actor) -> None:
    clerk = clerk_with_drawer("csr2")
    lic = records.apply(db, clerk, Application("Nail Bar", "Vi Tran", "14 Elm St", "812",
                                               employees=2))
    post_payment(db, clerk, new_idempotency_key(), sale_items(db, lic.number),
                 [Tender("cash", lic.total_due_cents)])  # $105 + $4
    with pytest.raises(StateError, match="only a denied"):
        refunds.refund_license(db, clerk, lic.number, "cash", "changed mind")
    records.decide_review(db, make_clerk("csr3"), lic.reviews[0].id, "denied", "zoning")
    assert records.get_license(db, lic.number).total_due_cents == 0  # never a license
    with pytest.raises(PermissionDenied):
        refunds.refund_license(db, make_clerk("csr1", "c1"), lic.number, "cash", "denied")
    with pytest.raises(OverrideRequired):  # $109 is over a CSR II's $100 limit
        refunds.refund_license(db, clerk, lic.number, "cash", "denied")
    ok = approve(db, clerk, supervisor, "license.refund", 10900, "refund")
    r = refunds.refund_license(db, clerk, lic.number, "cash", "denied", override=ok)
    assert r.amount_cents == 10900 and r.override_by == "sup"
    books = {row["book"]: row["s"] for row in db.all(
        "SELECT book, sum(amount_cents) AS s FROM ledger_entries WHERE journal_id = ? "
        "GROUP BY book", [r.journal_id])}
    assert books == {"revenue": 10860, "trust": 40, "drawer": -10900}
    with pytest.raises(StateError, match="Nothing was paid"):
        refunds.refund_license(db, clerk, lic.number, "check", "again", override=ok)
