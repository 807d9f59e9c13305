"""Repossessions: CVC 28 notice times flagged; the $15 fee (Gov. Code 41612) is paid by the
debtor — refused from the repossession agency, and unpriceable until a payer is recorded."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from clerk_tui.db import Database
from clerk_tui.domain.actor import Actor
from clerk_tui.domain.cashier import SaleItem, Tender, new_idempotency_key, post_payment
from clerk_tui.domain.errors import PermissionDenied, StateError
from clerk_tui.domain.frontdesk import repos
from clerk_tui.domain.frontdesk.items import REPO
from clerk_tui.domain.frontdesk.reports import collections_report

T = dt.datetime(2026, 3, 2, 7, 0)


def _repo(db: Database, actor: Actor, **kw: object) -> repos.Repo:
    args = dict(agency="Golden State Recovery", debtor="Terry Vance", plate="6QRS321",
                vin="1N4AL3AP8JC123456", make="Nissan", repossessed_at=T,
                phone_notice_at=T + dt.timedelta(minutes=20))
    args.update(kw)
    return repos.intake(db, actor, **args)  # type: ignore[arg-type]


def _pay(db: Database, actor: Actor, repo: repos.Repo) -> int:
    return post_payment(db, actor, new_idempotency_key(), [SaleItem(REPO, repo.reference)],
                        [Tender("cash", 2000)], payer="Terry Vance").receipt.number


def test_the_agency_may_not_pay(db: Database, clerk_with_drawer: Callable[..., Actor]) -> None:
    clerk = clerk_with_drawer("csr1")
    repo = _repo(db, clerk)
    with pytest.raises(StateError, match="record who pays"):
        _pay(db, clerk, repo)  # no payer yet: the item cannot even be priced
    with pytest.raises(PermissionDenied, match="not by the repossession agency"):
        repos.record_payer(db, clerk, repo.id, "Jo Driver", "agency")
    with pytest.raises(PermissionDenied, match="not by the repossession agency"):
        repos.record_payer(db, clerk, repo.id, "golden state recovery", "other")
    assert repos.get(db, repo.id).payer is None
    repos.record_payer(db, clerk, repo.id, "Terry Vance", "debtor")
    number = _pay(db, clerk, repo)
    paid = repos.get(db, repo.id)
    assert paid.fee_receipt_id is not None and paid.payer == "Terry Vance (debtor)"
    row = db.one("SELECT amount_cents, fund, gl_code FROM receipt_items WHERE receipt_id = "
                 "(SELECT id FROM receipts WHERE number = ?)", [number])
    assert row == {"amount_cents": 1500, "fund": "100", "gl_code": "100-4435"}
    with pytest.raises(StateError, match="paid already"):
        _pay(db, clerk, repo)
    with pytest.raises(StateError, match="paid already"):
        repos.record_payer(db, clerk, repo.id, "Someone", "other")
    assert "Repossession fees" in collections_report(db) and "$15.00" in collections_report(db)


def test_late_notices_are_flagged_not_refused(db: Database, make_clerk: Callable[..., Actor]
                                              ) -> None:
    clerk = make_clerk("csr1")
    on_time = _repo(db, clerk, written_notice_at=T + dt.timedelta(days=1))
    assert on_time.late_notices() == []
    late = _repo(db, clerk, plate="4TUV654", phone_notice_at=T + dt.timedelta(minutes=61),
                 written_notice_at=dt.datetime(2026, 3, 4, 9, 0))
    assert late.late_notices() == ["phone notice after 60 minutes",
                                   "written notice after 1 business day(s)"]
    assert "LATE" in repos.format_list(repos.recent(db))


def test_notice_before_the_repossession_is_refused(db: Database,
                                                   make_clerk: Callable[..., Actor]) -> None:
    clerk = make_clerk("csr1")
    with pytest.raises(Exception, match="cannot come before"):
        _repo(db, clerk, phone_notice_at=T - dt.timedelta(minutes=5))
    assert db.scalar("SELECT count(*) FROM fd_repossessions") == 0
