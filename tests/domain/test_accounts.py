"""The account view: numbers, balance and aging, history, bills, notes, alerts, opening."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from clerk_tui.db import Database
from clerk_tui.domain import account_numbers, accounts, audit, clock, ledger
from clerk_tui.domain.accounts import Aging, compute_aging
from clerk_tui.domain.actor import SYSTEM
from clerk_tui.domain.checkdigit import luhn_ok
from clerk_tui.domain.errors import NotFound, PermissionDenied, ValidationError

TODAY = dt.date(2026, 6, 30)


@pytest.fixture(autouse=True)
def _fixed_clock() -> Iterator[None]:
    with clock.frozen(dt.datetime(2026, 6, 30, 10, 0, 0)):
        yield


@pytest.fixture
def acct(db: Database) -> accounts.Account:
    return accounts.open_account(db, SYSTEM, name="Dana Reyes", service_address="120 N Main St",
                                 phone="(530) 555-0101", service_city="Riverton",
                                 service_zip="95901")


def charge(db: Database, account_id: int, cents: int, date: str, *, bill: bool = True) -> int:
    with db.write():
        posted = ledger.post(db, SYSTEM, "billing", [
            ledger.Entry("account", "bill", cents, account_id=account_id, memo=date[:7]),
            ledger.Entry("revenue", "bill", -cents, fund="water", gl_code="5100-4100"),
        ], business_date=date)
        if bill:
            d = dt.date.fromisoformat(date)
            db.insert("bills", {"account_id": account_id, "journal_id": posted.journal_id,
                                "bill_date": date, "due_date": (d + dt.timedelta(21)).isoformat(),
                                "period_start": (d - dt.timedelta(30)).isoformat(),
                                "period_end": date, "consumption": 9, "amount_cents": cents})
        audit.record(db, SYSTEM, "test.charge", f"account_id:{account_id}")
    return posted.journal_id


def pay(db: Database, account_id: int, cents: int, date: str) -> int:
    with db.write():
        journal_id = ledger.post(db, SYSTEM, "conversion", [
            ledger.Entry("account", "payment", -cents, account_id=account_id),
            ledger.Entry("clearing", "payment", cents),
        ], business_date=date).journal_id
        audit.record(db, SYSTEM, "test.pay", f"account_id:{account_id}")
        return journal_id


# ---- numbers -----------------------------------------------------------------------------------
def test_open_account_numbers_carry_a_check_digit(db: Database) -> None:
    a = accounts.open_account(db, SYSTEM, name="A One", service_address="1 A St")
    b = accounts.open_account(db, SYSTEM, name="B Two", service_address="2 B St")
    assert len(a.number) == 8 and luhn_ok(a.number) and luhn_ok(b.number)
    assert int(b.number[:7]) == int(a.number[:7]) + 1
    assert a.display_number == f"{a.number[:7]}-{a.number[7]}"
    rows = db.all("SELECT action, entity FROM audit_log WHERE action = 'account.open'")
    assert rows == [{"action": "account.open", "entity": f"account:{a.number}"},
                    {"action": "account.open", "entity": f"account:{b.number}"}]
    assert audit.verify(db).ok


@pytest.mark.parametrize("db_kind", ["training"])  # trainees: training only
def test_open_account_validates_and_checks_authority(db: Database, make_clerk) -> None:
    with pytest.raises(ValidationError):
        accounts.open_account(db, SYSTEM, name="", service_address="1 A St")
    with pytest.raises(ValidationError):
        accounts.open_account(db, SYSTEM, name="Bad\x1bName", service_address="1 A St")
    with pytest.raises(ValidationError):
        accounts.open_account(db, SYSTEM, name="X", service_address="1 A St", phone="call me")
    with pytest.raises(ValidationError):
        accounts.open_account(db, SYSTEM, name="X", service_address="1 A St", email="nope")
    trainee = make_clerk("trainee")
    with pytest.raises(PermissionDenied):
        accounts.open_account(db, trainee, name="X", service_address="1 A St")
    csr2 = make_clerk("csr2")
    assert accounts.open_account(db, csr2, name="Y", service_address="2 A St").status == "active"
    assert db.scalar("SELECT count(*) FROM accounts") == 1


def test_second_account_for_same_customer(db: Database, acct) -> None:
    b = accounts.open_account(db, SYSTEM, name="", service_address="9 Farm Rd",
                              customer_id=acct.customer_id, rate_class="irrigation",
                              services="water")
    assert b.customer_name == "Dana Reyes" and b.services == ("water",)
    with pytest.raises(NotFound):
        accounts.open_account(db, SYSTEM, name="", service_address="x", customer_id=999)


def test_find_by_number_forms(db: Database, acct) -> None:
    for typed in (acct.display_number, acct.number, acct.number[:7], f" {acct.number[:7]} "):
        found = accounts.find_by_number(db, typed)
        assert found is not None and found.id == acct.id, typed
    wrong = acct.number[:7] + str((int(acct.number[7]) + 1) % 10)
    with pytest.raises(ValidationError, match="check digit"):
        accounts.find_by_number(db, wrong)
    assert accounts.find_by_number(db, "main st") is None
    assert accounts.find_by_number(db, "123") is None
    assert accounts.find_by_number(db, "9999999") is None  # well formed, no such account
    assert accounts.find_by_number(db, "") is None
    assert accounts.find_by_number(db, "1" * 5000) is None


# ---- aging -------------------------------------------------------------------------------------
def test_compute_aging_fifo() -> None:
    charges = [("2026-06-20", 5000), ("2026-05-20", 4000), ("2026-04-20", 3000),
               ("2026-03-01", 2000)]
    # Owes everything: each charge in its own bucket.
    assert compute_aging(charges, 14000, TODAY) == Aging(5000, 4000, 3000, 2000)
    # Paid 6000 (oldest first): the 2000 and 4000 of the 3000 are gone.
    assert compute_aging(charges, 8000, TODAY) == Aging(5000, 3000, 0, 0)
    assert compute_aging(charges, 4000, TODAY) == Aging(4000, 0, 0, 0)
    assert compute_aging(charges, 0, TODAY) == Aging()
    assert compute_aging(charges, -500, TODAY) == Aging()
    # More owed than the charges explain: the rest is oldest.
    assert compute_aging(charges, 15000, TODAY).days_90_plus == 3000
    # Bucket edges: 29 days current, 30 days in 30, 60 in 60, 90 in 90+.
    edges = [("2026-06-01", 1), ("2026-05-31", 10), ("2026-05-01", 100), ("2026-04-01", 1000)]
    assert compute_aging(edges, 1111, TODAY) == Aging(1, 10, 100, 1000)
    assert compute_aging(edges, 1111, TODAY).total == 1111


def test_view_balance_aging_and_last_payment(db: Database, acct) -> None:
    charge(db, acct.id, 3000, "2026-03-15")
    charge(db, acct.id, 3100, "2026-04-15")
    pay(db, acct.id, 3000, "2026-04-20")
    charge(db, acct.id, 3200, "2026-05-15")
    charge(db, acct.id, 3300, "2026-06-15")
    v = accounts.load_account(db, acct.id)
    assert v.balance_cents == ledger.account_balance(db, acct.id) == 9600
    assert v.aging == Aging(current=3300, days_30=3200, days_60=3100, days_90_plus=0)
    assert v.aging.total == v.balance_cents == v.amount_due_cents
    assert v.last_payment and v.last_payment.amount_cents == 3000
    assert v.last_payment.date == "2026-04-20"
    assert [a.code for a in v.alerts] == ["delinquent"]
    assert [b.bill_date for b in v.bills] == ["2026-06-15", "2026-05-15", "2026-04-15",
                                             "2026-03-15"]
    assert v.account.customer_name == "Dana Reyes"
    assert v.account.services == ("water", "sewer", "refuse")


def test_history_newest_first_paged_with_running_balance(db: Database, acct) -> None:
    for m in range(1, 6):
        charge(db, acct.id, 1000 * m, f"2026-0{m}-10", bill=False)
        pay(db, acct.id, 1000 * m, f"2026-0{m}-20")
    page0 = accounts.ledger_history(db, acct.id, page=0, page_size=4)
    assert page0.total_lines == 10 and page0.has_more and page0.pages == 3
    assert [ln.date for ln in page0.lines] == ["2026-05-20", "2026-05-10", "2026-04-20",
                                               "2026-04-10"]
    assert page0.lines[0].balance_after_cents == 0
    assert page0.lines[1].balance_after_cents == 5000
    assert page0.lines[1].description.startswith("Bill")
    last = accounts.ledger_history(db, acct.id, page=2, page_size=4)
    assert len(last.lines) == 2 and not last.has_more
    assert last.lines[-1].date == "2026-01-10" and last.lines[-1].balance_after_cents == 1000
    view = accounts.load_account(db, acct.id, page_size=4)
    assert view.history.lines == page0.lines


def test_reversed_payment_is_not_the_last_payment(db: Database, acct) -> None:
    charge(db, acct.id, 5000, "2026-06-01")
    pay(db, acct.id, 2000, "2026-06-05")
    j = pay(db, acct.id, 3000, "2026-06-10")
    with db.write():
        ledger.reverse(db, SYSTEM, j, "reversal", business_date="2026-06-12")
        audit.record(db, SYSTEM, "test.reverse", f"journal:{j}")
    v = accounts.load_account(db, acct.id)
    assert v.balance_cents == 3000
    assert v.last_payment and v.last_payment.amount_cents == 2000
    reversed_lines = [ln for ln in v.history.lines if ln.reversed]
    assert [ln.amount_cents for ln in reversed_lines] == [-3000]


def test_alerts(db: Database, acct) -> None:
    assert accounts.load_account(db, acct.id).alerts == []
    pay(db, acct.id, 2500, "2026-06-01")
    with db.write():
        db.execute("UPDATE accounts SET no_checks = 1 WHERE id = ?", [acct.id])
    v = accounts.load_account(db, acct.id)
    assert [a.code for a in v.alerts] == ["no_checks", "credit"]
    assert v.alerts[0].level == "stop" and "$25.00" in v.alerts[1].message
    assert v.amount_due_cents == 0 and v.aging == Aging()


def test_past_due_alert(db: Database, acct) -> None:
    charge(db, acct.id, 4000, "2026-05-20")
    v = accounts.load_account(db, acct.id)
    assert [a.code for a in v.alerts] == ["past_due"]


def test_alert_rules_plug_in(db: Database, acct) -> None:
    def plan_rule(db: Database, ctx: accounts.AlertContext) -> list[accounts.Alert]:
        return [accounts.Alert("payment_plan", "info", f"Plan on {ctx.account.display_number}")]

    accounts.register_alert_rule(plan_rule)
    try:
        codes = [a.code for a in accounts.load_account(db, acct.id).alerts]
        assert codes == ["payment_plan"]
    finally:
        accounts._ALERT_RULES.remove(plan_rule)


def test_unknown_account(db: Database) -> None:
    with pytest.raises(NotFound):
        accounts.load_account(db, 12345)


# ---- notes -------------------------------------------------------------------------------------
@pytest.mark.parametrize("db_kind", ["training"])  # trainees: training only
def test_add_note_is_audited_and_literal(db: Database, acct, make_clerk) -> None:
    trainee = make_clerk("trainee")
    n = accounts.add_note(db, trainee, acct.id, "  Called about [bold]leak[/] at meter\nsecond line ")
    assert n.text == "Called about [bold]leak[/] at meter\nsecond line"
    assert n.clerk == "trainee"
    notes = accounts.load_account(db, acct.id).notes
    assert [x.text for x in notes] == [n.text]
    row = db.one("SELECT * FROM audit_log WHERE action = 'account.note'")
    assert row["clerk"] == "trainee" and row["entity"] == f"account:{acct.number}"
    assert audit.verify(db).ok


@pytest.mark.parametrize("text", ["", "   ", "bad\x1b[31m", "x" * 1001, "nul\x00"])
def test_bad_notes_change_nothing(db: Database, acct, text: str) -> None:
    before = db.scalar("SELECT count(*) FROM audit_log")
    with pytest.raises(ValidationError):
        accounts.add_note(db, SYSTEM, acct.id, text)
    assert db.scalar("SELECT count(*) FROM account_notes") == 0
    assert db.scalar("SELECT count(*) FROM audit_log") == before


def test_note_on_missing_account(db: Database) -> None:
    with pytest.raises(NotFound):
        accounts.add_note(db, SYSTEM, 999, "hello")
    assert db.scalar("SELECT count(*) FROM account_notes") == 0


def test_normalize_number() -> None:
    n = account_numbers.make_number(1234567)
    assert account_numbers.normalize_number(n) == n
    assert account_numbers.normalize_number(n[:7]) == n
    assert account_numbers.normalize_number("12-34-567") == n
    assert account_numbers.normalize_number("١٢٣٤٥٦٧") is None
    with pytest.raises(ValueError):
        account_numbers.make_number(123)
