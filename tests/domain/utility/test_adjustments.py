"""Bill adjustments: reason rules from data, per-role limits with supervisor override, policy
checks (one leak a year), the right fund for each service, late-fee reversal once, balances
restored exactly, and a refusal writes nothing."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from clerk_tui.db import Database
from clerk_tui.domain import audit, auth, ledger
from clerk_tui.domain.actor import Actor
from clerk_tui.domain.errors import OverrideRequired, PermissionDenied, ValidationError
from clerk_tui.domain.utility import adjustments as adj
from clerk_tui.domain.utility import rates
from tests.conftest import PINS
from tests.domain.utility.adjust_support import (
    history,
    late_fee,
    make_bill,
    open_account,
    set_today,
    snapshot,
)

pytestmark = pytest.mark.usefixtures("pinned_day")


def _entries(db: Database, journal_id: int) -> list[dict]:
    return db.all("SELECT book, amount_cents, fund, gl_code, account_id, reverses_entry_id "
                  "FROM ledger_entries WHERE journal_id = ? ORDER BY id", [journal_id])


# ---- limits and overrides --------------------------------------------------------------------
@pytest.mark.parametrize(("role", "limit"), [("csr1", 2500), ("csr2", 10000), ("csr3", 50000)])
def test_role_limit_boundary(db: Database, make_clerk: Callable[..., Actor], role: str,
                             limit: int) -> None:
    clerk = make_clerk(role)
    account = open_account(db)
    bill_id = make_bill(db, account.id, "2026-02-03", 10)
    before = snapshot(db)
    with pytest.raises(OverrideRequired) as info:
        adj.adjust(db, clerk, account.id, "ERROR", amount=limit + 1, bill_id=bill_id,
                   service="water", note="misread meter")
    assert info.value.limit == "bill_adjustment" and info.value.amount_cents == limit + 1
    assert snapshot(db) == before
    done = adj.adjust(db, clerk, account.id, "ERROR", amount=limit, bill_id=bill_id,
                      service="water", note="misread meter")
    assert done.amount_cents == -limit and done.override_by is None


def test_csr1_exactly_25_then_override_above_audited_with_both_names(
        db: Database, make_clerk: Callable[..., Actor]) -> None:
    csr1 = make_clerk("csr1")
    make_clerk("supervisor", username="sue")
    account = open_account(db)
    bill_id = make_bill(db, account.id, "2026-02-03", 10)
    start = ledger.account_balance(db, account.id)

    ok = adj.adjust(db, csr1, account.id, "ERROR", amount="25.00", bill_id=bill_id,
                    service="sewer", note="double charged")
    assert ok.amount_cents == -2500
    assert ledger.account_balance(db, account.id) == start - 2500

    before = snapshot(db)
    with pytest.raises(OverrideRequired, match=r"over your bill adjustment limit of \$25.00"):
        adj.adjust(db, csr1, account.id, "ERROR", amount="25.01", bill_id=bill_id,
                   service="sewer", note="double charged")
    assert snapshot(db) == before

    override = auth.authorize_override(db, csr1, "sue", PINS["supervisor"], "bill.adjust",
                                       amount_cents=4000, limit="bill_adjustment")
    with pytest.raises(PermissionDenied, match="different action"):
        adj.adjust(db, csr1, account.id, "ERROR", amount="40.01", bill_id=bill_id,
                   service="sewer", note="x", override=override)
    done = adj.adjust(db, csr1, account.id, "ERROR", amount="40.00", bill_id=bill_id,
                      service="sewer", note="double charged", override=override)
    assert done.override_by == "sue" and done.clerk == "csr1"
    assert ledger.account_balance(db, account.id) == start - 6500
    row = db.one("SELECT clerk, override_by, after_json FROM audit_log "
                 "WHERE action = 'bill.adjust' ORDER BY seq DESC LIMIT 1")
    assert row["clerk"] == "csr1" and row["override_by"] == "sue"
    assert '"amount_cents":-4000' in row["after_json"]
    assert db.scalar("SELECT override_by FROM adjustments WHERE id = ?", [done.id]) == "sue"


@pytest.mark.parametrize("db_kind", ["training"])  # trainees: training only
def test_trainee_may_not_adjust_at_all_without_override(
        db: Database, make_clerk: Callable[..., Actor]) -> None:
    trainee = make_clerk("trainee")
    account = open_account(db)
    bill_id = make_bill(db, account.id, "2026-02-03", 10)
    with pytest.raises(PermissionDenied):
        adj.adjust(db, trainee, account.id, "ERROR", amount=100, bill_id=bill_id,
                   service="water", note="x")


# ---- leak ------------------------------------------------------------------------------------
def _leak_expected(normal: int, used: int) -> int:
    tiers = rates.water_rate("2026-02-03").tiers
    return adj.tier_cost(used, tiers) - adj.tier_cost(normal, tiers)


def test_leak_credits_excess_at_tier_rates_on_the_water_fund(
        db: Database, make_clerk: Callable[..., Actor]) -> None:
    csr3 = make_clerk("csr3")
    account = open_account(db)
    history(db, account.id, [9, 10, 11], start="2025-11-03")
    bill_id = make_bill(db, account.id, "2026-02-03", 30, water=20000)
    # 30 HCF against normal 10: 15 HCF in tier 2 at $5.03 and 5 in tier 3 at $6.11
    assert _leak_expected(10, 30) == 15 * 503 + 5 * 611
    p = adj.propose(db, account.id, "LEAK", bill_id=bill_id)
    assert (p.normal_use, p.excess_units, p.amount_cents) == (10, 20, 15 * 503 + 5 * 611)
    start = ledger.account_balance(db, account.id)
    done = adj.adjust(db, csr3, account.id, "LEAK", bill_id=bill_id)
    assert done.amount_cents == -(15 * 503 + 5 * 611)
    assert ledger.account_balance(db, account.id) == start - 10600
    assert _entries(db, done.journal_id) == [
        {"book": "account", "amount_cents": -10600, "fund": "water", "gl_code": "5100-4100",
         "account_id": account.id, "reverses_entry_id": None},
        {"book": "revenue", "amount_cents": 10600, "fund": "water", "gl_code": "5100-4100",
         "account_id": None, "reverses_entry_id": None},
    ]
    row = db.one("SELECT bill_id, adjusts_journal_id, service FROM adjustments WHERE id = ?",
                 [done.id])
    bill_journal = db.scalar("SELECT journal_id FROM bills WHERE id = ?", [bill_id])
    assert row == {"bill_id": bill_id, "adjusts_journal_id": bill_journal, "service": "water"}


def test_leak_credit_never_more_than_the_water_billed(
        db: Database, make_clerk: Callable[..., Actor]) -> None:
    account = open_account(db)
    history(db, account.id, [10, 10, 10], start="2025-11-03")
    bill_id = make_bill(db, account.id, "2026-02-03", 30, water=5000)
    p = adj.propose(db, account.id, "LEAK", bill_id=bill_id)
    assert p.amount_cents == 5000 and p.max_cents == 5000
    with pytest.raises(ValidationError, match=r"at most \$50.00"):
        adj.adjust(db, make_clerk("csr3"), account.id, "LEAK", amount="50.01", bill_id=bill_id)


def test_leak_without_history_takes_a_typed_amount_capped_by_the_rule(
        db: Database, make_clerk: Callable[..., Actor]) -> None:
    supervisor = make_clerk("supervisor")
    account = open_account(db)
    bill_id = make_bill(db, account.id, "2026-02-03", 40, water=200000)
    p = adj.propose(db, account.id, "LEAK", bill_id=bill_id)
    assert p.amount_cents is None and p.max_cents == 100000  # rule max $1,000
    before = snapshot(db)
    with pytest.raises(ValidationError, match="Type the amount"):
        adj.adjust(db, supervisor, account.id, "LEAK", bill_id=bill_id)
    with pytest.raises(ValidationError, match=r"at most \$1,000.00"):
        adj.adjust(db, supervisor, account.id, "LEAK", amount="1000.01", bill_id=bill_id)
    assert snapshot(db) == before
    done = adj.adjust(db, supervisor, account.id, "LEAK", amount="1000.00", bill_id=bill_id)
    assert done.amount_cents == -100000


def test_one_leak_per_12_months_boundary(db: Database,
                                         make_clerk: Callable[..., Actor]) -> None:
    csr3 = make_clerk("csr3")
    account = open_account(db)
    first = make_bill(db, account.id, "2025-02-03", 30)
    set_today("2025-03-02")
    adj.adjust(db, csr3, account.id, "LEAK", amount="20.00", bill_id=first)
    second = make_bill(db, account.id, "2026-02-03", 30)

    set_today("2026-03-01")
    before = snapshot(db)
    with pytest.raises(ValidationError, match="on or after 2026-03-02"):
        adj.adjust(db, csr3, account.id, "LEAK", amount="20.00", bill_id=second)
    assert snapshot(db) == before
    with pytest.raises(ValidationError, match="had one on 2025-03-02"):
        adj.propose(db, account.id, "LEAK", bill_id=second)

    set_today("2026-03-02")
    done = adj.adjust(db, csr3, account.id, "LEAK", amount="20.00", bill_id=second)
    assert done.amount_cents == -2000
    # a different reason is not limited by the leak rule
    adj.adjust(db, csr3, account.id, "ERROR", amount="1.00", bill_id=second, service="water",
               note="rounding")


def test_leak_refused_when_use_is_not_above_normal(db: Database) -> None:
    account = open_account(db)
    history(db, account.id, [12, 12, 12], start="2025-11-03")
    bill_id = make_bill(db, account.id, "2026-02-03", 12)
    with pytest.raises(ValidationError, match="not above normal use of 12 HCF"):
        adj.propose(db, account.id, "LEAK", bill_id=bill_id)


# ---- pool fill: sewer only -------------------------------------------------------------------
def test_pool_fill_credits_only_the_sewer_of_the_excess(
        db: Database, make_clerk: Callable[..., Actor]) -> None:
    csr2 = make_clerk("csr2")
    account = open_account(db)
    history(db, account.id, [8, 8, 8], start="2025-11-03")
    bill_id = make_bill(db, account.id, "2026-02-03", 40, water=30000, sewer=7645)
    expected = (rates.sewer_charge(40, "residential", "2026-02-03")
                - rates.sewer_charge(8, "residential", "2026-02-03"))
    assert expected == (15 - 8) * 298  # sewer stops at the 15 HCF cap
    done = adj.adjust(db, csr2, account.id, "POOL", bill_id=bill_id)
    assert done.amount_cents == -expected and done.service == "sewer"
    assert {(e["book"], e["fund"], e["gl_code"]) for e in _entries(db, done.journal_id)} == {
        ("account", "sewer", "5200-4100"), ("revenue", "sewer", "5200-4100")}
    with pytest.raises(ValidationError, match="a credit or a charge"):
        adj.adjust(db, csr2, account.id, "ERROR", amount=1, bill_id=bill_id, service="sewer",
                   note="x", direction="sideways")
    set_today("2027-03-02")
    with pytest.raises(ValidationError, match="only credit"):
        adj.adjust(db, csr2, account.id, "POOL", amount=100, bill_id=bill_id,
                   direction=adj.CHARGE)


def test_pool_fill_refused_on_a_bill_without_sewer(db: Database) -> None:
    account = open_account(db)
    bill_id = make_bill(db, account.id, "2026-02-03", 40, sewer=0)
    with pytest.raises(ValidationError, match="no sewer charge"):
        adj.propose(db, account.id, "POOL", bill_id=bill_id)


# ---- vacation garbage ------------------------------------------------------------------------
def test_vacation_refuse_months_capped_and_note_required(
        db: Database, make_clerk: Callable[..., Actor]) -> None:
    csr3 = make_clerk("csr3")
    account = open_account(db)
    bill_id = make_bill(db, account.id, "2026-02-03", 5, refuse=2895)
    with pytest.raises(ValidationError, match="1 to 3"):
        adj.propose(db, account.id, "VACATION", bill_id=bill_id, months=4)
    with pytest.raises(ValidationError, match="needs one"):
        adj.adjust(db, csr3, account.id, "VACATION", bill_id=bill_id, months=2)
    done = adj.adjust(db, csr3, account.id, "VACATION", bill_id=bill_id, months=2,
                      note="away Jan-Feb")
    assert done.amount_cents == -5790 and done.service == "refuse"
    assert {e["gl_code"] for e in _entries(db, done.journal_id)} == {"5300-4100"}


# ---- billing error: any service, any sign ----------------------------------------------------
def test_billing_error_charge_raises_the_balance(db: Database,
                                                 make_clerk: Callable[..., Actor]) -> None:
    csr2 = make_clerk("csr2")
    account = open_account(db)
    start = ledger.account_balance(db, account.id)
    done = adj.adjust(db, csr2, account.id, "ERROR", amount="12.34", service="refuse",
                      direction=adj.CHARGE, note="second cart not billed")
    assert done.amount_cents == 1234 and done.bill_id is None
    assert ledger.account_balance(db, account.id) == start + 1234
    assert [e["amount_cents"] for e in _entries(db, done.journal_id)] == [1234, -1234]
    with pytest.raises(ValidationError, match="not 'penalty'"):
        adj.propose(db, account.id, "ERROR", service="penalty")


@pytest.mark.parametrize("text", ["1e3", "12.345", "-5", "", "  ", "NaN", "0", "$-1"])
def test_amounts_are_parsed_strictly_and_nothing_is_written(
        db: Database, make_clerk: Callable[..., Actor], text: str) -> None:
    csr2 = make_clerk("csr2")
    account = open_account(db)
    before = snapshot(db)
    with pytest.raises(ValidationError):
        adj.adjust(db, csr2, account.id, "ERROR", amount=text, service="water", note="x")
    assert snapshot(db) == before


def test_bill_of_another_account_and_unknown_reason_refused(db: Database) -> None:
    a = open_account(db)
    b = open_account(db, name="Other", address="1 Elm St")
    bill_b = make_bill(db, b.id, "2026-02-03", 10)
    with pytest.raises(ValidationError, match="different account"):
        adj.propose(db, a.id, "VACATION", bill_id=bill_b, months=1)
    with pytest.raises(ValidationError, match="not an adjustment reason"):
        adj.propose(db, a.id, "BOGUS", bill_id=bill_b)


# ---- late-fee reversal -----------------------------------------------------------------------
def test_late_fee_reversed_once_with_entries_pointing_at_the_fee(
        db: Database, make_clerk: Callable[..., Actor]) -> None:
    csr2 = make_clerk("csr2")
    account = open_account(db)
    bill_id = make_bill(db, account.id, "2026-01-03", 10)
    before_fee = ledger.account_balance(db, account.id)
    fee_journal = late_fee(db, account.id, bill_id, 1589, "2026-02-01")
    assert adj.bills_to_adjust(db, account.id)[0].late_fee_cents == 1589

    with pytest.raises(ValidationError, match="reversed in full"):
        adj.adjust(db, csr2, account.id, "LATEFEE", amount="10.00", bill_id=bill_id)
    done = adj.adjust(db, csr2, account.id, "LATEFEE", bill_id=bill_id)
    assert done.amount_cents == -1589 and done.adjusts_journal_id == fee_journal
    assert ledger.account_balance(db, account.id) == before_fee
    fee_ids = [r["id"] for r in db.all("SELECT id FROM ledger_entries WHERE journal_id = ? "
                                       "ORDER BY id", [fee_journal])]
    assert [e["reverses_entry_id"] for e in _entries(db, done.journal_id)] == fee_ids
    assert db.scalar("SELECT reverses_journal_id FROM journals WHERE id = ?",
                     [done.journal_id]) == fee_journal
    assert adj.bills_to_adjust(db, account.id)[0].late_fee_cents is None

    before = snapshot(db)
    with pytest.raises(ValidationError, match="already reversed"):
        adj.adjust(db, csr2, account.id, "LATEFEE", bill_id=bill_id)
    assert snapshot(db) == before


def test_late_fee_from_a_batch_run_reverses_only_this_accounts_fee(
        db: Database, make_clerk: Callable[..., Actor]) -> None:
    """A late-fee run posts one journal for many accounts: reversing one fee must leave the
    other accounts' fees alone (reversing the whole journal would wipe them all)."""
    from clerk_tui.domain.actor import SYSTEM

    csr2 = make_clerk("csr2")
    a = open_account(db)
    b = open_account(db, name="B", address="2 Elm St")
    bill_a = make_bill(db, a.id, "2026-01-03", 10)
    bill_b = make_bill(db, b.id, "2026-01-03", 10)
    a_before, b_before = ledger.account_balance(db, a.id), ledger.account_balance(db, b.id)
    with db.write():
        posted = ledger.post(db, SYSTEM, "late_fee", [
            ledger.Entry("account", "penalty", 800, account_id=a.id,
                         memo=f"Late fee on bill {bill_a}"),
            ledger.Entry("account", "penalty", 900, account_id=b.id,
                         memo=f"Late fee on bill {bill_b}"),
            ledger.Entry("revenue", "penalty", -1700, fund="water", gl_code="5100-4350"),
        ], business_date="2026-02-01")
        for bill_id, cents in ((bill_a, 800), (bill_b, 900)):
            db.insert("late_fees", {"bill_id": bill_id, "journal_id": posted.journal_id,
                                    "amount_cents": cents, "assessed_on": "2026-02-01"})
        audit.record(db, SYSTEM, "test.late_fees", "late_fees")
    done = adj.adjust(db, csr2, a.id, "LATEFEE", bill_id=bill_a)
    assert ledger.account_balance(db, a.id) == a_before
    assert ledger.account_balance(db, b.id) == b_before + 900
    fee_a = db.scalar("SELECT id FROM ledger_entries WHERE journal_id = ? AND account_id = ?",
                      [posted.journal_id, a.id])
    assert _entries(db, done.journal_id) == [
        {"book": "account", "amount_cents": -800, "fund": "", "gl_code": "",
         "account_id": a.id, "reverses_entry_id": fee_a},
        {"book": "revenue", "amount_cents": 800, "fund": "water", "gl_code": "5100-4350",
         "account_id": None, "reverses_entry_id": None},
    ]
    # B's fee is still there to reverse; A's is gone
    assert adj.propose(db, b.id, "LATEFEE", bill_id=bill_b).amount_cents == 900
    with pytest.raises(ValidationError, match="already reversed"):
        adj.propose(db, a.id, "LATEFEE", bill_id=bill_a)


