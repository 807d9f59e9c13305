"""Payment plans: exact installment arithmetic, month ends, role limits, default after grace."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from clerk_tui.db import Database
from clerk_tui.domain import audit, auth
from clerk_tui.domain.accounts import load_account
from clerk_tui.domain.actor import Actor
from clerk_tui.domain.errors import (
    OverrideRequired,
    PermissionDenied,
    StateError,
    ValidationError,
)
from clerk_tui.domain.utility import letters, plans
from clerk_tui.domain.utility.plans import add_months, installment_schedule
from tests.conftest import PINS
from tests.domain.utility.collections_support import bill, open_account, pay

D = dt.date.fromisoformat


pytestmark = pytest.mark.usefixtures("pinned_day")


def test_installments_sum_exactly_with_the_remainder_on_the_last() -> None:
    sched = installment_schedule(10_000, 3, D("2026-03-02"))
    assert [i.amount_cents for i in sched] == [3333, 3333, 3334]
    assert sum(i.amount_cents for i in sched) == 10_000
    for amount in (1, 7, 99, 100, 12_345, 999_999):
        for n in range(1, min(amount, 12) + 1):
            s = installment_schedule(amount, n, D("2026-01-31"))
            assert sum(i.amount_cents for i in s) == amount
            assert len({i.amount_cents for i in s[:-1]}) <= 1
            assert s[-1].amount_cents >= s[0].amount_cents
    with pytest.raises(ValidationError):
        installment_schedule(2, 3, D("2026-03-02"))
    with pytest.raises(ValidationError):
        installment_schedule(0, 1, D("2026-03-02"))


def test_due_dates_keep_the_day_and_clamp_at_month_end() -> None:
    sched = installment_schedule(600, 6, D("2026-01-31"))
    assert [i.due_on for i in sched] == ["2026-01-31", "2026-02-28", "2026-03-31",
                                         "2026-04-30", "2026-05-31", "2026-06-30"]
    leap = installment_schedule(300, 3, D("2027-12-29"))
    assert [i.due_on for i in leap] == ["2027-12-29", "2028-01-29", "2028-02-29"]
    assert add_months(D("2026-11-30"), 3) == D("2027-02-28")


def test_create_plan_posts_schedule_letter_and_audit(db: Database,
                                                     make_clerk: Callable[..., Actor]) -> None:
    clerk = make_clerk("csr2")
    acct = open_account(db)
    bill(db, acct.id, 30_000, "2026-01-01")
    before = audit.verify(db).rows
    plan = plans.create_plan(db, clerk, acct.id, amount_cents=30_000, installments=4)
    assert plan.status == "active" and plan.grace_days == 10
    assert [(i.due_on, i.amount_cents) for i in plan.installments] == [
        ("2026-03-02", 7500), ("2026-04-02", 7500), ("2026-05-02", 7500), ("2026-06-02", 7500)]
    assert plans.active_plan(db, acct.id) == plan
    assert audit.verify(db).rows == before + 2  # the plan and its agreement letter
    (agreement,) = letters.letters_for(db, acct.id)
    assert agreement.kind == "plan_agreement"
    assert "$300.00" in agreement.body and "June 2, 2026" in agreement.body
    alerts = {a.code: a.message for a in load_account(db, acct.id).alerts}
    assert alerts["payment_plan"] == "Payment plan: $75.00 due 2026-03-02."
    with pytest.raises(StateError, match="already has an active"):
        plans.create_plan(db, clerk, acct.id, amount_cents=100, installments=1)


def test_plan_limits_by_role_and_override(db: Database,
                                          make_clerk: Callable[..., Actor]) -> None:
    csr1, csr2, csr3 = make_clerk("csr1"), make_clerk("csr2"), make_clerk("csr3")
    acct = open_account(db)
    bill(db, acct.id, 300_000, "2026-01-01")
    with pytest.raises(PermissionDenied):
        plans.create_plan(db, csr1, acct.id, amount_cents=10_000, installments=2)
    with pytest.raises(OverrideRequired) as need:
        plans.create_plan(db, csr2, acct.id, amount_cents=50_001, installments=2)
    assert need.value.limit == "payment_plan"
    with pytest.raises(OverrideRequired):
        plans.create_plan(db, csr3, acct.id, amount_cents=200_001, installments=12)
    assert plans.plans_for(db, acct.id) == []  # refusals change nothing
    make_clerk("supervisor", "boss")
    approval = auth.authorize_override(db, csr2, "boss", PINS["supervisor"],
                                       "payment_plan.create", amount_cents=50_001,
                                       limit="payment_plan")
    plan = plans.create_plan(db, csr2, acct.id, amount_cents=50_001, installments=2,
                             override=approval)
    assert plan.override_by == "boss"


def test_plan_rules_refuse_bad_terms(db: Database, make_clerk: Callable[..., Actor]) -> None:
    clerk = make_clerk("csr3")
    acct = open_account(db)
    bill(db, acct.id, 10_000, "2026-01-01")
    with pytest.raises(ValidationError, match="1 to 12"):
        plans.create_plan(db, clerk, acct.id, amount_cents=10_000, installments=13)
    with pytest.raises(ValidationError, match="more than the balance"):
        plans.create_plan(db, clerk, acct.id, amount_cents=10_001, installments=2)
    with pytest.raises(ValidationError, match="at least \\$5.00"):
        plans.create_plan(db, clerk, acct.id, amount_cents=4_000, installments=10)
    with pytest.raises(ValidationError, match="first installment"):
        plans.create_plan(db, clerk, acct.id, amount_cents=10_000, installments=2,
                          first_due=D("2026-05-01"))
    with pytest.raises(ValidationError, match="pay-by"):
        plans.create_extension(db, clerk, acct.id, amount_cents=10_000, pay_by=D("2026-05-02"))
    assert plans.plans_for(db, acct.id) == []


def test_plan_breaks_after_grace_not_before(db: Database,
                                            make_clerk: Callable[..., Actor]) -> None:
    clerk = make_clerk("csr3")
    acct = open_account(db)
    bill(db, acct.id, 20_000, "2026-01-01")
    plan = plans.create_plan(db, clerk, acct.id, amount_cents=20_000, installments=2)
    pay(db, acct.id, 10_000, "2026-03-02")  # first installment on time
    # Second installment due 2026-04-02; grace 10 days: still fine on 04-12.
    assert plans.review_plans(db, clerk, D("2026-04-12")) == []
    assert plans.standing(db, plan, D("2026-04-12")).behind_cents == 10_000
    (change,) = plans.review_plans(db, clerk, D("2026-04-13"))
    assert change.plan.status == "broken"
    assert "due 2026-04-02" in (change.plan.end_reason or "")
    assert plans.active_plan(db, acct.id) is None
    assert plans.review_plans(db, clerk, D("2026-04-14")) == []


def test_paying_ahead_covers_later_installments_and_completes(
        db: Database, make_clerk: Callable[..., Actor]) -> None:
    clerk = make_clerk("csr3")
    acct = open_account(db)
    bill(db, acct.id, 30_000, "2026-01-01")
    plan = plans.create_plan(db, clerk, acct.id, amount_cents=30_000, installments=3)
    pay(db, acct.id, 20_000, "2026-03-02")
    st = plans.standing(db, plan, D("2026-04-20"))
    assert st.behind_cents == 0 and st.next_due is not None and st.next_due.seq == 3
    assert plans.review_plans(db, clerk, D("2026-04-20")) == []
    pay(db, acct.id, 10_000, "2026-04-21")
    (change,) = plans.review_plans(db, clerk, D("2026-04-21"))
    assert change.plan.status == "completed"


def test_extension_is_one_installment(db: Database, make_clerk: Callable[..., Actor]) -> None:
    clerk = make_clerk("csr2")
    acct = open_account(db)
    bill(db, acct.id, 8_000, "2026-01-01")
    ext = plans.create_extension(db, clerk, acct.id, amount_cents=8_000,
                                 pay_by=D("2026-03-20"))
    assert ext.kind == "extension" and ext.label == "Extension"
    assert [(i.due_on, i.amount_cents) for i in ext.installments] == [("2026-03-20", 8_000)]
    assert plans.review_plans(db, clerk, D("2026-03-30")) == []
    (change,) = plans.review_plans(db, clerk, D("2026-03-31"))
    assert change.plan.status == "broken"


def test_cancel_needs_a_reason(db: Database, make_clerk: Callable[..., Actor]) -> None:
    clerk = make_clerk("csr2")
    acct = open_account(db)
    bill(db, acct.id, 8_000, "2026-01-01")
    plan = plans.create_plan(db, clerk, acct.id, amount_cents=8_000, installments=2)
    with pytest.raises(ValidationError):
        plans.cancel_plan(db, clerk, plan.id, "  ")
    done = plans.cancel_plan(db, clerk, plan.id, "customer paid elsewhere")
    assert done.status == "cancelled" and done.end_reason == "customer paid elsewhere"
    with pytest.raises(StateError):
        plans.cancel_plan(db, clerk, plan.id, "again")
