"""Notices, reviews, hearings (with the trust deposit and its refund), appeals: the deadlines
of CVC 40215/40230 at their boundaries, the supervisor override for a late review."""

from __future__ import annotations

import datetime as dt

import pytest

from clerk_tui.domain import clock
from clerk_tui.domain.cashier import SaleItem, Tender, new_idempotency_key, post_payment
from clerk_tui.domain.citations import contest, notices, store
from clerk_tui.domain.errors import OverrideRequired, StateError, ValidationError
from tests.domain.citations.conftest import approve, book_total, keyed, later


def owner(db, clerk, plate="7ABC123", name="SMITH, JOHN") -> None:
    from clerk_tui.domain import audit
    from clerk_tui.domain.citations.imports import name_key

    with db.write():
        db.insert("citation_owners", {"plate": plate, "state": "CA", "name": name,
                                      "name_key": name_key(name), "address": "1 Elm St",
                                      "responded_on": "2026-02-01", "import_id": None,
                                      "at": clock.stamp()})
        audit.record(db, clerk, "test.owner", plate)


def test_notice_after_21_days_to_the_owner_once(db, make_clerk) -> None:
    clerk = make_clerk("csr3")
    day21 = keyed(db, clerk, 1, issued="2026-02-09 09:00")  # today (03-02) is day 21
    day22 = keyed(db, clerk, 2, issued="2026-02-08 09:00")
    nobody = keyed(db, clerk, 3, issued="2026-01-08 09:00", plate="NOOWNER")
    owner(db, clerk)
    run = notices.send_notices(db, clerk)
    assert run.sent == [day22] and run.no_owner == [nobody]
    assert "NOTICE OF DELINQUENT" in run.text and "SMITH, JOHN" in run.text
    assert store.get_citation(db, day22).due.notice_on == dt.date(2026, 3, 2)
    assert notices.send_notices(db, clerk).sent == []
    assert day21 not in run.sent


def test_review_deadline_and_late_override(db, make_clerk, supervisor) -> None:
    clerk = make_clerk("csr1")
    ok = keyed(db, clerk, 4, issued="2026-02-09 09:00")     # day 21: in time
    late = keyed(db, clerk, 5, issued="2026-02-06 09:00")   # day 24, Friday+21 = Fri 02-27
    assert contest.request_review(db, clerk, ok).override_by is None
    with pytest.raises(ValidationError, match="needs a reason"):
        contest.request_review(db, clerk, late)
    with pytest.raises(OverrideRequired):
        contest.request_review(db, clerk, late, "was in hospital")
    o = approve(db, clerk, supervisor, "citation.late_review")
    done = contest.request_review(db, clerk, late, "was in hospital", override=o)
    assert done.override_by == "sup"
    assert store.get_citation(db, late).due.status == "review"
    with pytest.raises(StateError, match="already"):
        contest.request_review(db, clerk, ok)


def test_review_freezes_then_result_letter_and_hearing_deadline(db, make_clerk) -> None:
    clerk = make_clerk("csr2")
    owner(db, clerk)
    n = keyed(db, clerk, 6, issued="2026-02-20 09:00")
    contest.request_review(db, clerk, n)
    with later(dt.datetime(2026, 4, 30, 10, 0)):
        assert store.get_citation(db, n).due.due_cents == 5500  # frozen, no penalty
        done = contest.record_review_result(db, clerk, n, "upheld", "sign was posted")
        assert "ADMINISTRATIVE REVIEW RESULT" in done.letter and "SMITH, JOHN" in done.letter
        d = store.get_citation(db, n).due
        assert d.deadlines["hearing_by"] == dt.date(2026, 5, 21)
        # 21-day clock: 2026-02-20 + 21 = 03-13; 10 days had passed, 11 are left after 04-30
        assert d.due_cents == 5500
    with later(dt.datetime(2026, 5, 12, 10, 0)):
        assert store.get_citation(db, n).due.due_cents == 11000