def test_late_fee_reversal_uses_the_fee_waiver_limit(
        db: Database, make_clerk: Callable[..., Actor]) -> None:
    csr1 = make_clerk("csr1")  # fee_waiver limit $10.00
    account = open_account(db)
    bill_id = make_bill(db, account.id, "2026-01-03", 10)
    late_fee(db, account.id, bill_id, 1001, "2026-02-01")
    with pytest.raises(OverrideRequired) as info:
        adj.adjust(db, csr1, account.id, "LATEFEE", bill_id=bill_id)
    assert info.value.permission == "fee.waive" and info.value.limit == "fee_waiver"
    other = make_bill(db, account.id, "2026-02-03", 10)
    with pytest.raises(ValidationError, match="no late fee"):
        adj.propose(db, account.id, "LATEFEE", bill_id=other)


# ---- bills without lines ---------------------------------------------------------------------
def test_batch_bill_without_lines_is_split_in_the_batch_proportions(db: Database) -> None:
    from clerk_tui.domain.actor import SYSTEM

    a = open_account(db)
    b = open_account(db, name="B", address="2 Elm St")
    with db.write():
        posted = ledger.post(db, SYSTEM, "billing", [
            ledger.Entry("account", "bill", 10001, account_id=a.id),
            ledger.Entry("account", "bill", 9999, account_id=b.id),
            ledger.Entry("revenue", "bill", -12000, fund="water", gl_code="5100-4100"),
            ledger.Entry("revenue", "bill", -8000, fund="sewer", gl_code="5200-4100"),
        ], business_date="2026-02-03")
        bill_id = db.insert("bills", {
            "account_id": a.id, "journal_id": posted.journal_id, "bill_date": "2026-02-03",
            "due_date": "2026-02-24", "period_start": "2026-01-03",
            "period_end": "2026-02-03", "consumption": 10, "amount_cents": 10001})
        audit.record(db, SYSTEM, "test.bill", f"bill:{bill_id}")
    charges = adj.bill_charges(db, bill_id)
    assert charges.source == "estimate"
    assert sum(c.amount_cents for c in charges.lines) == 10001
    assert {c.service: c.amount_cents for c in charges.lines} == {"sewer": 4000,
                                                                   "water": 6001}
