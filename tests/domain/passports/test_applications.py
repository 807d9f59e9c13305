"""Agents, the DS-11 checklist, the minors' rules, execution and the city fees' receipts."""

from __future__ import annotations

import datetime as dt

import pytest

from clerk_tui.db import Database
from clerk_tui.domain import audit, clock
from clerk_tui.domain.actor import Actor
from clerk_tui.domain.cashier import SaleItem, Tender, post_payment, void_receipt
from clerk_tui.domain.errors import (
    NotFound,
    PermissionDenied,
    StateError,
    ValidationError,
)
from clerk_tui.domain.passports import agents, applications, instruments
from clerk_tui.domain.passports.applications import check_consent, record_step
from clerk_tui.domain.passports.items import reference

from .conftest import TODAY

ADULT_STEPS = (("citizenship", "BC"), ("identity", "DL"), ("copies", "yes"), ("photo", "here"),
               ("oath", "yes"), ("signature", "yes"), ("sealed", "yes"))


def pay(db: Database, actor: Actor, number: str, code: str, key: str) -> int:
    r = post_payment(db, actor, key, [SaleItem("passport", reference(number, code))],
                     [Tender("cash", 5000)], payer="Applicant")
    return r.receipt.number


def walk(db: Database, actor: Actor, number: str, steps=ADULT_STEPS) -> None:
    for step, answer in steps:
        record_step(db, actor, number, step, answer)


# ---- agents ---------------------------------------------------------------------------------
def test_only_an_admin_records_certifications(db: Database, make_clerk, admin: Actor) -> None:
    sup = make_clerk("supervisor", "sup")
    with pytest.raises(PermissionDenied):
        agents.record_certification(db, sup, "sup", "2026-01-01")
    a = agents.record_certification(db, admin, "sup", "2026-01-05")
    assert a.expires_on == dt.date(2027, 1, 5)  # 12 months from the data
    with pytest.raises(NotFound):
        agents.record_certification(db, admin, "nobody", "2026-01-05")
    with pytest.raises(ValidationError, match="future"):
        agents.record_certification(db, admin, "sup", "2026-12-01")
    with pytest.raises(ValidationError, match="not a date"):
        agents.record_certification(db, admin, "sup", "5/1/2026")


def test_a_lapsed_or_uncertified_clerk_is_refused_plainly(db: Database, clerk_with_drawer,
                                                          certify) -> None:
    clerk = clerk_with_drawer("csr1", "late")
    with pytest.raises(PermissionDenied, match="not a certified passport acceptance agent"):
        applications.start(db, clerk, "Pat Doe", "1980-01-01", "book")
    certify("late", TODAY - dt.timedelta(days=400))
    with pytest.raises(PermissionDenied, match="lapsed on 2026-01-26: complete this year"):
        applications.start(db, clerk, "Pat Doe", "1980-01-01", "book")
    assert "LAPSED" in agents.agent_warning(db, "late")
    assert db.scalar("SELECT count(*) FROM passport_applications") == 0


def test_certification_and_facility_warnings(db: Database, admin: Actor, certify) -> None:
    certify("admin", TODAY - dt.timedelta(days=350))
    assert agents.agent_warning(db, "admin") == \
        "Your agent certification expires 2026-03-17 (15 days)."
    assert "No facility compliance" in agents.facility_warning(db)
    agents.set_compliance_date(db, admin, TODAY + dt.timedelta(days=100))
    assert agents.facility_warning(db) == ""
    agents.set_compliance_date(db, admin, TODAY + dt.timedelta(days=20))
    assert "20 days" in agents.facility_warning(db)
    assert "OVERDUE" in agents.facility_warning(db, TODAY + dt.timedelta(days=21))


# ---- the checklist --------------------------------------------------------------------------
def test_adult_walk_through_to_executed(db: Database, agent: Actor) -> None:
    app = applications.start(db, agent, "Pat Doe", "1980-01-01", "book")
    assert app.number.startswith("PA") and app.state_fee_cents == 13000
    assert "consent" not in {s.code for s in app.steps()}
    with pytest.raises(StateError, match="Not yet: Evidence of citizenship"):
        applications.execute(db, agent, app.number)
    walk(db, agent, app.number)
    with pytest.raises(StateError, match="State Department fee"):
        applications.execute(db, agent, app.number)
    instruments.record(db, agent, [app.number], "check", "101", 13000, "Pat Doe")
    pay(db, agent, app.number, "EXEC", "e1")
    with pytest.raises(StateError, match="Photo fee paid"):  # the photo was taken here
        applications.execute(db, agent, app.number)
    pay(db, agent, app.number, "PHOTO", "p1")
    done = applications.execute(db, agent, app.number)
    assert done.status == "executed" and done.executed_by == "agent1"
    assert done.executed_at == clock.stamp()
    assert done.answers["oath"].by == "agent1"
    with pytest.raises(StateError, match="executed"):
        record_step(db, agent, app.number, "oath", "yes")
    assert audit.verify(db).ok


