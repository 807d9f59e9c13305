"""Payment plans and extensions: the schedule, the role's dollar limit, missed installments.

SB 998 requires a water system to offer a payment plan before it shuts service off, and an
account keeping to a plan is never shut off. So a plan is both money arithmetic and a
collections status:

- The schedule splits the amount into equal installments in whole cents, the remainder on the
  last one, so the installments always sum to the amount exactly. Installments fall due monthly
  on the start date's day of the month; in a shorter month, on its last day (Jan 31 -> Feb 28
  -> Mar 31), never drifting to the 28th for good.
- Creating a plan needs `payment_plan.create` and the amount within the role's `payment_plan`
  limit (data/authority.toml); above it a supervisor approves at the counter.
- Standing is cumulative: every payment since the plan was made counts toward the installments
  in order, so paying two months at once covers the next one. A plan is broken when an
  installment is still not covered `grace_days` after its due date (the grace in force when the
  plan was made, stored on the plan); it is completed when the payments reach its amount.
  `review_plans` applies both; the delinquency runs call it first so a broken plan stops
  protecting the account from notices the same day.
- An extension is a one-installment plan: the amount by one date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from clerk_tui.db import Database
from clerk_tui.domain import audit, clock, ledger
from clerk_tui.domain.accounts import Alert, AlertContext, get_account
from clerk_tui.domain.actor import Actor, Override
from clerk_tui.domain.authority import authority
from clerk_tui.domain.clock import add_months
from clerk_tui.domain.errors import NotFound, StateError, ValidationError
from clerk_tui.domain.money import check_cents, format_money, parse_money
from clerk_tui.domain.text import clean_text
from clerk_tui.domain.utility import letters
from clerk_tui.domain.utility.calendar import rule_set


@dataclass(frozen=True)
class PlanRules:
    max_installments: int
    grace_days: int
    max_start_days: int
    max_extension_days: int
    min_installment_cents: int


def plan_rules(on: dt.date | None = None) -> PlanRules:
    r = rule_set("plans", on)
    return PlanRules(int(r.get("max_installments", 12)), int(r.get("grace_days", 10)),
                     int(r.get("max_start_days", 31)), int(r.get("max_extension_days", 60)),
                     parse_money(str(r.get("min_installment", "0.00"))))


@dataclass(frozen=True)
class Installment:
    seq: int
    due_on: str
    amount_cents: int


@dataclass(frozen=True)
class Plan:
    id: int
    account_id: int
    kind: str  # 'plan' | 'extension'
    amount_cents: int
    installments: tuple[Installment, ...]
    start_on: str
    status: str
    grace_days: int
    created_at: str
    created_by: str
    override_by: str | None
    ended_at: str | None
    end_reason: str | None

    @property
    def label(self) -> str:
        return "Extension" if self.kind == "extension" else "Payment plan"


@dataclass(frozen=True)
class Standing:
    """Where a plan stands on a day."""

    plan: Plan
    on: str
    paid_cents: int  # payments since the plan was made
    due_cents: int  # installments whose due date has passed by `on`
    next_due: Installment | None  # the first installment not yet covered
    overdue_since: str | None  # due date of the first uncovered installment past its grace

    @property
    def behind_cents(self) -> int:
        return max(0, self.due_cents - self.paid_cents)

    @property
    def remaining_cents(self) -> int:
        return max(0, self.plan.amount_cents - self.paid_cents)


# ---- arithmetic -------------------------------------------------------------------------------
def installment_schedule(amount_cents: int, count: int, first_due: dt.date) -> list[Installment]:
    """Equal installments (remainder cents on the last), due monthly from `first_due`."""
    check_cents(amount_cents, "The plan amount")
    if amount_cents <= 0:
        raise ValidationError("The plan amount must be more than $0.00.")
    if count < 1:
        raise ValidationError("A plan needs at least one installment.")
    if amount_cents < count:
        raise ValidationError(f"{format_money(amount_cents)} cannot be split into {count} "
                              "installments of at least one cent.")
    base = amount_cents // count
    out = []
    for i in range(count):
        cents = base + (amount_cents - base * count if i == count - 1 else 0)
        out.append(Installment(i + 1, add_months(first_due, i, first_due.day).isoformat(), cents))
    return out


# ---- reading ----------------------------------------------------------------------------------
def _plan(db: Database, row: dict) -> Plan:
    inst = tuple(Installment(r["seq"], r["due_on"], r["amount_cents"]) for r in db.all(
        "SELECT seq, due_on, amount_cents FROM plan_installments WHERE plan_id = ? ORDER BY seq",
        [row["id"]]))
    return Plan(row["id"], row["account_id"], row["kind"], row["amount_cents"], inst,
                row["start_on"], row["status"], row["grace_days"], row["created_at"],
                row["created_by"], row["override_by"], row["ended_at"], row["end_reason"])


def get_plan(db: Database, plan_id: int) -> Plan:
    row = db.one("SELECT * FROM payment_plans WHERE id = ?", [plan_id])
    if not row:
        raise NotFound(f"No payment plan {plan_id}.")
    return _plan(db, row)


def active_plan(db: Database, account_id: int) -> Plan | None:
    row = db.one("SELECT * FROM payment_plans WHERE account_id = ? AND status = 'active'",
                 [account_id])
    return _plan(db, row) if row else None


def plans_for(db: Database, account_id: int) -> list[Plan]:
    rows = db.all("SELECT * FROM payment_plans WHERE account_id = ? ORDER BY id DESC",
                  [account_id])
    return [_plan(db, r) for r in rows]


def accounts_on_active_plans(db: Database) -> set[int]:
    return {r["account_id"] for r in
            db.all("SELECT account_id FROM payment_plans WHERE status = 'active'")}


def payments_since(db: Database, account_id: int, since: str, until: str) -> int:
    """Customer payments on the account from `since` through `until` (business dates), net of
    voided, reversed and returned (NSF) payments."""
    return -int(db.scalar(
        "SELECT coalesce(sum(le.amount_cents), 0) FROM ledger_entries le "
        "JOIN journals j ON j.id = le.journal_id "
        "WHERE le.book = 'account' AND le.account_id = ? AND j.business_date BETWEEN ? AND ? "
        "AND (le.kind = 'payment' OR le.reverses_entry_id IN ("
        "     SELECT id FROM ledger_entries WHERE book = 'account' AND account_id = ? "
        "     AND kind = 'payment'))",
        [account_id, since, until, account_id]) or 0)


def standing(db: Database, plan: Plan, on: dt.date | None = None) -> Standing:
    on = on or clock.today()
    paid = payments_since(db, plan.account_id, plan.created_at[:10], on.isoformat())
    cumulative = 0
    due = 0
    next_due = None
    overdue = None
    for inst in plan.installments:
        cumulative += inst.amount_cents
        due_on = dt.date.fromisoformat(inst.due_on)
        if due_on < on:  # due today is not behind until tomorrow
            due = cumulative
        if paid < cumulative:
            if next_due is None:
                next_due = inst
            if overdue is None and on > due_on + dt.timedelta(days=plan.grace_days):
                overdue = inst.due_on
    return Standing(plan, on.isoformat(), paid, due, next_due, overdue)


# ---- changes ----------------------------------------------------------------------------------
def _insert_plan(db: Database, actor: Actor, account_id: int, kind: str, amount_cents: int,
                 schedule: list[Installment], start_on: dt.date, rules: PlanRules,
                 override_by: str | None) -> Plan:
    if db.scalar("SELECT id FROM payment_plans WHERE account_id = ? AND status = 'active'",
                 [account_id]):
        raise StateError("This account already has an active payment plan or extension: "
                         "cancel it first.")
    balance = ledger.account_balance(db, account_id)
    if balance <= 0:
        raise ValidationError("The account owes nothing: there is nothing to arrange.")
    if amount_cents > balance:
        raise ValidationError(f"{format_money(amount_cents)} is more than the balance of "
                              f"{format_money(balance)}.")
    plan_id = db.insert("payment_plans", {
        "account_id": account_id, "kind": kind, "amount_cents": amount_cents,
        "installments": len(schedule), "start_on": start_on.isoformat(), "status": "active",
        "grace_days": rules.grace_days, "created_at": clock.stamp(),
        "created_by": actor.username, "override_by": override_by})
    for inst in schedule:
        db.insert("plan_installments", {"plan_id": plan_id, "seq": inst.seq,
                                        "due_on": inst.due_on,
                                        "amount_cents": inst.amount_cents})
    plan = get_plan(db, plan_id)
    audit.record(db, actor, f"payment_plan.{kind}", f"account:{account_id}",
                 after={"plan_id": plan_id, "amount_cents": amount_cents,
                        "installments": [(i.due_on, i.amount_cents) for i in schedule]},
                 override_by=override_by)
    letters.issue_letter(db, actor, account_id, "plan_agreement", context={
        "plan_amount": format_money(amount_cents),
        "plan_terms": {"en": plan_terms(plan), "es": plan_terms(plan, "es")},
        "grace_days": str(rules.grace_days)})
    return plan


def plan_terms(plan: Plan, language: str = "en") -> str:
    """The schedule as letter lines: '  1. March 2, 2026    $41.67'."""
    return "\n".join(
        f"    {i.seq:>2}. {letters.format_date(dt.date.fromisoformat(i.due_on), language):<20}"
        f"{format_money(i.amount_cents):>12}" for i in plan.installments)


def _approve_and_insert(db: Database, actor: Actor, account_id: int, kind: str,
                        amount_cents: int, schedule: list[Installment], start: dt.date,
                        rules: PlanRules, override: Override | None, what: str) -> Plan:
    """Plans and extensions alike: within the clerk's payment-plan limit (or approved), then
    the plan and its schedule in one transaction on an account that exists."""
    approver = authority().require(actor, "payment_plan.create", amount_cents=amount_cents,
                                   limit="payment_plan", override=override, what=what)
    with db.write():
        get_account(db, account_id)
        return _insert_plan(db, actor, account_id, kind, amount_cents, schedule, start,
                            rules, approver)


def create_plan(db: Database, actor: Actor, account_id: int, *, amount_cents: int,
                installments: int, first_due: dt.date | None = None,
                override: Override | None = None) -> Plan:
    """Post a plan and its schedule (and log the agreement letter) in one transaction."""
    today = clock.today()
    rules = plan_rules(today)
    first = first_due or today
    if not 1 <= installments <= rules.max_installments:
        raise ValidationError(f"A plan has 1 to {rules.max_installments} installments.")
    if not today <= first <= today + dt.timedelta(days=rules.max_start_days):
        raise ValidationError(f"The first installment is due between today and "
                              f"{rules.max_start_days} days from now.")
    schedule = installment_schedule(amount_cents, installments, first)
    if installments > 1 and schedule[0].amount_cents < rules.min_installment_cents:
        raise ValidationError(f"Installments must be at least "
                              f"{format_money(rules.min_installment_cents)}: use fewer.")
    return _approve_and_insert(db, actor, account_id, "plan", amount_cents, schedule, first,
                               rules, override, "set up a payment plan")


def create_extension(db: Database, actor: Actor, account_id: int, *, amount_cents: int,
                     pay_by: dt.date, override: Override | None = None) -> Plan:
    """An extension: the whole amount by `pay_by` (a one-installment plan)."""
    today = clock.today()
    rules = plan_rules(today)
    if not today < pay_by <= today + dt.timedelta(days=rules.max_extension_days):
        raise ValidationError(f"An extension's pay-by date is after today and at most "
                              f"{rules.max_extension_days} days ahead.")
    schedule = installment_schedule(amount_cents, 1, pay_by)
    return _approve_and_insert(db, actor, account_id, "extension", amount_cents, schedule,
                               today, rules, override, "grant an extension")


def _end(db: Database, actor: Actor, plan: Plan, status: str, reason: str) -> Plan:
    db.execute("UPDATE payment_plans SET status = ?, ended_at = ?, end_reason = ? "
               "WHERE id = ? AND status = 'active'", [status, clock.stamp(), reason, plan.id])
    audit.record(db, actor, f"payment_plan.{status}", f"account:{plan.account_id}",
                 before={"plan_id": plan.id, "status": plan.status},
                 after={"plan_id": plan.id, "status": status, "reason": reason})
    return get_plan(db, plan.id)


def cancel_plan(db: Database, actor: Actor, plan_id: int, reason: str) -> Plan:
    """End an active plan at the customer's or the office's request (audited, with reason)."""
    authority().require(actor, "payment_plan.create", what="cancel a payment plan")
    why = clean_text(reason, field="Reason", max_len=200, required=True)
    with db.write():
        plan = get_plan(db, plan_id)
        if plan.status != "active":
            raise StateError(f"Plan {plan_id} is {plan.status}, not active.")
        return _end(db, actor, plan, "cancelled", why)


@dataclass(frozen=True)
class PlanChange:
    plan: Plan
    standing: Standing


def review_plans(db: Database, actor: Actor, on: dt.date | None = None,
                 account_id: int | None = None) -> list[PlanChange]:
    """Complete paid-up plans and break those past grace; returns what changed.

    Every active plan is judged outside the write lock; each plan that changes is judged again
    and ended in its own short transaction (joining the caller's when there is one), so a
    review of thousands of plans before a delinquency run never holds up the counter, and a
    plan paid or ended meanwhile is taken as it now is.
    """
    on = on or clock.today()
    sql = "SELECT * FROM payment_plans WHERE status = 'active'"
    args: list[object] = []
    if account_id is not None:
        sql += " AND account_id = ?"
        args.append(account_id)

    def verdict(row: dict) -> tuple[Plan, Standing, str, str] | None:
        plan = _plan(db, row)
        st = standing(db, plan, on)
        if st.paid_cents >= plan.amount_cents:
            return plan, st, "completed", "paid in full"
        if st.overdue_since:
            return plan, st, "broken", (f"installment due {st.overdue_since} unpaid after "
                                        f"{plan.grace_days} days' grace")
        return None

    due = [row["id"] for row in db.all(sql + " ORDER BY id", args) if verdict(row)]
    changes: list[PlanChange] = []
    for plan_id in due:
        with db.write():
            row = db.one("SELECT * FROM payment_plans WHERE id = ? AND status = 'active'",
                         [plan_id])
            found = verdict(row) if row else None
            if found:
                plan, st, status, reason = found
                changes.append(PlanChange(_end(db, actor, plan, status, reason), st))
    return changes


# ---- the account screen's alert ----------------------------------------------------------------
def plan_alert(db: Database, ctx: AlertContext) -> list[Alert]:
    plan = active_plan(db, ctx.account.id)
    if plan is None:
        return []
    st = standing(db, plan)
    if st.next_due is None:
        return [Alert("payment_plan", "info", f"{plan.label}: paid up.")]
    behind = f", {format_money(st.behind_cents)} behind" if st.behind_cents else ""
    return [Alert("payment_plan", "warn" if st.behind_cents else "info",
                  f"{plan.label}: {format_money(st.next_due.amount_cents)} due "
                  f"{st.next_due.due_on}{behind}.")]
