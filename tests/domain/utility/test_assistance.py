"""Assistance applications (take csr1+, approve/deny csr3+, never by the taker, income limits by
household size from data) and medical certifications (180 days by default)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from clerk_tui.db import Database
from clerk_tui.domain.actor import Actor
from clerk_tui.domain.errors import PermissionDenied, StateError, ValidationError
from clerk_tui.domain.utility import assistance as aid
from tests.domain.utility.adjust_support import open_account, snapshot

pytestmark = pytest.mark.usefixtures("pinned_day")


def test_income_limits_by_household_size_from_data() -> None:
    lifeline = aid.rules().program("lifeline")
    assert lifeline.income_limit(1) == 3_120_000
    assert lifeline.income_limit(8) == 10_830_000
    assert lifeline.income_limit(10) == 10_830_000 + 2 * 1_100_000


def test_take_then_another_csr3_approves_and_billing_sees_it(
        db: Database, make_clerk: Callable[..., Actor]) -> None:
    csr1 = make_clerk("csr1")
    csr3 = make_clerk("csr3")
    account = open_account(db)
    e = aid.take(db, csr1, account.id, "lifeline", household_size="3",
                 annual_income="$41,000.00", note="pay stubs seen")
    assert (e.status, e.annual_income_cents, e.income_limit_cents, e.over_limit) == (
        "pending", 4_100_000, 5_330_000, False)
    assert [p.id for p in aid.pending(db)] == [e.id]
    assert aid.active_enrollments(db, account.id) == []
    with pytest.raises(PermissionDenied):
        aid.approve(db, csr1, e.id)
    done = aid.approve(db, csr3, e.id)
    assert (done.status, done.decided_by, done.decided_on, done.expires_on) == (
        "approved", "csr3", "2026-03-02", "2027-03-01")
    assert [x.program for x in aid.active_enrollments(db, account.id)] == ["lifeline"]
    assert [x.program for x in aid.active_enrollments(db, account.id, dt.date(2027, 3, 1))
            ] == ["lifeline"]  # expires_on is the last day covered
    assert aid.active_enrollments(db, account.id, dt.date(2027, 3, 2)) == []
    assert aid.pending(db) == []
    with pytest.raises(StateError, match="already approved"):
        aid.approve(db, csr3, e.id)
    with pytest.raises(StateError, match="approved until 2027-03-01"):
        aid.take(db, csr1, account.id, "lifeline", household_size=3, annual_income=0)
    rows = db.all("SELECT action, clerk FROM audit_log WHERE action LIKE 'assistance.%' "
                  "ORDER BY seq")
    assert rows == [{"action": "assistance.take", "clerk": "csr1"},
                    {"action": "assistance.approve", "clerk": "csr3"}]


def test_the_clerk_who_took_it_may_not_approve_it(
        db: Database, make_clerk: Callable[..., Actor]) -> None:
    csr3 = make_clerk("csr3")
    account = open_account(db)
    e = aid.take(db, csr3, account.id, "senior", household_size=1, annual_income="100")
    before = snapshot(db)
    with pytest.raises(PermissionDenied, match="You took this application"):
        aid.approve(db, csr3, e.id)
    assert snapshot(db) == before
    assert aid.get_enrollment(db, e.id).status == "pending"


def test_over_limit_lifeline_is_taken_but_only_denied(
        db: Database, make_clerk: Callable[..., Actor]) -> None:
    csr1 = make_clerk("csr1")
    sup = make_clerk("supervisor")
    account = open_account(db)
    e = aid.take(db, csr1, account.id, "lifeline", household_size=1,
                 annual_income="31200.01")
    assert e.over_limit and e.status == "pending"
    before = snapshot(db)
    with pytest.raises(ValidationError, match="cannot be approved; deny it"):
        aid.approve(db, sup, e.id, accept_over_limit=True, note="please")
    assert snapshot(db) == before
    with pytest.raises(ValidationError, match="Reason is required"):
        aid.deny(db, sup, e.id, reason="  ")
    denied = aid.deny(db, sup, e.id, reason="income over the limit")
    assert denied.status == "denied" and "denied: income over the limit" in denied.note
    # exactly at the limit is within it
    again = aid.take(db, csr1, account.id, "lifeline", household_size=1,
                     annual_income="31200.00")
    assert not again.over_limit


def test_over_limit_senior_warns_then_needs_a_reason(
        db: Database, make_clerk: Callable[..., Actor]) -> None:
    csr1 = make_clerk("csr1")
    csr3 = make_clerk("csr3")
    account = open_account(db)
    e = aid.take(db, csr1, account.id, "senior", household_size=2, annual_income="60000.01")
    with pytest.raises(aid.OverIncomeLimit, match="Approve anyway"):
        aid.approve(db, csr3, e.id)
    with pytest.raises(ValidationError, match="say why"):
        aid.approve(db, csr3, e.id, accept_over_limit=True)
    done = aid.approve(db, csr3, e.id, accept_over_limit=True, note="medical expenses")
    assert done.status == "approved" and done.expires_on == "2028-03-01"
    assert "medical expenses" in done.note


@pytest.mark.parametrize(("size", "income", "message"), [
    ("0", "100", "1 to 20"), ("21", "100", "1 to 20"), ("two", "100", "household size"),
    ("2.5", "100", "household size"), ("2", "1e3", "not an amount"),
    ("2", "-5", "negative"), ("2", "12.345", "decimal places"), ("2", "", "Enter an amount"),
])
def test_take_validates_household_and_income(db: Database, make_clerk: Callable[..., Actor],
                                             size: str, income: str, message: str) -> None:
    csr1 = make_clerk("csr1")
    account = open_account(db)
    before = snapshot(db)
    with pytest.raises(ValidationError, match=message):
        aid.take(db, csr1, account.id, "lifeline", household_size=size, annual_income=income)
    assert snapshot(db) == before


@pytest.mark.parametrize("db_kind", ["training"])  # trainees: training only
def test_trainee_may_not_take_and_unknown_program_refused(
        db: Database, make_clerk: Callable[..., Actor]) -> None:
    trainee = make_clerk("trainee")
    csr1 = make_clerk("csr1")
    account = open_account(db)
    with pytest.raises(PermissionDenied):
        aid.take(db, trainee, account.id, "lifeline", household_size=1, annual_income=0)
    with pytest.raises(ValidationError, match="not an assistance programme"):
        aid.take(db, csr1, account.id, "platinum", household_size=1, annual_income=0)


def test_end_needs_the_approvers_permission_and_stops_the_discount(
        db: Database, make_clerk: Callable[..., Actor]) -> None:
    csr1 = make_clerk("csr1")
    csr3 = make_clerk("csr3")
    account = open_account(db)
    e = aid.approve(db, csr3, aid.take(db, csr1, account.id, "lifeline", household_size=2,
                                       annual_income="20000").id)
    with pytest.raises(PermissionDenied):
        aid.end(db, csr1, e.id, reason="moved")
    ended = aid.end(db, csr3, e.id, reason="moved out")
    assert (ended.status, ended.expires_on) == ("ended", "2026-03-01")
    assert aid.active_enrollments(db, account.id) == []
    pending = aid.take(db, csr1, account.id, "lifeline", household_size=2, annual_income="1")
    assert aid.end(db, csr1, pending.id, reason="withdrawn").status == "ended"


# ---- medical certifications ------------------------------------------------------------------
def test_medical_certification_runs_180_days_by_default(
        db: Database, make_clerk: Callable[..., Actor]) -> None:
    csr1 = make_clerk("csr1")
    account = open_account(db)
    assert aid.current_certification(db, account.id) is None
    cert = aid.record_certification(db, csr1, account.id, received_on="2026-02-20",
                                    note="Dr. letter")
    assert (cert.received_on, cert.expires_on) == ("2026-02-20", "2026-08-19")
    assert aid.current_certification(db, account.id, dt.date(2026, 8, 19)) == cert
    assert aid.current_certification(db, account.id, dt.date(2026, 8, 20)) is None
    assert db.scalar("SELECT count(*) FROM audit_log WHERE action = 'medical.record'") == 1


@pytest.mark.parametrize(("received", "expires", "message"), [
    ("2026-03-03", None, "future"),
    ("2026-01-01", None, "more than 30 days ago"),
    ("2026-03-02", "2026-03-02", "after the day it was received"),
    ("2026-03-02", "2027-03-03", "at most 365 days"),
    ("03/02/2026", None, "YYYY-MM-DD"),
])
def test_medical_certification_dates_checked(db: Database, make_clerk: Callable[..., Actor],
                                             received: str, expires: str | None,
                                             message: str) -> None:
    csr1 = make_clerk("csr1")
    account = open_account(db)
    before = snapshot(db)
    with pytest.raises(ValidationError, match=message):
        aid.record_certification(db, csr1, account.id, received_on=received,
                                 expires_on=expires)
    assert snapshot(db) == before


@pytest.mark.parametrize("db_kind", ["training"])  # trainees: training only
def test_trainee_may_not_record_a_certification(db: Database,
                                                make_clerk: Callable[..., Actor]) -> None:
    trainee = make_clerk("trainee")
    account = open_account(db)
    with pytest.raises(PermissionDenied):
        aid.record_certification(db, trainee, account.id)