def test_a_no_answer_is_recorded_but_not_done(db: Database, agent: Actor) -> None:
    app = applications.start(db, agent, "Pat Doe", "1980-01-01", "card")
    app = record_step(db, agent, app.number, "oath", "no")
    assert "Oath administered" in app.missing()
    app = record_step(db, agent, app.number, "oath", "yes")
    assert "Oath administered" not in app.missing()
    assert db.scalar("SELECT count(*) FROM passport_steps WHERE step = 'oath'") == 2


@pytest.mark.parametrize("step, answer, message", [
    ("citizenship", "D1234567", "TYPE only, never its number"),  # a document number
    ("identity", "[b]DL[/b]", "document TYPE"),
    ("copies", "maybe", "yes or no"),
    ("photo", "yes", "here or brought"),
    ("bogus", "yes", "No checklist step"),
])
def test_bad_answers_change_nothing(db: Database, agent: Actor, step: str, answer: str,
                                    message: str) -> None:
    app = applications.start(db, agent, "Pat Doe", "1980-01-01", "book")
    before = db.scalar("SELECT count(*) FROM passport_steps")
    with pytest.raises(ValidationError, match=message):
        record_step(db, agent, app.number, step, answer)
    assert db.scalar("SELECT count(*) FROM passport_steps") == before


