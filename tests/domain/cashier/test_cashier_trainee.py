"""Trainees move money only in training databases: refused in the domain, not just on screen."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from clerk_tui.db import Database
from clerk_tui.domain import auth, clock
from clerk_tui.domain.actor import Actor
from clerk_tui.domain.cashier import (
    DrawerCount,
    SaleItem,
    Tender,
    new_idempotency_key,
    open_session,
    post_payment,
    submit_count,
)
from clerk_tui.domain.cashier.movements import paid_in
from clerk_tui.domain.errors import PermissionDenied
from tests.conftest import PINS

from .conftest import Acct, approve, counts


def trainee_with_open_drawer(db: Database) -> Actor:
    """A trainee and an open drawer put straight into the tables: a production database set up
    before trainees were refused there (the domain itself no longer makes either)."""
    with db.write():
        db.insert("clerks", {"username": "terry", "full_name": "Terry Trainee", "role": "trainee",
                             "pin_hash": auth.hash_pin(PINS["trainee"]),
                             "created_at": clock.stamp()})
        db.insert("drawer_sessions", {"clerk": "terry", "workstation": "ws-test",
                                      "business_date": clock.today().isoformat(),
                                      "opened_at": clock.stamp(), "opening_bank_cents": 15000,
                                      "state": "open"})
    return auth.clerk_actor(db, "terry", "ws-test")


def test_a_trainee_moves_no_money_on_production(
        db: Database, account: Callable[..., Acct], supervisor: Actor) -> None:
    acct = account(5000)
    terry = trainee_with_open_drawer(db)
    before = counts(db)
    sessions = db.scalar("SELECT count(*) FROM drawer_sessions")
    with pytest.raises(PermissionDenied, match="Trainee clerks exist only in training"):
        post_payment(db, terry, new_idempotency_key(), [SaleItem("account", acct.number)],
                     [Tender("cash", 5000)])
    ok = approve(db, terry, supervisor, "drawer.paid_in", 1000)
    before = counts(db)  # the approval itself is audited
    with pytest.raises(PermissionDenied, match="moving money refused on a production"):
        paid_in(db, terry, 1000, "float top-up", override=ok)
    assert counts(db) == before
    with pytest.raises(PermissionDenied, match="closing a drawer refused"):
        submit_count(db, terry, DrawerCount({"hundreds": 1, "fifties": 1}))
    assert db.scalar("SELECT state FROM drawer_sessions WHERE clerk = 'terry'") == "open"
    assert db.scalar("SELECT count(*) FROM drawer_counts") == 0
    with db.write():  # that drawer long closed: would a new one open?
        db.execute("UPDATE drawer_sessions SET state = 'approved' WHERE clerk = 'terry'")
    with pytest.raises(PermissionDenied, match="opening a drawer refused"):
        open_session(db, terry)
    assert db.scalar("SELECT count(*) FROM drawer_sessions") == sessions
    assert counts(db) == before


@pytest.mark.parametrize("db_kind", ["training"])
def test_a_trainee_takes_practice_money_in_training(
        db: Database, make_clerk: Callable[..., Actor], account: Callable[..., Acct]) -> None:
    acct = account(5000)
    terry = make_clerk("trainee")
    open_session(db, terry)
    res = post_payment(db, terry, new_idempotency_key(), [SaleItem("account", acct.number)],
                       [Tender("cash", 5000)])
    assert res.receipt.total_cents == 5000 and res.receipt.training
