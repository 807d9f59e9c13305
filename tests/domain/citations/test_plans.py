"""CVC 40220 plans: eligibility, the monthly cap by total, the months limit, the fee cap,
penalties waived and reinstated, holds released, the one 45-day cure and default."""

from __future__ import annotations

import datetime as dt

import pytest

from clerk_tui.domain.citations import plans, store
from clerk_tui.domain.citations.rules import citation_rules
from clerk_tui.domain.errors import ValidationError
from tests.domain.citations.conftest import hold, keyed

R = citation_rules().plans(dt.date(2026, 3, 2))
E = dt.date(2026, 1, 10)


def test_monthly_cap_by_total_and_months_limit() -> None:
    assert plans.terms(50000, R).max_monthly_cents == 2500    # $500: small
    assert plans.terms(50001, R).max_monthly_cents == 5000    # $500.01: large
    t = plans.terms(10000, R)
    assert (t.monthly_cents, t.months, t.fee_cents) == (2500, 5, 500)  # $105 / $25 = 5
    with pytest.raises(ValidationError, match="At most \\$25.00"):
        plans.terms(10000, R, 2501)
    assert plans.terms(59500, R, 2500).months == 24          # $600 / $25 = 24
    with pytest.raises(ValidationError, match="within 24"):
        plans.terms(59600, R, 2500)                          # $601 / $25 = 25 months


def test_fee_is_capped_by_the_data() -> None:
    assert R.fee_cents <= R.fee_cap_cents == 500


@pytest.mark.parametrize("household,income,ok", [
    (1, 1995000, True),    # 125% of $15,960 = $19,950.00
    (1, 1995001, False),
    (3, 3415000, True),    # 125% of $27,320 = $34,150.00
    (3, 3415001, False),
])
def test_income_eligibility_at_125_percent(household: int, income: int, ok: bool) -> None:
    on = dt.date(2026, 3, 2)
    if ok:
        plans.eligible("income", household, income, on)
    else:
        with pytest.raises(ValidationError, match="over 125%"):
            plans.eligible("income", household, income, on)
    plans.eligible("benefits", household, None, on)


def _t() -> plans.Terms:
    return plans.Terms(10000, 500, 2500, 5, 2500)


def test_current_missed_cure_and_default_boundaries() -> None:
    due1 = dt.date(2026, 2, 10)
    on_time = [(due1, 2500)]
    assert plans.plan_state(E, _t(), on_time, due1, R) == ("current", None)
    cure_end = due1 + dt.timedelta(days=45)
    assert plans.plan_state(E, _t(), [], due1, R) == ("cure", cure_end)
    assert plans.plan_state(E, _t(), [], cure_end, R) == ("cure", cure_end)
    assert plans.plan_state(E, _t(), [], cure_end + dt.timedelta(days=1), R)[0] == "default"
    caught_up = [(dt.date(2026, 3, 9), 5000)]  # the missed one and the next, in the cure
    assert plans.plan_state(E, _t(), caught_up, cure_end + dt.timedelta(days=1), R)[0] \
        == "current"
    # the one cure is used: the next miss is a default at once
    assert plans.plan_state(E, _t(), caught_up, dt.date(2026, 4, 11), R) == \
        ("default", dt.date(2026, 4, 11))
    assert plans.plan_state(E, _t(), [(due1, 10500)], dt.date(2026, 9, 1), R)[0] == "complete"


def test_enrolment_waives_penalties_releases_holds_and_default_reinstates(
        db, make_clerk) -> None:
    clerk = make_clerk("csr2")
    a = keyed(db, clerk, 1, issued="2025-12-01 09:00")   # $55 + $55 late
    b = keyed(db, clerk, 2, issued="2025-12-02 09:00")
    hold(db, clerk, a, dt.date(2026, 2, 1))
    made = plans.create_plan(db, clerk, "7ABC123", "CA", "Pat Doe", "benefits", 2)
    assert made.terms.total_cents == 11000 and made.released == 1
    for n in (a, b):
        d = store.get_citation(db, n).due
        assert d.status == "plan" and not d.held
    # penalties waived; the $5 processing fee rides on the first citation
    assert [store.get_citation(db, n).due.due_cents for n in (b, a)] == [5500 + 500, 5500]
    # first installment 04-02 missed: the cure runs to 05-17, default from 05-18
    assert plans.check_plans(db, clerk, dt.date(2026, 5, 17)) == []
    assert plans.check_plans(db, clerk, dt.date(2026, 5, 18)) == [made.id]
    d = store.get_citation(db, a, dt.date(2026, 5, 18)).due
    assert d.status != "plan" and d.penalty_cents > 0


def test_a_plan_protects_from_notices_and_holds(db, make_clerk) -> None:
    from clerk_tui.domain.citations import dmv, notices
    from tests.domain.citations.test_contest import owner

    clerk = make_clerk("csr3")
    owner(db, clerk)
    n = keyed(db, clerk, 3, issued="2026-01-05 09:00")
    plans.create_plan(db, clerk, "7ABC123", "CA", "Pat Doe", "benefits", 1)
    assert notices.send_notices(db, clerk).sent == []
    row = store.get_row(db, n)
    with db.write():
        store.add_event(db, clerk, row["id"], "notice", dt.date(2026, 1, 1), ref="N")
        from clerk_tui.domain import audit
        audit.record(db, clerk, "test.notice", n)
    assert dmv.place_holds(db, clerk).held == 0


def test_income_over_the_line_is_refused_and_nothing_is_written(db, make_clerk) -> None:
    clerk = make_clerk("csr3")
    keyed(db, clerk, 4, issued="2026-01-05 09:00")
    with pytest.raises(ValidationError, match="over 125%"):
        plans.create_plan(db, clerk, "7ABC123", "CA", "Pat", "income", 1, 2500000)
    assert db.scalar("SELECT count(*) FROM citation_plans") == 0
