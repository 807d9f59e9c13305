"""The amount due is a pure function of the citation's history and the date: every penalty,
freeze, plan and deadline boundary, with no database and no clock."""

from __future__ import annotations

import datetime as dt

import pytest

from clerk_tui.domain.citations.due import (
    Event,
    Facts,
    amount_due,
    deadlines,
    frozen_deadline,
    no_roll,
    weekend_roll,
)
from clerk_tui.domain.citations.rules import citation_rules

R = citation_rules()
D0 = dt.date(2026, 3, 2)  # a Monday; +21 = Monday 2026-03-23
FINE = 5500
F = Facts(1, "C000000018", D0, "MC10.20.010", FINE)


def due(events: list[Event], on: dt.date):
    return amount_due(F, events, on, R, no_roll)


def day(n: int) -> dt.date:
    return D0 + dt.timedelta(days=n)


def test_open_until_day_21_then_the_fine_again() -> None:
    assert due([], day(0)).due_cents == FINE
    assert due([], day(21)).due_cents == FINE  # the 21st day is still in time
    assert due([], day(21)).status == "open"
    d = due([], day(22))
    assert d.due_cents == 2 * FINE and d.penalties == (("Late penalty", FINE),)


def test_paid_in_full_on_day_21_owes_no_penalty_and_a_day_late_does() -> None:
    assert due([Event("payment", day(21), FINE)], day(60)).due_cents == 0
    assert due([Event("payment", day(21), FINE)], day(60)).status == "paid"
    late = due([Event("payment", day(22), FINE)], day(60))
    assert late.due_cents == FINE and late.status == "partial"


def test_partial_payment_by_day_21_still_takes_the_penalty() -> None:
    d = due([Event("payment", day(5), FINE - 1)], day(22))
    assert d.due_cents == FINE + 1 and d.status == "partial"


def test_second_step_fourteen_days_after_the_notice() -> None:
    notice = Event("notice", day(25), ref="N000000018")
    assert due([notice], day(39)).due_cents == 2 * FINE  # notice + 14: still in time
    assert due([notice], day(40)).due_cents == 2 * FINE + 2500
    assert due([notice], day(40)).notice_on == day(25)


def test_no_second_step_without_a_notice() -> None:
    assert due([], day(400)).due_cents == 2 * FINE


def test_review_freezes_penalties_while_open() -> None:
    ev = [Event("review_requested", day(10))]
    d = due(ev, day(200))
    assert d.due_cents == FINE and d.frozen and d.status == "review"


def test_review_days_are_added_to_the_deadline() -> None:
    ev = [Event("review_requested", day(10)), Event("review_result", day(20),
                                                      reason_code="UPHELD")]
    # 10 days on hold: the 21-day deadline moves to day 31
    assert due(ev, day(31)).due_cents == FINE
    assert due(ev, day(32)).due_cents == 2 * FINE
    assert not due(ev, day(32)).frozen


def test_hold_after_the_deadline_does_not_undo_a_penalty() -> None:
    ev = [Event("review_requested", day(30))]
    assert due(ev, day(40)).due_cents == 2 * FINE


def test_frozen_deadline_helper() -> None:
    assert frozen_deadline(D0, 21, []) == day(21)
    assert frozen_deadline(D0, 21, [(day(21), day(23))]) == day(23)  # began on the last day
    assert frozen_deadline(D0, 21, [(day(22), day(30))]) == day(21)  # began after it
    assert frozen_deadline(D0, 21, [(day(5), None)]) is None
    assert frozen_deadline(D0, 21, [(day(-5), day(2))]) == day(23)  # only days after start


def test_reduced_and_dismissed_results() -> None:
    ev = [Event("review_requested", day(3)),
          Event("review_result", day(8), 2000, reason_code="REDUCED")]
    assert due(ev, day(10)).due_cents == 2000
    assert due(ev + [Event("payment", day(9), 2000)], day(90)).status == "paid"
    dis = [Event("review_requested", day(3)), Event("review_result", day(8),
                                                     reason_code="DISMISSED")]
    d = due(dis, day(90))
    assert d.due_cents == 0 and d.status == "dismissed"


def test_dismissed_after_payment_shows_the_overpayment() -> None:
    ev = [Event("payment", day(1), FINE), Event("dismissed", day(3), reason_code="ERROR")]
    d = due(ev, day(4))
    assert d.status == "dismissed" and d.due_cents == 0 and d.overpaid_cents == FINE


def test_void_owes_nothing() -> None:
    assert due([Event("voided", day(1), reason_code="DUPLICATE")], day(100)).due_cents == 0


def test_correction_reduces_to_the_data_amount_and_drops_penalties() -> None:
    ev = [Event("corrected", day(40), 1000)]
    assert due(ev, day(39)).due_cents == 2 * FINE  # before the sign-off
    assert due(ev, day(40)).due_cents == 1000


def test_plan_waives_penalties_and_default_reinstates_them() -> None:
    notice = Event("notice", day(25))
    plan = Event("plan_enrolled", day(50), ref="1")
    assert due([notice], day(49)).due_cents == 2 * FINE + 2500
    d = due([notice, plan], day(50))
    assert d.due_cents == FINE and d.status == "plan" and d.on_plan
    dflt = Event("plan_defaulted", day(120))
    assert due([notice, plan, dflt], day(119)).due_cents == FINE
    assert due([notice, plan, dflt], day(120)).due_cents == 2 * FINE + 2500


def test_payment_undone_comes_back() -> None:
    ev = [Event("payment", day(1), FINE), Event("payment_undone", day(2), FINE)]
    assert due(ev[:1], day(2)).status == "paid"
    assert due(ev, day(2)).due_cents == FINE and due(ev, day(2)).status == "open"


def test_hold_status_and_release() -> None:
    ev = [Event("notice", day(25)), Event("hold_placed", day(60))]
    assert due(ev, day(60)).status == "hold" and due(ev, day(60)).held
    ev2 = ev + [Event("hold_released", day(70))]
    assert not due(ev2, day(70)).held


def test_events_after_the_day_are_ignored() -> None:
    assert due([Event("payment", day(30), FINE)], day(29)).paid_cents == 0


def test_deadline_on_a_weekend_rolls_to_monday() -> None:
    sat = dt.date(2026, 3, 28)  # issued 2026-03-07: +21 = this Saturday
    f = Facts(2, "C000000026", sat - dt.timedelta(days=21), "MC10.20.010", FINE)
    assert amount_due(f, [], dt.date(2026, 3, 30), R, weekend_roll).due_cents == FINE
    assert amount_due(f, [], dt.date(2026, 3, 31), R, weekend_roll).due_cents == 2 * FINE
    assert amount_due(f, [], dt.date(2026, 3, 29), R, no_roll).due_cents == 2 * FINE


@pytest.mark.parametrize("notice_day,expect", [(None, 21), (10, 24), (3, 21)])
def test_review_deadline_is_the_later_of_issue_plus_21_and_notice_plus_14(
        notice_day: int | None, expect: int) -> None:
    ev = [Event("notice", day(notice_day))] if notice_day is not None else []
    assert deadlines(F, ev, R, no_roll)["review_by"] == day(expect)


def test_hearing_and_appeal_deadlines() -> None:
    ev = [Event("review_result", day(30), reason_code="UPHELD"),
          Event("hearing_result", day(60), reason_code="UPHELD")]
    got = deadlines(F, ev, R, no_roll)
    assert got["hearing_by"] == day(51) and got["appeal_by"] == day(90)
    assert deadlines(F, [], R, no_roll)["hearing_by"] is None
