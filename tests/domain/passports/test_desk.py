"""Transmittals and the overdue list, appointments, the retention purge, finders, reports."""

from __future__ import annotations

import datetime as dt

import pytest

from clerk_tui.db import Database
from clerk_tui.domain import audit, clock
from clerk_tui.domain.actor import Actor
from clerk_tui.domain.errors import PermissionDenied, StateError, ValidationError
from clerk_tui.domain.passports import (
    applications,
    appointments,
    instruments,
    purge,
    reports,
    transmittals,
)
from clerk_tui.domain.passports.finders import find

from .conftest import NOW, TODAY
from .test_applications import ADULT_STEPS, pay, walk


def executed(db: Database, agent: Actor, name: str, birth: str = "1980-01-01",
             key: str = "") -> applications.Application:
    app = applications.start(db, agent, name, birth, "book")
    walk(db, agent, app.number, [*ADULT_STEPS[:3], ("photo", "brought"), *ADULT_STEPS[4:]])
    instruments.record(db, agent, [app.number], "check", f"9{app.id}", 13000, name)
    pay(db, agent, app.number, "EXEC", key or f"k-{app.number}")
    return applications.execute(db, agent, app.number)


def test_transmittal_executed_transmitted_returned_resent(db: Database, agent: Actor) -> None:
    a, b = executed(db, agent, "Pat Doe"), executed(db, agent, "Kim Doe")
    open_app = applications.start(db, agent, "Lee Doe", "1980-01-01", "card")
    assert [x.number for x in transmittals.ready(db)] == [a.number, b.number]
    with pytest.raises(StateError, match="open"):
        transmittals.create(db, agent, [open_app.number], "EZ1234567", "mail")
    with pytest.raises(ValidationError, match="Tracking"):
        transmittals.create(db, agent, [a.number], "x", "mail")
    t = transmittals.create(db, agent, [a.number, b.number], "ez 123 456 789 us", "mail")
    assert t.tracking == "EZ123456789US" and t.left_on == TODAY
    assert {x.status for x in t.applications} == {"transmitted"}
    text = reports.transmittal_list(db, t.id)
    assert "Pat Doe" in text and "CK 9" in text and "$260.00" in text
    assert max(len(line) for line in text.splitlines()) <= 74
    with pytest.raises(StateError, match="already used"):
        transmittals.create(db, agent, [a.number], "EZ123456789US")
    back = transmittals.mark_returned(db, agent, a.number, "Needs a better photo")
    assert back.status == "returned"
    t2 = transmittals.create(db, agent, [a.number], "HAND-0001", "hand")
    assert t2.applications[0].status == "resent" and t2.left_on is None


def test_overdue_hand_carried_and_unsent(db: Database, agent: Actor) -> None:
    a = executed(db, agent, "Pat Doe")
    assert transmittals.overdue(db, TODAY + dt.timedelta(days=1)) == []  # Tue: 1 business day
    late = transmittals.overdue(db, TODAY + dt.timedelta(days=2))      # Wed: 2 > 1
    assert [(o.what, o.key, o.business_days) for o in late] == [("application", a.number, 2)]
    t = transmittals.create(db, agent, [a.number], "HAND-0002", "hand")
    late = transmittals.overdue(db, TODAY + dt.timedelta(days=7))
    assert [(o.what, o.key) for o in late] == [("envelope", "HAND-0002")]
    assert "HAND-0002" in reports.overdue_report(db, TODAY + dt.timedelta(days=7))
    transmittals.mark_left(db, agent, t.id)
    assert transmittals.overdue(db, TODAY + dt.timedelta(days=7)) == []
    with pytest.raises(StateError, match="left on"):
        transmittals.mark_left(db, agent, t.id)


def test_appointment_book(db: Database, agent: Actor, clerk_with_drawer, certify) -> None:
    tomorrow = TODAY + dt.timedelta(days=1)
    a = appointments.book(db, agent, tomorrow, "09:30", "agent1", "Pat Doe")
    with pytest.raises(StateError, match="already booked"):
        appointments.book(db, agent, tomorrow, "09:30", "agent1", "Kim Doe")
    with pytest.raises(ValidationError, match="not a slot"):
        appointments.book(db, agent, tomorrow, "09:15", "agent1", "Kim Doe")
    with pytest.raises(ValidationError, match="not a business day"):
        appointments.book(db, agent, dt.date(2026, 3, 7), "09:30", "agent1", "Kim Doe")
    clerk_with_drawer("csr1", "lapsed")
    certify("lapsed", TODAY - dt.timedelta(days=400))
    with pytest.raises(PermissionDenied, match="lapsed"):
        appointments.book(db, agent, tomorrow, "10:00", "lapsed", "Kim Doe")
    assert "09:30" not in appointments.free_slots(db, tomorrow, "agent1")
    moved = appointments.move(db, agent, a.id, tomorrow, "10:00")
    assert moved.slot == "10:00" and "09:30" in appointments.free_slots(db, tomorrow, "agent1")
    with pytest.raises(StateError, match="future"):
        appointments.no_show(db, agent, a.id)
    appointments.cancel(db, agent, a.id)
    assert appointments.day_book(db, tomorrow) == []
    b = appointments.book(db, agent, TODAY, "12:00", "agent1", "Lee Doe")
    assert appointments.no_show(db, agent, b.id).status == "no_show"
    assert [x.name for x in appointments.day_book(db, TODAY)] == ["Lee Doe"]


