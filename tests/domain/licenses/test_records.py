"""Licenses against a real database: apply -> route -> review (department permissions) ->
pay (CASp split lines, trust) -> issue; denial; renewal; void; confidential gross receipts;
close / change owner / change location; BID remittance never twice; notices once a month."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from clerk_tui.db import Database
from clerk_tui.domain import clock
from clerk_tui.domain.actor import Actor
from clerk_tui.domain.cashier import Tender, new_idempotency_key, post_payment, void_receipt
from clerk_tui.domain.errors import NotFound, PermissionDenied, StateError, ValidationError
from clerk_tui.domain.licenses import bid, notices, records, reports
from clerk_tui.domain.licenses.items import sale_items
from clerk_tui.domain.licenses.records import Application
from clerk_tui.domain.licenses.rules import license_rules

ON = dt.date(2026, 3, 2)


def restaurant(**kw: object) -> Application:
    base = dict(business_name="Blue Door Cafe LLC", owners="Ana Ruiz, Tom Lee",
                address="210 Main St", class_code="722", dba="Blue Door",
                ownership="llc", gross_receipts_cents=400_000_00, employees=6)
    base.update(kw)
    return Application(**base)  # type: ignore[arg-type]


def pay(db: Database, clerk: Actor, number: str) -> int:
    items = sale_items(db, number)
    lic = records.get_license(db, number)
    r = post_payment(db, clerk, new_idempotency_key(), items,
                     [Tender("cash", lic.total_due_cents)], payer="Test")
    return r.receipt.number


def test_routing_by_class_and_location() -> None:
    rules = license_rules()
    depts = [d for d, _ in records.route(rules, "722", "in_city", ON)]
    assert depts == ["planning", "health", "fire", "police", "building"]
    assert [d for d, _ in records.route(rules, "453", "home", ON)] == ["planning"]
    assert records.route(rules, "722", "out_of_town", ON) == []
    assert records.route(rules, "561", "in_city", ON) == []


def test_apply_review_pay_issue(db: Database, clerk_with_drawer: Callable[..., Actor],
                                make_clerk: Callable[..., Actor]) -> None:
    clerk = clerk_with_drawer("csr2")
    lic = records.apply(db, clerk, restaurant())
    assert lic.status == "in_review" and len(lic.number) == 7
    assert {r.department for r in lic.pending_reviews} == {"planning", "health", "fire",
                                                           "police", "building"}
    term = lic.current_term
    assert term is not None and term.year == 2026 and term.new_business
    # $400k receipts: $400 bracket; Q1 start -> whole year; in the Downtown BID: 50% = $200
    assert term.charges.tax_cents == 40000 and term.charges.bid_cents == 20000
    assert lic.bid_zone == "DTN"
    # a CSR II may not record a Fire review
    with pytest.raises(PermissionDenied):
        records.decide_review(db, clerk, lic.reviews[0].id, "approved")
    with pytest.raises(StateError, match="approved application"):
        records.issue(db, clerk, lic.number)
    reviewer = make_clerk("csr3")
    for r in lic.reviews:
        records.decide_review(db, reviewer, r.id, "conditions" if r.department == "fire"
                              else "approved", "extinguisher by the fryer"
                              if r.department == "fire" else "")
    lic = records.get_license(db, lic.number)
    assert lic.status == "approved"
    with pytest.raises(StateError, match="not paid"):
        records.issue(db, clerk, lic.number)
    number = pay(db, clerk, lic.number)
    lines = db.all("SELECT reference, fund, gl_code, amount_cents FROM receipt_items WHERE "
                   "receipt_id = (SELECT id FROM receipts WHERE number = ?) ORDER BY line",
                   [number])
    assert [(x["reference"][8:], x["amount_cents"]) for x in lines] == [
        ("2026-TAX", 40000), ("2026-CASPC", 360), ("2026-CASPS", 40), ("2026-BID", 20000)]
    state = db.one("SELECT e.book, e.gl_code FROM ledger_entries e WHERE e.memo LIKE '%CASPS'")
    assert state == {"book": "trust", "gl_code": "820-2215"}
    city = db.one("SELECT e.book, e.gl_code FROM ledger_entries e WHERE e.memo LIKE '%CASPC'")
    assert city == {"book": "revenue", "gl_code": "100-4215"}
    lic = records.issue(db, clerk, lic.number)
    assert lic.status == "issued" and lic.total_due_cents == 0
    events = [h[2] for h in lic.history]
    assert events[:3] == ["applied", "routed", "status in_review"]
    assert "status issued" in events


def test_denial_closes_with_a_letter(db: Database, make_clerk: Callable[..., Actor]) -> None:
    clerk, reviewer = make_clerk("csr2"), make_clerk("csr3")
    lic = records.apply(db, clerk, restaurant())
    with pytest.raises(ValidationError, match="Note is required"):
        records.decide_review(db, reviewer, lic.reviews[0].id, "denied")
    lic = records.decide_review(db, reviewer, lic.reviews[0].id, "denied", "zoning: no bars")
    assert lic.status == "denied"
    assert all(r.status in ("denied", "withdrawn") for r in lic.reviews)
    letter = notices.undelivered(db)[0]
    assert letter.kind == "denial" and "zoning: no bars" in letter.body
    with pytest.raises(StateError):
        records.decide_review(db, reviewer, lic.reviews[1].id, "approved")


def test_home_occupation_needs_planning_permit_and_out_of_town_multiplier(
        db: Database, make_clerk: Callable[..., Actor]) -> None:
    clerk = make_clerk("csr2")
    home = records.apply(db, clerk, Application("Quilts by Jo", "Jo Park", "14 Elm St",
                                                "453", "home"))
    assert [r.department for r in home.reviews] == ["planning"]
    assert home.current_term and home.current_term.charges.hop_cents == 7500
    away = records.apply(db, clerk, Application("Valley Plumbing", "R. Diaz", "9 Oak Rd, Fresno",
                                                "238", "out_of_town", contractor_no="123456"))
    assert away.status == "approved" and away.reviews == ()
    assert away.current_term and away.current_term.charges.tax_cents == 22500


def test_bad_applications_change_nothing(db: Database, make_clerk: Callable[..., Actor]) -> None:
    clerk = make_clerk("csr2")
    with pytest.raises(ValidationError, match="contractor"):
        records.apply(db, clerk, Application("X", "Y", "1 Main St", "238"))
    with pytest.raises(ValidationError, match="gross receipts"):
        records.apply(db, clerk, restaurant(gross_receipts_cents=None))
    with pytest.raises(ValidationError, match="control character"):
        records.apply(db, clerk, restaurant(business_name="Bad\x1b[2J"))
    with pytest.raises(ValidationError, match="not an address"):
        records.apply(db, clerk, restaurant(email="ana at cafe"))
    with pytest.raises(NotFound, match="class"):
        records.apply(db, clerk, restaurant(class_code="999"))
    assert db.scalar("SELECT count(*) FROM licenses") == 0
    lic = records.apply(db, clerk, restaurant(business_name="[bold]Cafe[/bold]"))
    assert lic.business_name == "[bold]Cafe[/bold]"


def test_void_makes_it_owed_again(db: Database, clerk_with_drawer: Callable[..., Actor]) -> None:
    clerk = clerk_with_drawer("csr2")
    lic = records.apply(db, clerk, Application("Support Co", "Al", "5 Elm St", "561"))
    assert lic.status == "approved"
    number = pay(db, clerk, lic.number)
    assert records.get_license(db, lic.number).total_due_cents == 0
    void_receipt(db, clerk, number, "KEY", "wrong license")
    again = records.get_license(db, lic.number)
    assert again.total_due_cents == 12000 + 400
    assert any(h[2] == "payment void" for h in again.history)


def test_renewal_penalty_and_status(db: Database, clerk_with_drawer: Callable[..., Actor],
                                    make_clerk: Callable[..., Actor]) -> None:
    clerk = clerk_with_drawer("csr2")
    lic = records.apply(db, clerk, Application("Support Co", "Al", "5 Elm St", "561"))
    pay(db, clerk, lic.number)
    records.issue(db, clerk, lic.number)
    with pytest.raises(ValidationError, match="renew 2027 first"):
        records.renew(db, clerk, lic.number, 2028)
    with clock.frozen(dt.datetime(2027, 3, 5, 9, 0)):
        run = notices.monthly_run(db, make_clerk("csr3", "boss"))
        assert run.made_delinquent == 0 and run.expired == 1
        lic = records.renew(db, clerk, lic.number, 2027)
        # due 2027-01-31, today 2027-03-05: two months late, 20% of $120
        assert lic.dues[0].parts == {"TAX": 12000, "PEN": 2400, "CASPC": 360, "CASPS": 40}
        run = notices.monthly_run(db, make_clerk("csr3", "boss2"))
        assert run.made_delinquent == 1 and run.delinquent == 1
        assert notices.monthly_run(db, make_clerk("csr3", "boss3")).delinquent == 0  # once
        assert records.get_license(db, lic.number).status == "delinquent"
        pay(db, clerk_with_drawer("csr2", "march27"), lic.number)
        assert records.get_license(db, lic.number).status == "issued"


def test_renewal_asks_this_years_facts(db: Database, make_clerk: Callable[..., Actor]) -> None:
    clerk = make_clerk("csr2")
    lic = records.apply(db, clerk, restaurant(location="out_of_town"))
    assert records.renewal_facts_needed(db, lic.number, 2027) == "gross_receipts"
    with db.write():
        db.execute("UPDATE licenses SET status = 'issued' WHERE id = ?", [lic.id])
    with clock.frozen(dt.datetime(2027, 1, 5, 9, 0)):
        with pytest.raises(ValidationError, match="gross receipts"):
            records.renew(db, clerk, lic.number, 2027)
        lic = records.renew(db, clerk, lic.number, 2027, gross_receipts_cents=50_000_00)
    assert lic.current_term and lic.current_term.charges.tax_cents == 22500  # $150 x 1.5


def test_gross_receipts_are_confidential_and_every_look_audited(
        db: Database, make_clerk: Callable[..., Actor]) -> None:
    clerk = make_clerk("csr1")
    lic = records.apply(db, clerk, restaurant())
    assert "400000" not in repr(lic)  # the record a clerk sees has no receipts
    with pytest.raises(PermissionDenied):
        records.gross_receipts(db, clerk, lic.number)
    boss = make_clerk("csr2")
    assert records.gross_receipts(db, boss, lic.number) == [(2026, 400_000_00)]
    records.gross_receipts(db, boss, lic.number)
    assert db.scalar("SELECT count(*) FROM audit_log WHERE action = "
                     "'license.gross_receipts.view' AND clerk = 'csr2'") == 2


def test_close_change_owner_and_location_keep_history(
        db: Database, make_clerk: Callable[..., Actor]) -> None:
    clerk = make_clerk("csr2")
    lic = records.apply(db, clerk, Application("Support Co", "Al", "5 Elm St", "561"))
    moved = records.change_location(db, clerk, lic.number, "14 Elm St", "home")
    assert moved.status == "in_review" and [r.department for r in moved.pending_reviews] == \
        ["planning"]
    assert moved.number == lic.number and any(h[2] == "moved" for h in moved.history)
    new = records.change_owner(db, clerk, lic.number, "Bea New")
    old = records.get_license(db, lic.number)
    assert old.status == "closed" and new.number != old.number and new.replaces_id == old.id
    assert any("new license" in h[3] for h in old.history)
    records.close(db, clerk, new.number, "sold the van")
    with pytest.raises(StateError):
        records.close(db, clerk, new.number, "again")


def test_bid_remittance_once_per_month(db: Database, clerk_with_drawer: Callable[..., Actor],
                                       make_clerk: Callable[..., Actor]) -> None:
    clerk = clerk_with_drawer("csr2")
    lic = records.apply(db, clerk, Application("Main St Shoes", "Kim", "300 Main St", "448",
                                               gross_receipts_cents=100_000_00))
    assert lic.current_term and lic.current_term.charges.bid_cents == 9000  # 50% of $180
    pay(db, clerk, lic.number)
    boss = make_clerk("csr3")
    with pytest.raises(ValidationError, match="not over"):
        bid.remit(db, boss, "DTN", "2026-03")
    with clock.frozen(dt.datetime(2026, 4, 2, 9, 0)):
        r = bid.remit(db, boss, "DTN", "2026-03")
        assert r.amount_cents == 9000 and r.lines == 1
        with pytest.raises(StateError, match="already remitted"):
            bid.remit(db, boss, "DTN", "2026-03")
        assert "remitted" in reports.bid_month(db, "2026-03")
    trust = db.scalar("SELECT sum(amount_cents) FROM ledger_entries WHERE book = 'trust' AND "
                      "gl_code = '830-2230'")
    assert trust == 0  # collected (-9000) and remitted (+9000)
    assert db.scalar("SELECT sum(amount_cents) FROM ledger_entries WHERE book = 'clearing' "
                     "AND gl_code = '830-2100'") == -9000


def test_reports_show_casp_split_and_revenue(db: Database,
                                             clerk_with_drawer: Callable[..., Actor]) -> None:
    clerk = clerk_with_drawer("csr2")
    for n in range(3):
        lic = records.apply(db, clerk, Application(f"Support {n}", "Al", "5 Elm St", "561"))
        pay(db, clerk, lic.number)
    assert reports.casp_quarter(db, 2026, 1) == (3, 1080, 120)
    text = reports.casp_report(db, 2026, 1)
    assert "$1.20" in text and "$10.80" in text
    rev = reports.revenue(db, ON, ON)
    assert "100-4213" in rev and "$360.00" in rev and "820-2215" in rev
    assert max(len(x) for x in rev.splitlines()) <= 78
    assert "Support 0" in reports.issued(db, ON, ON) or "0 license" in reports.issued(db, ON, ON)


def test_notices_run_in_chunks_once_a_month(db: Database, make_clerk: Callable[..., Actor],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    from clerk_tui.domain.licenses import demo

    monkeypatch.setattr(notices, "CHUNK", 7)
    built = demo.build(db, count=40)
    boss = make_clerk("csr3")
    with clock.frozen(dt.datetime(2026, 12, 2, 8, 0)):
        first = notices.monthly_run(db, boss)
        again = notices.monthly_run(db, make_clerk("csr3", "boss2"))
    live = db.scalar("SELECT count(*) FROM licenses WHERE status IN ('issued', 'expired')")
    assert first.renewal == live and first.delinquent == built.delinquent > 0
    assert again.renewal == 0 and again.delinquent == 0
    assert db.scalar("SELECT count(*) FROM audit_log WHERE action = 'license.notices'") >= 6


def test_status_machine_refuses_what_it_does_not_allow(
        db: Database, make_clerk: Callable[..., Actor]) -> None:
    clerk = make_clerk("csr2")
    lic = records.apply(db, clerk, Application("Support Co", "Al", "5 Elm St", "561"))
    records.close(db, clerk, lic.number, "never opened")
    with db.write(), pytest.raises(StateError, match="closed cannot become issued"):
        records._set_status(db, clerk, lic.id, "issued", "by mistake")
    assert records.get_license(db, lic.number).status == "closed"
    assert set(records.TRANSITIONS) == set(records.STATUSES)
    assert all(set(v) <= set(records.STATUSES) for v in records.TRANSITIONS.values())


def test_contact_change_keeps_what_it_was(db: Database, make_clerk: Callable[..., Actor]) -> None:
    clerk = make_clerk("csr1")
    lic = records.apply(db, clerk, Application("Support Co", "Al", "5 Elm St", "561",
                                               phone="555-0100"))
    with pytest.raises(ValidationError, match="not an address"):
        records.update_contact(db, clerk, lic.number, phone="", email="x@", mailing_address="")
    new = records.update_contact(db, clerk, lic.number, phone="555-0199",
                                 email="al@example.com", mailing_address="PO Box 9")
    assert (new.phone, new.email, new.mailing_address) == ("555-0199", "al@example.com",
                                                           "PO Box 9")
    detail = [h[3] for h in new.history if h[2] == "contact changed"][0]
    assert "phone: 555-0100 -> 555-0199" in detail and "mailing_address: - -> PO Box 9" in detail