def test_reduce_over_the_limit_needs_a_supervisor(db, make_clerk, supervisor) -> None:
    clerk = make_clerk("csr2")
    n = keyed(db, clerk, 7, issued="2026-02-20 09:00", code="22507.8")  # $350
    contest.request_review(db, clerk, n)
    with pytest.raises(OverrideRequired):
        contest.record_review_result(db, clerk, n, "DISMISSED", "placard shown")
    contest.record_review_result(db, clerk, n, "REDUCED", "partial", amount_cents=30000)
    assert store.get_citation(db, n).due.due_cents == 30000


def test_hearing_with_deposit_dismissed_and_refunded(db, clerk_with_drawer, supervisor) -> None:
    clerk = clerk_with_drawer("csr2")
    n = keyed(db, clerk, 8, issued="2026-02-20 09:00")
    contest.request_review(db, clerk, n)
    contest.record_review_result(db, clerk, n, "UPHELD", "sign posted")
    with pytest.raises(ValidationError, match="deposit"):
        contest.request_hearing(db, clerk, n, inability=False)
    trust = book_total(db, "trust")
    post_payment(db, clerk, new_idempotency_key(), [SaleItem("citation_deposit", n)],
                 [Tender("cash", 5500)])
    assert book_total(db, "trust") == trust - 5500
    assert store.get_citation(db, n).due.status == "hearing"
    with pytest.raises(StateError, match="not dismissed"):
        contest.refund_deposit(db, clerk, n)
    contest.record_hearing_result(db, clerk, n, "DISMISSED", "officer did not appear")
    done = contest.refund_deposit(db, clerk, n)
    assert "refunded" in done.message and book_total(db, "trust") == trust
    with pytest.raises(StateError, match="no hearing deposit"):
        contest.refund_deposit(db, clerk, n)


def test_hearing_upheld_applies_the_deposit(db, clerk_with_drawer) -> None:
    clerk = clerk_with_drawer("csr2")
    n = keyed(db, clerk, 9, issued="2026-02-20 09:00")
    contest.request_review(db, clerk, n)
    contest.record_review_result(db, clerk, n, "UPHELD", "sign posted")
    post_payment(db, clerk, new_idempotency_key(), [SaleItem("citation_deposit", n)],
                 [Tender("cash", 5500)])
    contest.record_hearing_result(db, clerk, n, "UPHELD", "sign posted")
    assert store.get_citation(db, n).due.status == "paid"


def test_hearing_late_and_inability_and_appeal_window(db, make_clerk) -> None:
    clerk = make_clerk("csr2")
    n = keyed(db, clerk, 10, issued="2026-02-20 09:00")
    contest.request_review(db, clerk, n)
    contest.record_review_result(db, clerk, n, "UPHELD", "sign posted")
    with later(dt.datetime(2026, 3, 24, 9, 0)), \
            pytest.raises(ValidationError, match="hearing deadline was 2026-03-23"):
        contest.request_hearing(db, clerk, n, inability=True)  # review 03-02 + 21 = 03-23
    contest.request_hearing(db, clerk, n, inability=True)
    contest.record_hearing_result(db, clerk, n, "UPHELD", "sign posted")
    with later(dt.datetime(2026, 4, 10, 9, 0)):
        with pytest.raises(ValidationError, match="appeal deadline was 2026-04-01"):
            contest.record_appeal(db, clerk, n, dt.date(2026, 4, 2))
        contest.record_appeal(db, clerk, n, dt.date(2026, 4, 1))
        contest.record_appeal_result(db, clerk, n, "DISMISSED", "court")
        assert store.get_citation(db, n).due.status == "dismissed"


def test_no_deposit_after_the_hearing_deadline(db, clerk_with_drawer) -> None:
    clerk = clerk_with_drawer("csr2")
    n = keyed(db, clerk, 11, issued="2026-02-20 09:00")
    contest.request_review(db, clerk, n)
    contest.record_review_result(db, clerk, n, "UPHELD", "sign posted")
    from clerk_tui.domain.cashier import quote_item

    # the last day: the deposit is the amount due then (late penalty included)
    assert quote_item(db, "citation_deposit", n, dt.date(2026, 3, 23)).default_amount_cents \
        == 11000
    with pytest.raises(ValidationError, match="hearing deadline was 2026-03-23"):
        quote_item(db, "citation_deposit", n, dt.date(2026, 3, 24))