@pytest.mark.parametrize("name, birth, product, message", [
    ("", "1980-01-01", "book", "Applicant name is required"),
    ("x" * 81, "1980-01-01", "book", "too long"),
    ("Pat", "01/01/1980", "book", "not a date"),
    ("Pat", "2030-01-01", "book", "after"),
    ("Pat", "1980-01-01", "boat", "Product"),
    ("Kid", "2020-01-01", "book", "name the parents"),
])
def test_bad_applicants_are_refused(db: Database, agent: Actor, name: str, birth: str,
                                    product: str, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        applications.start(db, agent, name, birth, product)
    assert db.scalar("SELECT count(*) FROM passport_applications") == 0


# ---- minors ---------------------------------------------------------------------------------
def test_minor_rules_under_16() -> None:
    check_consent("minor", "both", TODAY)
    check_consent("minor", "sole", TODAY)
    check_consent("minor", "ds3053", TODAY, TODAY - dt.timedelta(days=90), id_copy=True)
    with pytest.raises(ValidationError, match="91 days old: at most 90"):
        check_consent("minor", "ds3053", TODAY, TODAY - dt.timedelta(days=91), id_copy=True)
    with pytest.raises(ValidationError, match="copy of the absent parent's ID"):
        check_consent("minor", "ds3053", TODAY, TODAY - dt.timedelta(days=5))
    with pytest.raises(ValidationError, match="notarised is required"):
        check_consent("minor", "ds3053", TODAY, None, id_copy=True)
    with pytest.raises(ValidationError, match="future"):
        check_consent("minor", "ds3053", TODAY, TODAY + dt.timedelta(days=1), id_copy=True)
    with pytest.raises(ValidationError, match="Under 16"):
        check_consent("minor", "own_id", TODAY)


def test_teen_and_adult_rules() -> None:
    check_consent("teen", "own_id", TODAY)
    check_consent("teen", "parent", TODAY)
    with pytest.raises(ValidationError, match="16-17"):
        check_consent("teen", "both", TODAY)
    with pytest.raises(ValidationError, match="adult"):
        check_consent("adult", "both", TODAY)


def test_minor_with_one_parent_and_a_ds3053_executes(db: Database, agent: Actor) -> None:
    app = applications.start(db, agent, "Kim Doe", "2014-06-01", "both", parents="Pat Doe")
    assert app.age_group == "minor" and app.state_fee_cents == 11500
    walk(db, agent, app.number, [*ADULT_STEPS[:3], ("photo", "brought"), *ADULT_STEPS[4:]])
    assert "Parents / guardians" in applications.get(db, app.number).missing()
    with pytest.raises(ValidationError, match="days old"):
        record_step(db, agent, app.number, "consent", "ds3053",
                    notarised_on=TODAY - dt.timedelta(days=120), id_copy=True)
    app = record_step(db, agent, app.number, "consent", "ds3053",
                      notarised_on=(TODAY - dt.timedelta(days=30)).isoformat(), id_copy=True)
    assert app.answers["consent"].detail == "notarised 2026-01-31; ID copy yes"
    instruments.record(db, agent, [app.number], "money_order", "MO-77", 11500, "Pat Doe")
    pay(db, agent, app.number, "EXEC", "e1")
    assert applications.execute(db, agent, app.number).status == "executed"


# ---- the State fee instrument ---------------------------------------------------------------
def test_one_family_check_pays_several_applications(db: Database, agent: Actor) -> None:
    a = applications.start(db, agent, "Pat Doe", "1980-01-01", "book", expedite=True)
    b = applications.start(db, agent, "Kim Doe", "2014-06-01", "card", parents="Pat Doe")
    with pytest.raises(ValidationError, match=r"\$205.00.*\$200.00"):
        instruments.record(db, agent, [a.number, b.number], "check", "88", 20000, "Pat Doe")
    with pytest.raises(ValidationError, match="check or a money order"):
        instruments.record(db, agent, [a.number], "cash", "88", 19000, "Pat Doe")
    with pytest.raises(ValidationError, match="Payer"):
        instruments.record(db, agent, [a.number], "check", "88", 19000, "")
    inst = instruments.record(db, agent, [a.number, b.number], "check", "88", 20500, "Pat Doe")
    assert inst.applications == (a.number, b.number)
    assert instruments.get_instrument(db, inst.id).applications == (a.number, b.number)
    assert applications.get(db, b.number).instrument == "check 88 $205.00"
    with pytest.raises(StateError, match="already has its State fee"):
        instruments.record(db, agent, [b.number], "check", "89", 1500, "Pat Doe")
    # no receipt, no tender, no ledger row was written for it
    assert db.scalar("SELECT count(*) FROM receipts") == 0
    assert db.scalar("SELECT count(*) FROM ledger_entries WHERE memo LIKE '%88%'") == 0


# ---- the city's fees on the payment screen's machinery --------------------------------------
def test_execution_fee_receipt_is_linked_and_a_void_unlinks_it(db: Database,
                                                               agent: Actor,
                                                               make_clerk) -> None:
    app = applications.start(db, agent, "Pat Doe", "1980-01-01", "book")
    number = pay(db, agent, app.number, "EXEC", "e1")
    assert applications.get(db, app.number).exec_receipt == number
    item = db.one("SELECT amount_cents, fund, gl_code, description FROM receipt_items")
    assert item == {"amount_cents": 3500, "fund": "100", "gl_code": "100-4130",
                    "description": f"Passport execution fee {app.number}"}
    with pytest.raises(StateError, match="already paid on receipt"):
        pay(db, agent, app.number, "EXEC", "e2")
    sup = make_clerk("supervisor", "sup2")
    from tests.domain.cashier.conftest import approve
    ov = approve(db, agent, sup, "payment.void")
    void_receipt(db, agent, number, "KEY", "wrong applicant", override=ov)
    assert applications.get(db, app.number).exec_receipt is None
    pay(db, agent, app.number, "EXEC", "e3")
    assert applications.get(db, app.number).exec_receipt == number + 1


def test_a_mistyped_instrument_is_voided_and_replaced_until_execution(
        db: Database, agent: Actor) -> None:
    a = applications.start(db, agent, "Pat Doe", "1980-01-01", "card")
    b = applications.start(db, agent, "Kim Doe", "2014-06-01", "card", parents="Pat Doe")
    instruments.record(db, agent, [a.number, b.number], "check", "881", 4500, "Pat Doe")
    with pytest.raises(ValidationError, match="Reason"):
        instruments.void(db, agent, a.number, "")
    instruments.void(db, agent, a.number, "typed 881 for 818")
    assert applications.get(db, b.number).instrument_id is None
    assert db.scalar("SELECT voided_by FROM passport_instruments") == "agent1"
    instruments.record(db, agent, [a.number], "check", "818", 3000, "Pat Doe")
    walk(db, agent, a.number, [*ADULT_STEPS[:3], ("photo", "brought"), *ADULT_STEPS[4:]])
    pay(db, agent, a.number, "EXEC", "e1")
    applications.execute(db, agent, a.number)
    with pytest.raises(StateError, match="sealed"):
        instruments.void(db, agent, a.number, "too late")
    with pytest.raises(StateError, match="no State fee"):
        instruments.void(db, agent, b.number, "none")


@pytest.mark.parametrize("amount, message", [(0, "more than"), (-100, "more than"),
                                             (10**12, "9,999,999.99"), (True, "more than")])
def test_bad_instrument_amounts_change_nothing(db: Database, agent: Actor, amount: int,
                                               message: str) -> None:
    a = applications.start(db, agent, "Pat Doe", "1980-01-01", "card")
    with pytest.raises(ValidationError, match=message):
        instruments.record(db, agent, [a.number], "check", "1", amount, "Pat Doe")
    assert db.scalar("SELECT count(*) FROM passport_instruments") == 0