def test_retention_purge_keeps_counts_and_money(db: Database, agent: Actor,
                                                make_clerk) -> None:
    old = executed(db, agent, "Pat Old", key="old")
    appointments.book(db, agent, TODAY, "09:00", "agent1", "Pat Old")
    later = NOW + dt.timedelta(days=731)
    with clock.frozen(later):
        with pytest.raises(PermissionDenied):
            purge.purge(db, agent)
        sup = make_clerk("supervisor", "sup9")
        assert purge.due(db) == 1
        money_before = db.all("SELECT * FROM receipt_items")
        result = purge.purge(db, sup)
        assert (result.applications, result.appointments) == (1, 1)
        p = applications.get(db, old.number)
        assert (p.name, p.birth_date, p.parents, p.purged) == (None, None, None, True)
        assert p.exec_receipt == old.exec_receipt and p.instrument == old.instrument
        assert p.state_fee_cents == 13000 and p.status == "executed"
        assert db.scalar("SELECT payer FROM passport_instruments") is None
        assert db.all("SELECT * FROM receipt_items") == money_before
        assert "Pat" not in str(db.all("SELECT * FROM passport_appointments"))
        assert f"{'book':<10}" in reports.monthly_counts(db, "2026-03")
        assert "TOTAL" in reports.monthly_counts(db, "2026-03")
        assert find(db, sup, "Pat", 10) == []
        assert [f.title for f in find(db, sup, old.number, 10)] == ["(purged)"]
        assert purge.purge(db, sup).applications == 0
        assert db.scalar("SELECT count(*) FROM passport_purges") == 2
        row = db.one("SELECT after_json FROM audit_log WHERE action = 'passport.purge' "
                     "ORDER BY seq LIMIT 1")
        assert '"applications":1' in row["after_json"]
        assert audit.verify(db).ok


def test_finders_by_name_birth_date_and_number(db: Database, agent: Actor, make_clerk) -> None:
    a = applications.start(db, agent, "Pat  Doe", "1980-01-01", "book")
    applications.start(db, agent, "Patricia Roe", "1975-05-05", "card")
    assert [f.key for f in find(db, agent, "pat d", 10)] == [a.number]
    assert len(find(db, agent, "PAT", 10)) == 2
    assert [f.key for f in find(db, agent, "1980-01-01", 10)] == [a.number]
    assert [f.key for f in find(db, agent, a.number.lower(), 10)] == [a.number]
    assert find(db, agent, "P", 10) == [] and find(db, agent, "", 10) == []
    assert find(db, agent, "[b]x", 10) == []
    trainee_like = make_clerk("csr1", "other")
    assert len(find(db, trainee_like, "pat", 1)) == 1


def test_reports_fit_and_keep_state_money_out_of_revenue(db: Database, agent: Actor,
                                                         admin: Actor) -> None:
    a = executed(db, agent, "Pat Doe")
    log = reports.daily_log(db, TODAY)
    assert a.number in log and "$130.00" in log and "pass-through" in log
    rev = reports.revenue(db, TODAY, TODAY)
    assert "100-4130" in rev and "$35.00" in rev and "$130.00" not in rev
    ag = reports.agents_report(db, TODAY)
    assert "agent1" in ag and "certified" in ag
    for text in (log, rev, ag, reports.monthly_counts(db, "2026-03"),
                 reports.overdue_report(db, TODAY)):
        assert max(len(line) for line in text.splitlines()) <= 74


def test_a_returned_application_is_not_overdue(db: Database, agent: Actor) -> None:
    a = executed(db, agent, "Pat Doe")
    transmittals.create(db, agent, [a.number], "EZ0000000001", "mail")
    transmittals.mark_returned(db, agent, a.number, "new photo")
    assert transmittals.overdue(db, TODAY + dt.timedelta(days=14)) == []
    assert [x.number for x in transmittals.ready(db)] == [a.number]
