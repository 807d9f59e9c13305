"""Customer deposits: required by rule, charged at open, held, applied at close, refunded later.

Rule: data/utility/service.toml [[deposits]]. The life of a deposit (customer_deposits.status):

- billed  — charged on open: journal 'deposit', account + (the customer owes it), trust -
            (the city holds it for the customer, GL customer deposits). The row points at it.
- held    — the customer's payments have covered it. Payments pay the oldest charges first
            (FIFO, as the aging does) and the deposit is the first charge on a new account, so
            it is paid when the balance no longer includes it. `settle` records the change; the
            paid test is also applied on the spot wherever it matters (close, refunds).
- applied — at close a paid deposit is applied to the final balance: trust +, account -.
- waived  — at close an unpaid deposit's charge is reversed (no service, no deposit owed);
            or waived at open by a clerk with deposit.waive (then no row is written at all).
- refunded — after `refund_after_on_time_bills` consecutive bills paid in full by their due
            date, returned as a credit on the account: trust +, account -.
- transferred — moved to the customer's new account on a transfer of service; the new row
            (held) points back with transferred_from_id; no money moves (trust still holds it).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from clerk_tui.db import Database
from clerk_tui.domain import audit, clock, ledger
from clerk_tui.domain.account_numbers import format_number
from clerk_tui.domain.accounts import Alert, AlertContext
from clerk_tui.domain.actor import Actor, Override
from clerk_tui.domain.authority import authority
from clerk_tui.domain.errors import NotFound, StateError
from clerk_tui.domain.money import check_cents, format_money
from clerk_tui.domain.utility import billing, rates

LIVE = ("billed", "held")


@dataclass(frozen=True)
class Deposit:
    id: int
    account_id: int
    amount_cents: int
    status: str
    reason: str
    paid: bool
    charged_journal_id: int | None
    closed_journal_id: int | None
    created_at: str


@dataclass(frozen=True)
class RefundCandidate:
    deposit_id: int
    account_id: int
    account_number: str
    customer_name: str
    amount_cents: int
    on_time_bills: int


def _months_before(day: dt.date, months: int) -> dt.date:
    y, m = divmod(day.month - 1 - months, 12)
    return dt.date(day.year + y, m + 1, min(day.day, 28))


def required(db: Database, rate_class: str, *, customer_id: int | None = None,
             on: str | dt.date | None = None) -> tuple[int, str]:
    """(amount in cents, why) the rule asks for a new account; (0, '') when none."""
    day = on if isinstance(on, dt.date) else (dt.date.fromisoformat(on) if on else clock.today())
    rule = rates.deposit_rule(day)
    amount = rule.amounts_cents.get(rate_class, 0)
    if amount <= 0:
        return 0, ""
    if rate_class in rule.always_required:
        return amount, f"{rate_class} service"
    if customer_id is None:
        return 0, ""
    since = _months_before(day, rule.lookback_months).isoformat()
    if "nsf" in rule.required_if:
        nsf = db.scalar(
            "SELECT 1 FROM receipt_voids v JOIN receipt_items ri ON ri.receipt_id = v.receipt_id "
            "JOIN accounts a ON a.id = ri.account_id WHERE v.kind = 'nsf' "
            "AND a.customer_id = ? AND v.at >= ? LIMIT 1", [customer_id, since])
        flag = db.scalar("SELECT 1 FROM accounts WHERE customer_id = ? AND no_checks = 1 "
                         "LIMIT 1", [customer_id])
        if nsf or flag:
            return amount, "returned payment on record"
    if "shutoff" in rule.required_if:
        shut = db.scalar(
            "SELECT 1 FROM service_orders o JOIN accounts a ON a.id = o.account_id "
            "WHERE o.kind = 'shutoff_nonpay' AND o.status = 'completed' "
            "AND a.customer_id = ? AND o.completed_at >= ? LIMIT 1", [customer_id, since])
        if shut:
            return amount, "shutoff for non-payment on record"
    return 0, ""


def _charge_entry(db: Database, row: dict) -> int | None:
    if not row["charged_journal_id"]:
        return None
    return db.scalar("SELECT id FROM ledger_entries WHERE journal_id = ? AND book = 'account' "
                     "ORDER BY id LIMIT 1", [row["charged_journal_id"]])


def _is_paid(db: Database, row: dict) -> bool:
    if row["status"] != "billed":
        return row["status"] in ("held", "transferred", "applied", "refunded")
    entry = _charge_entry(db, row)
    if entry is None:
        return False
    entries = billing.account_entries(db, row["account_id"])
    return billing.unpaid_of(entries, entry, row["amount_cents"]) == 0


def _deposit(db: Database, row: dict) -> Deposit:
    return Deposit(row["id"], row["account_id"], row["amount_cents"], row["status"],
                   row["reason"], _is_paid(db, row), row["charged_journal_id"],
                   row["closed_journal_id"], row["created_at"])


def list_deposits(db: Database, account_id: int) -> list[Deposit]:
    return [_deposit(db, r) for r in db.all(
        "SELECT * FROM customer_deposits WHERE account_id = ? ORDER BY id", [account_id])]


def get_deposit(db: Database, deposit_id: int) -> Deposit:
    r = db.one("SELECT * FROM customer_deposits WHERE id = ?", [deposit_id])
    if not r:
        raise NotFound(f"No deposit {deposit_id}.")
    return _deposit(db, r)


def charge_in_write(db: Database, actor: Actor, account_id: int, amount_cents: int,
                    reason: str) -> Deposit:
    """Charge a deposit to a new account (inside the caller's transaction)."""
    check_cents(amount_cents, "The deposit")
    rule = rates.deposit_rule(clock.today())
    number = db.scalar("SELECT number FROM accounts WHERE id = ?", [account_id])
    memo = "Customer deposit"
    posted = ledger.post(db, actor, "deposit", [
        ledger.Entry(book="account", kind="deposit", amount_cents=amount_cents,
                     account_id=account_id, memo=memo),
        ledger.Entry(book="trust", kind="deposit", amount_cents=-amount_cents, fund=rule.fund,
                     gl_code=rule.gl_code, memo=f"{memo} {format_number(number)}")], memo=memo)
    dep_id = db.insert("customer_deposits", {
        "account_id": account_id, "amount_cents": amount_cents, "status": "billed",
        "reason": reason, "charged_journal_id": posted.journal_id,
        "created_at": clock.stamp(), "created_by": actor.username})
    audit.record(db, actor, "deposit.charge", f"account:{number}",
                 after={"deposit_id": dep_id, "amount_cents": amount_cents, "reason": reason,
                        "journal_id": posted.journal_id})
    return get_deposit(db, dep_id)


def settle(db: Database, actor: Actor, account_id: int | None = None) -> int:
    """Mark billed deposits whose charge has been paid as held; returns how many changed."""
    with db.write():
        sql = "SELECT * FROM customer_deposits WHERE status = 'billed'"
        params: list = []
        if account_id is not None:
            sql += " AND account_id = ?"
            params.append(account_id)
        n = 0
        for r in db.all(sql, params):
            if _is_paid(db, r):
                db.execute("UPDATE customer_deposits SET status = 'held' WHERE id = ?", [r["id"]])
                audit.record(db, actor, "deposit.held", f"deposit:{r['id']}",
                             before={"status": "billed"}, after={"status": "held"})
                n += 1
        return n


def _release(db: Database, actor: Actor, row: dict, kind: str, memo: str) -> int:
    """trust +, account -: the city gives the held money back to the account."""
    rule = rates.deposit_rule(clock.today())
    posted = ledger.post(db, actor, kind, [
        ledger.Entry(book="trust", kind=kind, amount_cents=row["amount_cents"], fund=rule.fund,
                     gl_code=rule.gl_code, memo=memo),
        ledger.Entry(book="account", kind=kind, amount_cents=-row["amount_cents"],
                     account_id=row["account_id"], memo=memo)], memo=memo)
    return posted.journal_id


def close_in_write(db: Database, actor: Actor, account_id: int) -> int:
    """At close: apply paid deposits to the balance, reverse unpaid ones. Returns cents applied."""
    applied = 0
    for r in db.all("SELECT * FROM customer_deposits WHERE account_id = ? AND status IN "
                    "('billed','held') ORDER BY id", [account_id]):
        if _is_paid(db, r):
            jid = _release(db, actor, r, "deposit_apply", "Deposit applied at close")
            status = "applied"
            applied += r["amount_cents"]
        else:
            jid = ledger.reverse(db, actor, r["charged_journal_id"], "deposit_reversal",
                                 memo="Unpaid deposit reversed at close").journal_id
            status = "waived"
        db.execute("UPDATE customer_deposits SET status = ?, closed_journal_id = ?, "
                   "closed_at = ? WHERE id = ?", [status, jid, clock.stamp(), r["id"]])
        audit.record(db, actor, f"deposit.{status}", f"deposit:{r['id']}",
                     before={"status": r["status"]},
                     after={"status": status, "journal_id": jid,
                            "amount_cents": r["amount_cents"]})
    return applied


def transfer_in_write(db: Database, actor: Actor, old_account_id: int,
                      new_account_id: int) -> int:
    """Move paid deposits to the new account (no money moves); reverse unpaid ones.

    Returns the cents moved (the new account's held deposit)."""
    moved = 0
    for r in db.all("SELECT * FROM customer_deposits WHERE account_id = ? AND status IN "
                    "('billed','held') ORDER BY id", [old_account_id]):
        if _is_paid(db, r):
            new_id = db.insert("customer_deposits", {
                "account_id": new_account_id, "amount_cents": r["amount_cents"],
                "status": "held", "reason": f"moved from deposit {r['id']}: {r['reason']}"[:200],
                "charged_journal_id": r["charged_journal_id"], "created_at": clock.stamp(),
                "created_by": actor.username, "transferred_from_id": r["id"]})
            db.execute("UPDATE customer_deposits SET status = 'transferred', closed_at = ? "
                       "WHERE id = ?", [clock.stamp(), r["id"]])
            audit.record(db, actor, "deposit.transfer", f"deposit:{r['id']}",
                         before={"status": r["status"], "account_id": old_account_id},
                         after={"status": "transferred", "new_deposit_id": new_id,
                                "account_id": new_account_id})
            moved += r["amount_cents"]
        else:
            jid = ledger.reverse(db, actor, r["charged_journal_id"], "deposit_reversal",
                                 memo="Unpaid deposit reversed at transfer").journal_id
            db.execute("UPDATE customer_deposits SET status = 'waived', closed_journal_id = ?, "
                       "closed_at = ? WHERE id = ?", [jid, clock.stamp(), r["id"]])
            audit.record(db, actor, "deposit.waived", f"deposit:{r['id']}",
                         before={"status": "billed"}, after={"status": "waived",
                                                             "journal_id": jid})
    return moved


def on_time_run(db: Database, account_id: int, since: str, on: str) -> int:
    """How many of the account's latest bills (since `since`, due before `on`) in a row were
    paid in full by their due date, counting back from the newest."""
    bills = db.all("SELECT * FROM bills WHERE account_id = ? AND bill_date >= ? AND due_date < ? "
                   "ORDER BY bill_date DESC, id DESC", [account_id, since[:10], on])
    run = 0
    for b in bills:
        entry = billing.bill_entry_id(db, b)
        if entry is None:
            break
        entries = billing.account_entries(db, account_id, b["due_date"])
        if billing.unpaid_of(entries, entry, b["amount_cents"]) > 0:
            break
        run += 1
    return run


def refund_candidates(db: Database, on: str | dt.date | None = None) -> list[RefundCandidate]:
    """Held (paid) deposits on active accounts whose last N bills were all paid on time."""
    day = (on if isinstance(on, dt.date) else dt.date.fromisoformat(on) if on
           else clock.today()).isoformat()
    need = rates.deposit_rule(day).refund_after_on_time_bills
    out = []
    for r in db.all("SELECT d.*, a.number, c.name FROM customer_deposits d "
                    "JOIN accounts a ON a.id = d.account_id JOIN customers c "
                    "ON c.id = a.customer_id WHERE d.status IN ('billed','held') "
                    "AND a.status = 'active' ORDER BY a.number", []):
        if not _is_paid(db, r):
            continue
        streak = on_time_run(db, r["account_id"], r["created_at"], day)
        if streak >= need:
            out.append(RefundCandidate(r["id"], r["account_id"], format_number(r["number"]),
                                       r["name"], r["amount_cents"], streak))
    return out


# The name the brief uses for the candidate list.
deposit_refund_candidates = refund_candidates


def refund_deposit(db: Database, actor: Actor, deposit_id: int, *,
                   override: Override | None = None) -> Deposit:
    """Return an eligible held deposit as a credit on the account (permission deposit.refund)."""
    approver = authority().require(actor, "deposit.refund", override=override,
                                   what="refund a customer deposit")
    with db.write():
        r = db.one("SELECT * FROM customer_deposits WHERE id = ?", [deposit_id])
        if not r:
            raise NotFound(f"No deposit {deposit_id}.")
        if r["status"] not in LIVE or not _is_paid(db, r):
            raise StateError(f"Deposit {deposit_id} is {r['status']}"
                             f"{'' if _is_paid(db, r) else ' and unpaid'}: nothing to refund.")
        day = clock.today().isoformat()
        need = rates.deposit_rule(day).refund_after_on_time_bills
        streak = on_time_run(db, r["account_id"], r["created_at"], day)
        if streak < need:
            raise StateError(f"Not yet: {streak} of {need} bills in a row paid on time.")
        jid = _release(db, actor, r, "deposit_refund", "Deposit refunded (on-time payments)")
        db.execute("UPDATE customer_deposits SET status = 'refunded', closed_journal_id = ?, "
                   "closed_at = ? WHERE id = ?", [jid, clock.stamp(), deposit_id])
        audit.record(db, actor, "deposit.refund", f"deposit:{deposit_id}",
                     before={"status": r["status"]},
                     after={"status": "refunded", "journal_id": jid,
                            "amount": format_money(r["amount_cents"]), "on_time_bills": streak},
                     override_by=approver)
        return get_deposit(db, deposit_id)


# ---- the account screen's alert ----------------------------------------------------------------
def deposit_alert(db: Database, ctx: AlertContext) -> list[Alert]:
    out = []
    for r in db.all("SELECT * FROM customer_deposits WHERE account_id = ? AND status IN "
                    "('billed','held') ORDER BY id", [ctx.account.id]):
        if _is_paid(db, r):
            out.append(Alert("deposit", "info", f"Deposit {format_money(r['amount_cents'])} "
                             "held."))
        else:
            out.append(Alert("deposit_unpaid", "info", f"Deposit {format_money(r['amount_cents'])}"
                             " billed, not yet paid."))
    return out
