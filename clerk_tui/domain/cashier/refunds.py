"""Refund of an account's credit balance, within the clerk's authority or with an override.

Cash comes out of the clerk's open drawer; a refund by city check is posted against the
refunds-payable GL for accounts payable to issue. Either way the account's credit shrinks by the
amount and the refund can never exceed the credit.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from clerk_tui.db import Database, IntegrityError
from clerk_tui.domain import audit, clock, ledger
from clerk_tui.domain.account_numbers import format_number, parse_number
from clerk_tui.domain.actor import Actor, Override
from clerk_tui.domain.authority import authority
from clerk_tui.domain.cashier.rules import rules
from clerk_tui.domain.cashier.sessions import cash_on_hand, require_open
from clerk_tui.domain.errors import NotFound, StateError, ValidationError
from clerk_tui.domain.money import check_cents, format_money
from clerk_tui.domain.text import clean_text

METHODS = ("cash", "check")


@dataclass(frozen=True)
class RefundResult:
    id: int
    account_id: int
    account_number: str
    amount_cents: int
    method: str
    journal_id: int
    new_balance_cents: int
    drawer_session_id: int | None
    override_by: str | None


def _check_credit(db: Database, number: str, amount_cents: int) -> tuple[int, int]:
    """The account id and its credit (as a positive amount), or refuse."""
    account_id = db.scalar("SELECT id FROM accounts WHERE number = ?", [number])
    if account_id is None:
        raise NotFound(f"No account {format_number(number)}.")
    credit = -ledger.account_balance(db, account_id)
    if amount_cents > credit:
        raise ValidationError(f"The account's credit is only {format_money(max(credit, 0))}.")
    return int(account_id), credit


def refund_credit(db: Database, actor: Actor, account_number: str, amount_cents: int,
                  reason: str, *, method: str = "cash",
                  override: Override | None = None) -> RefundResult:
    if method not in METHODS:
        raise ValidationError("Refund by cash or by city check.")
    check_cents(amount_cents, "The refund")
    if amount_cents <= 0:
        raise ValidationError("Enter the refund amount.")
    reason = clean_text(reason, field="Reason", max_len=200, required=True)
    number = parse_number(account_number)
    _check_credit(db, number, amount_cents)  # an impossible refund needs no supervisor
    approver = authority().require(actor, "refund.credit", amount_cents=amount_cents,
                                   limit="refund", override=override, what="refund a credit")
    try:
        with db.write():
            account_id, credit = _check_credit(db, number, amount_cents)
            session_id = None
            memo = f"refund {format_number(number)}: {reason}"
            if method == "cash":
                session = require_open(db, actor)
                if amount_cents > cash_on_hand(db, session):
                    raise ValidationError("Not enough cash in the drawer; refund by check.")
                session_id = session.id
                other = ledger.Entry(book="drawer", kind="refund", amount_cents=-amount_cents,
                                     drawer_session_id=session.id, tender="cash", memo=memo)
            else:
                other = ledger.Entry(book="clearing", kind="refund", amount_cents=-amount_cents,
                                     gl_code=rules().gl["refunds_payable"], memo=memo)
            posted = ledger.post(db, actor, "refund", [
                ledger.Entry(book="account", kind="refund", amount_cents=amount_cents,
                             account_id=account_id, fund=rules().account_fund,
                             gl_code=rules().account_gl, memo=memo),
                other], memo=memo)
            rid = db.insert("refunds", {
                "account_id": account_id, "amount_cents": amount_cents, "method": method,
                "drawer_session_id": session_id, "journal_id": posted.journal_id,
                "reason": reason, "at": clock.stamp(), "clerk": actor.username,
                "override_by": approver})
            result = RefundResult(rid, account_id, format_number(number), amount_cents,
                                  method, posted.journal_id,
                                  ledger.account_balance(db, account_id), session_id, approver)
            audit.record(db, actor, "refund.credit", f"account:{account_id}",
                         before={"balance_cents": -credit}, after=asdict(result),
                         override_by=approver)
    except IntegrityError as e:
        if "business day is closed" in str(e):
            raise StateError("Today's business day is closed.") from None
        raise
    return result
