"""Every front-desk deadline, from the data and the utility desk's business-day calendar.
The clock is Monday 2026-03-02 (holidays: data/utility/holidays.toml, e.g. 2026-05-25)."""

from __future__ import annotations

import datetime as dt

import pytest

from clerk_tui.db import Database
from clerk_tui.domain import clock
from clerk_tui.domain.actor import Actor
from clerk_tui.domain.errors import StateError, ValidationError
from clerk_tui.domain.frontdesk import records, registrants
from clerk_tui.domain.frontdesk.rules import words

D = dt.date
REASON = words("cpra", "extension_reasons")[0]


@pytest.mark.parametrize(("received", "due"), [
    (D(2026, 3, 2), D(2026, 3, 12)),    # Monday + 10 calendar days: Thursday
    (D(2026, 3, 4), D(2026, 3, 16)),    # day 10 is a Saturday: next business day
    (D(2026, 5, 15), D(2026, 5, 26)),   # day 10 is Memorial Day: the day after
])
def test_cpra_ten_calendar_days(received: dt.date, due: dt.date) -> None:
    assert records.decision_due(received, victim=False) == due


def test_victim_five_business_days() -> None:
    # Family Code 6228: 5 working days; Monday -> next Monday; over Memorial Day one more.
    assert records.decision_due(D(2026, 3, 2), victim=True) == D(2026, 3, 9)
    assert records.decision_due(D(2026, 5, 20), victim=True) == D(2026, 5, 28)


def test_intake_sets_the_deadline_and_number(db: Database, cleared: Actor) -> None:
    r = records.intake(db, cleared, "Pat Reporter", "pat@example.org", "Logs",
                       "2026-03-02", "email")
    assert (r.number, r.due_on, r.status) == ("PRA26-00001", D(2026, 3, 12), "received")
    assert not r.overdue(D(2026, 3, 12)) and r.overdue(D(2026, 3, 13))


def test_one_extension_of_at_most_14_days(db: Database, cleared: Actor) -> None:
    r = records.intake(db, cleared, "Pat", "", "Logs", "2026-03-02", "mail")
    with pytest.raises(ValidationError, match="2026-03-26"):
        records.extend(db, cleared, r.id, REASON, 15)
    with pytest.raises(ValidationError, match="reasons"):
        records.extend(db, cleared, r.id, "Because", 14)
    assert records._get(db, r.id).extended_to is None  # refusals changed nothing
    r = records.extend(db, cleared, r.id, REASON, 14)
    assert (r.extended_to, r.status, r.deadline) == (D(2026, 3, 26), "extended", D(2026, 3, 26))
    with pytest.raises(StateError, match="already extended"):
        records.extend(db, cleared, r.id, REASON, 1)


def test_extension_after_the_first_deadline_is_refused(db: Database, cleared: Actor) -> None:
    r = records.intake(db, cleared, "Pat", "", "Logs", "2026-02-10", "web")
    assert r.due_on == D(2026, 2, 20)
    with pytest.raises(StateError, match="had to go by 2026-02-20"):
        records.extend(db, cleared, r.id, REASON, 5)
    assert [x.number for x in records.overdue(db, cleared)] == [r.number]


def test_victim_extension_is_business_days(db: Database, cleared: Actor) -> None:
    r = records.intake(db, cleared, "V. Ictim", "", "Report", "2026-03-02", "counter",
                       victim=True)
    assert r.due_on == D(2026, 3, 9)
    with pytest.raises(ValidationError, match="2026-03-16"):
        records.extend(db, cleared, r.id, "Report still with the detective", 6)
    r = records.extend(db, cleared, r.id, "Report still with the detective", 5)
    assert r.extended_to == D(2026, 3, 16)  # 10 working days after the request


# ---- registrants ------------------------------------------------------------------------
def test_annual_is_five_working_days_after_the_birthday() -> None:
    # Birthday Wednesday 2026-03-04: + 5 business days = Wednesday 2026-03-11.
    assert registrants.next_due("290", D(1980, 3, 4), D(2025, 3, 5)) == D(2026, 3, 11)
    # Birthday Friday 2026-05-22, Memorial Day on the 25th: Tuesday 26th .. Monday 1 June.
    assert registrants.next_due("290", D(1970, 5, 22), D(2025, 6, 1)) == D(2026, 6, 1)
    # 29 February in a common year counts from 28 February (Saturday): 5 days -> 2026-03-06.
    assert registrants.next_due("290", D(1984, 2, 29), D(2025, 3, 10)) == D(2026, 3, 6)


def test_move_transient_and_special_class() -> None:
    last = D(2026, 2, 20)
    # A move on Friday 2026-02-27: 5 working days -> Friday 2026-03-06.
    assert registrants.next_due("290", D(1980, 9, 1), last, D(2026, 2, 27)) == D(2026, 3, 6)
    assert registrants.next_due("290", D(1980, 9, 1), last, transient=True) == D(2026, 3, 22)
    assert registrants.next_due("290", D(1980, 9, 1), D(2026, 1, 1),
                                special_class=True) == D(2026, 4, 1)
    # Arson and gang registrants: the data's 10 working days after the birthday.
    assert registrants.next_due("457.1", D(1980, 3, 4), D(2025, 3, 5)) == D(2026, 3, 18)
    with pytest.raises(ValidationError, match="No registrant type"):
        registrants.next_due("11590", D(1980, 3, 4), D(2025, 3, 5))  # narcotics: repealed


def test_registrant_lists_and_history(db: Database, cleared: Actor) -> None:
    a = registrants.register(db, cleared, "Alder, Quinn", "1980-03-04", "290", "1 Elm",
                             "2025-03-05")
    b = registrants.register(db, cleared, "Birch, Rowan", "1975-07-19", "290", "", "2026-01-25",
                             transient=True)
    assert (a.next_due, b.next_due) == (D(2026, 3, 11), D(2026, 2, 24))
    assert [r.name for r in registrants.overdue(db, cleared)] == ["Birch, Rowan"]
    assert [r.name for r in registrants.due_this_week(db, cleared)] == []
    moved = registrants.record_move(db, cleared, a.id, "9 Oak", "2026-03-02")
    assert moved.next_due == D(2026, 3, 9)  # the move comes before the birthday window
    assert [r.name for r in registrants.due_this_week(db, cleared)] == ["Alder, Quinn"]
    done = registrants.record_registration(db, cleared, a.id, "2026-03-02")
    assert done.next_due == D(2026, 3, 11) and done.moved_on is None
    _reg, history = registrants.view(db, cleared, a.id)
    assert [h.event for h in history] == ["registered", "move", "registration"]
    assert history[0].form == "DOJ CJIS 8102"


def test_clock_is_the_fixed_monday() -> None:
    assert clock.today() == D(2026, 3, 2) and clock.today().weekday() == 0
