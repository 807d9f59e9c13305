"""Special-event and nonprofit permits: fee by days or waived with proof, sign-offs (police
above the attendance threshold), issue only when signed off, insured and paid; the deposit in
trust, refunded after the close-out within the role's refund limit (override above it), or
forfeited to revenue; once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from clerk_tui.db import Database
from clerk_tui.domain import clock
from clerk_tui.domain.actor import Actor
from clerk_tui.domain.cashier import Tender, new_idempotency_key, post_payment
from clerk_tui.domain.errors import OverrideRequired, PermissionDenied, StateError, ValidationError
from clerk_tui.domain.licenses import events
from clerk_tui.domain.licenses.events import EventApplication
from clerk_tui.domain.licenses.items import event_sale_items
from tests.domain.cashier.conftest import approve

DAY = dt.date(2026, 4, 10)


def fair(**kw: object) -> EventApplication:
    base = dict(organiser="Downtown Lions Club", event_name="Spring Fair", place="Main St",
                starts_on=DAY, ends_on=DAY + dt.timedelta(days=1), attendance=300,
                insurance_expires_on=dt.date(2026, 12, 31))
    base.update(kw)
    return EventApplication(**base)  # type: ignore[arg-type]


def _pay(db: Database, clerk: Actor, number: str) -> None:
    items = event_sale_items(db, number)
    p = events.get_permit(db, number)
    post_payment(db, clerk, new_idempotency_key(), items,
                 [Tender("cash", sum(p.owed.values()))])


def test_fee_signoffs_and_validation(db: Database, make_clerk: Callable[..., Actor]) -> None:
    clerk = make_clerk("csr2")
    p = events.apply_event(db, clerk, fair())
    assert p.fee_cents == 17000 and p.deposit_cents == 25000  # 2 days x $85; $250 deposit
    assert [s.department for s in p.signoffs] == ["fire", "planning"]
    big = events.apply_event(db, clerk, fair(attendance=800))
    assert [s.department for s in big.signoffs] == ["fire", "planning", "police"]
    np = events.apply_event(db, clerk, fair(nonprofit=True, nonprofit_proof="EIN 94-1234567"))
    assert np.fee_cents == 0 and np.deposit_cents == 25000
    with pytest.raises(ValidationError, match="proof"):
        events.apply_event(db, clerk, fair(nonprofit=True))
    with pytest.raises(ValidationError, match="insurance"):
        events.apply_event(db, clerk, fair(insurance_expires_on=DAY))
    with pytest.raises(ValidationError, match="past"):
        events.apply_event(db, clerk, fair(starts_on=dt.date(2026, 1, 1)))
    with pytest.raises(ValidationError, match="before it starts"):
        events.apply_event(db, clerk, fair(ends_on=DAY - dt.timedelta(days=1)))
    with pytest.raises(PermissionDenied):
        events.sign_off(db, clerk, p.signoffs[0].id, "approved")
    denied = events.sign_off(db, make_clerk("csr3"), p.signoffs[0].id, "denied", "no exits")
    assert denied.status == "denied"


def test_issue_refund_once_within_limits(db: Database, clerk_with_drawer: Callable[..., Actor],
                                         make_clerk: Callable[..., Actor],
                                         supervisor: Actor) -> None:
    clerk = clerk_with_drawer("csr2")
    reviewer = make_clerk("csr3")
    p = events.apply_event(db, clerk, fair())
    for s in p.signoffs:
        events.sign_off(db, reviewer, s.id, "approved")
    with pytest.raises(StateError, match="Not paid"):
        events.issue_permit(db, clerk, p.number)
    _pay(db, clerk, p.number)
    trust = db.scalar("SELECT sum(amount_cents) FROM ledger_entries WHERE book = 'trust' AND "
                      "gl_code = '810-2240'")
    assert trust == -25000  # the deposit is held in trust
    p = events.issue_permit(db, clerk, p.number)
    assert p.status == "issued"
    with pytest.raises(StateError, match="afterwards"):
        events.close_out(db, reviewer, p.number, True)
    with clock.frozen(dt.datetime(2026, 4, 13, 9, 0)):
        with pytest.raises(StateError, match="Close the event out"):
            events.return_deposit(db, clerk, p.number, "check")
        events.close_out(db, reviewer, p.number, True)
        with pytest.raises(StateError, match="refund"):
            events.return_deposit(db, clerk, p.number, "forfeit")
        # $250 is over a CSR II's $100 refund limit: a supervisor's override
        with pytest.raises(OverrideRequired):
            events.return_deposit(db, clerk, p.number, "check")
        ok = approve(db, clerk, supervisor, "license.refund", 25000, "refund")
        done = events.return_deposit(db, clerk, p.number, "check", override=ok)
        assert done.deposit_returned == "check"
        with pytest.raises(StateError, match="already"):
            events.return_deposit(db, clerk, p.number, "check", override=ok)
    trust = db.scalar("SELECT sum(amount_cents) FROM ledger_entries WHERE book = 'trust' AND "
                      "gl_code = '810-2240'")
    assert trust == 0
    assert db.scalar("SELECT override_by FROM event_deposit_returns") == "sup"


def test_forfeit_moves_trust_to_revenue(db: Database, clerk_with_drawer: Callable[..., Actor],
                                        make_clerk: Callable[..., Actor]) -> None:
    clerk = clerk_with_drawer("csr2")
    reviewer = make_clerk("csr3")
    p = events.apply_event(db, clerk, fair(nonprofit=True, nonprofit_proof="501c3 letter"))
    for s in p.signoffs:
        events.sign_off(db, reviewer, s.id, "approved")
    _pay(db, clerk, p.number)
    events.issue_permit(db, clerk, p.number)
    with clock.frozen(dt.datetime(2026, 4, 20, 9, 0)):
        with pytest.raises(ValidationError, match="Note is required"):
            events.close_out(db, reviewer, p.number, False)
        events.close_out(db, reviewer, p.number, False, "litter on Main St")
        events.return_deposit(db, clerk, p.number, "forfeit")
    assert db.scalar("SELECT sum(amount_cents) FROM ledger_entries WHERE book = 'revenue' AND "
                     "gl_code = '100-4221'") == -25000
