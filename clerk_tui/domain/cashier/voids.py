"""Undoing a receipt: void (same open drawer), reversal (after close), NSF return.

Nothing is deleted: each writes a journal that mirrors the receipt's, entry by entry, pointing
at what it reverses, and a receipt_voids row; the receipt keeps its number and prints as VOID.
- A void is for a receipt in the clerk's own still-open drawer: the money goes back across the
  counter from that drawer (ledger.reverse onto the same session).
- After the drawer is closed a payment can only be reversed (supervisor). The money is already
  counted and deposited, so by default the drawer side lands in the suspense GL (unapplied
  money in the bank, to be re-applied or refunded by accounting); with `refund_from_drawer` it
  is handed back from the reverser's open drawer.
- An NSF return is the bank handing a check back unpaid: the check's amount is charged back to
  what it paid for (against the returned-items GL, not a drawer), the returned-check fee from
  `data/fees.toml` ($25 the first time, $35 after) is charged to the account, and the account is
  flagged to take no more checks.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from clerk_tui.db import Database, IntegrityError
from clerk_tui.domain import audit, clock, ledger
from clerk_tui.domain.actor import Actor, Override
from clerk_tui.domain.authority import authority
from clerk_tui.domain.cashier.items import get_kind
from clerk_tui.domain.cashier.receipts import ReceiptView, receipt_id_for_number, receipt_view
from clerk_tui.domain.cashier.rules import rules
from clerk_tui.domain.cashier.sessions import cash_on_hand, current_session
from clerk_tui.domain.errors import StateError, ValidationError
from clerk_tui.domain.fees import fee_schedule
from clerk_tui.domain.money import format_money
from clerk_tui.domain.text import clean_text

NSF_FIRST, NSF_LATER = "NSF1", "NSF2"
_DONE = {"void": "voided", "reversal": "reversed", "nsf": "returned unpaid (NSF)"}


@dataclass(frozen=True)
class VoidResult:
    receipt: ReceiptView
    kind: str
    journal_id: int
    override_by: str | None


@dataclass(frozen=True)
class NsfResult:
    receipt: ReceiptView
    journal_id: int
    returned_cents: int
    account_id: int | None
    fee_code: str | None
    fee_cents: int
    fee_journal_id: int | None
    override_by: str | None


def _receipt(db: Database, number: int) -> dict[str, Any]:
    rid = receipt_id_for_number(db, number)
    row = db.one("SELECT * FROM receipts WHERE id = ?", [rid])
    assert row is not None
    done = db.scalar("SELECT kind FROM receipt_voids WHERE receipt_id = ?", [rid])
    if done:
        raise StateError(f"Receipt {number} is already {_DONE[done]}.")
    if db.scalar("SELECT 1 FROM payment_transfers WHERE receipt_id = ? LIMIT 1", [rid]):
        # issue 17: part of it was moved elsewhere; undoing the receipt would undo that twice
        raise StateError(f"Receipt {number} was transferred (misapplied payment): it can no "
                         "longer be voided or reversed here.")
    return row


def _items(db: Database, receipt_id: int) -> list[dict[str, Any]]:
    return db.all("SELECT * FROM receipt_items WHERE receipt_id = ? ORDER BY line", [receipt_id])


def _finish(db: Database, actor: Actor, receipt: dict[str, Any], kind: str, journal_id: int,
            reason_code: str, reason: str, approver: str | None) -> None:
    """The receipt_voids row, the item kinds' hooks and the audit row, common to all three."""
    db.insert("receipt_voids", {
        "receipt_id": receipt["id"], "journal_id": journal_id, "kind": kind,
        "at": clock.stamp(), "clerk": actor.username, "reason_code": reason_code,
        "reason": reason, "override_by": approver})
    for item in _items(db, receipt["id"]):
        get_kind(item["kind"]).after_reverse(db, actor, item, kind)
    audit.record(db, actor, f"payment.{kind}", f"receipt:{receipt['number']}",
                 before={"state": "posted"},
                 after={"state": kind, "journal_id": journal_id, "reason_code": reason_code,
                        "reason": reason, "total_cents": receipt["total_cents"]},
                 override_by=approver)


def _closed_day(e: IntegrityError) -> Exception:
    if "business day is closed" in str(e):
        return StateError("Today's business day is closed; nothing more can be posted to it.")
    return e


def _allowed(actor: Actor, reason: str, permission: str, what: str,
             override: Override | None) -> tuple[str, str | None]:
    """The cleaned reason and who approved: what void, reversal and NSF return each check
    before touching the database."""
    reason = clean_text(reason, field="Reason", max_len=200)
    return reason, authority().require(actor, permission, override=override, what=what)


@contextmanager
def _undoing(db: Database, number: int) -> Iterator[dict[str, Any]]:
    """One write for the whole undo, yielding the receipt (refused if already undone); a
    closed business day's refusal by the database becomes a StateError."""
    try:
        with db.write():
            yield _receipt(db, number)
    except IntegrityError as e:
        raise _closed_day(e) from None


def void_receipt(db: Database, actor: Actor, number: int, reason_code: str, reason: str = "",
                 *, override: Override | None = None) -> VoidResult:
    """Void a receipt from the clerk's current open drawer (CSR I needs a supervisor)."""
    rules().reason("void", reason_code)
    reason, approver = _allowed(actor, reason, "payment.void", "void a receipt", override)
    with _undoing(db, number) as receipt:
        session = current_session(db, actor)
        if session is None or session.state != "open" \
                or receipt["drawer_session_id"] != session.id:
            raise StateError(f"Receipt {number} is not in your open drawer: only a "
                             "supervisor can reverse it now.")
        posted = ledger.reverse(db, actor, receipt["journal_id"], "void",
                                business_date=clock.today().isoformat(),
                                memo=f"void receipt {number}", drawer_session_id=session.id)
        _finish(db, actor, receipt, "void", posted.journal_id, reason_code.strip().upper(),
                reason, approver)
        view = receipt_view(db, receipt["id"])
    return VoidResult(view, "void", posted.journal_id, approver)


def reverse_receipt(db: Database, actor: Actor, number: int, reason_code: str, reason: str = "",
                    *, refund_from_drawer: bool = False,
                    override: Override | None = None) -> VoidResult:
    """Reverse a receipt whose drawer is closed (supervisor, or CSR II/III with override)."""
    r = rules()
    r.reason("reversal", reason_code)
    reason, approver = _allowed(actor, reason, "payment.reverse", "reverse a payment", override)
    with _undoing(db, number) as receipt:
        state = db.scalar("SELECT state FROM drawer_sessions WHERE id = ?",
                          [receipt["drawer_session_id"]])
        if state in ("open", "balancing"):
            raise StateError(f"Receipt {number} is still in an open drawer: void it there.")
        today = clock.today().isoformat()
        memo = f"reverse receipt {number}"
        session = None
        if refund_from_drawer:
            session = current_session(db, actor)
            if session is None or session.state != "open":
                raise StateError("Open your drawer to hand the money back, or reverse "
                                 "without a refund.")
            on_hand = cash_on_hand(db, session)
            if receipt["total_cents"] > on_hand:
                raise ValidationError(f"The drawer should hold only {format_money(on_hand)}"
                                      " in cash: reverse without a refund.")
        entries = []
        for e in db.all("SELECT * FROM ledger_entries WHERE journal_id = ? ORDER BY id",
                        [receipt["journal_id"]]):
            drawer = e["book"] == "drawer"
            if drawer and session is not None:
                # Handed back in cash from the reverser's drawer, whatever it was paid with
                # (a card or check payment refunded in cash leaves the drawer as cash).
                entries.append(ledger.Entry(
                    book="drawer", kind="reversal", amount_cents=-e["amount_cents"],
                    drawer_session_id=session.id, receipt_id=receipt["id"], tender="cash",
                    reverses_entry_id=e["id"], memo=memo))
                continue
            entries.append(ledger.Entry(
                book="clearing" if drawer else e["book"], kind="reversal",
                amount_cents=-e["amount_cents"], account_id=e["account_id"],
                fund=e["fund"], gl_code=r.gl["suspense"] if drawer else e["gl_code"],
                receipt_id=receipt["id"], tender=e["tender"],
                reverses_entry_id=e["id"], memo=memo))
        posted = ledger.post(db, actor, "reversal", entries, business_date=today,
                             memo=memo, reverses_journal_id=receipt["journal_id"])
        _finish(db, actor, receipt, "reversal", posted.journal_id,
                reason_code.strip().upper(), reason, approver)
        view = receipt_view(db, receipt["id"])
    return VoidResult(view, "reversal", posted.journal_id, approver)


def nsf_fee_code(db: Database, account_id: int) -> str:
    """$25 the first time an account's check comes back, $35 each time after."""
    prior = db.scalar("SELECT count(*) FROM nsf_returns WHERE account_id = ?", [account_id])
    return NSF_FIRST if not prior else NSF_LATER


def _nsf_entries(db: Database, receipt: dict[str, Any], checks: list[dict[str, Any]],
                 memo: str) -> list[ledger.Entry]:
    """Charge the returned checks back to the items they paid, in line order."""
    items = _items(db, receipt["id"])
    credits = db.all("SELECT * FROM ledger_entries WHERE journal_id = ? AND book <> 'drawer' "
                     "ORDER BY id", [receipt["journal_id"]])
    if len(credits) != len(items):
        raise StateError(f"Receipt {receipt['number']} cannot be matched to its ledger entries.")
    returned = sum(c["tendered_cents"] for c in checks)
    parts = []
    left = returned
    for item in items:
        part = min(item["amount_cents"], left)
        parts.append(part)
        left -= part
    if left:  # cash given back on an over-tendered check: owed by the first account (or item)
        first = next((i for i, it in enumerate(items) if it["account_id"]), 0)
        parts[first] += left
    out = [ledger.Entry(book=c["book"], kind="nsf", amount_cents=part,
                        account_id=c["account_id"], fund=c["fund"], gl_code=c["gl_code"],
                        receipt_id=receipt["id"], reverses_entry_id=c["id"], memo=memo)
           for c, part in zip(credits, parts, strict=True) if part]
    for c in checks:
        out.append(ledger.Entry(book="clearing", kind="nsf", amount_cents=-c["tendered_cents"],
                                gl_code=rules().gl["returned_items"], tender="check",
                                receipt_id=receipt["id"], memo=f"check {c['check_number']}"))
    return out


def nsf_return(db: Database, actor: Actor, number: int, reason: str = "", *,
               override: Override | None = None) -> NsfResult:
    """The bank returned this receipt's check(s) unpaid: charge back, add the fee, flag."""
    reason, approver = _allowed(actor, reason, "payment.nsf", "post a returned check", override)
    with _undoing(db, number) as receipt:
        checks = db.all("SELECT * FROM tenders WHERE receipt_id = ? AND kind = 'check' "
                        "ORDER BY line", [receipt["id"]])
        if not checks:
            raise ValidationError(f"Receipt {number} was not paid by check.")
        today = clock.today()
        memo = f"returned check, receipt {number}"
        posted = ledger.post(db, actor, "nsf", _nsf_entries(db, receipt, checks, memo),
                             business_date=today.isoformat(), memo=memo,
                             reverses_journal_id=receipt["journal_id"])
        accounts = [i["account_id"] for i in _items(db, receipt["id"]) if i["account_id"]]
        account_id = accounts[0] if accounts else None
        fee_code, fee_cents, fee_journal = None, 0, None
        if account_id is not None:
            fee_code = nsf_fee_code(db, account_id)
            fee = fee_schedule().get(fee_code, today)
            fee_cents = fee.amount_cents
            fee_journal = ledger.post(db, actor, "nsf_fee", [
                ledger.Entry(book="account", kind="fee", amount_cents=fee_cents,
                             account_id=account_id, receipt_id=receipt["id"], fund=fee.fund, gl_code=fee.gl_code,
                             memo=fee.description),
                ledger.Entry(book=fee.book, kind="fee", amount_cents=-fee_cents,
                             receipt_id=receipt["id"], fund=fee.fund, gl_code=fee.gl_code, memo=fee.description),
            ], business_date=today.isoformat(), memo=f"{fee.description}, receipt {number}"
            ).journal_id
        for acct in dict.fromkeys(accounts):
            was = db.scalar("SELECT no_checks FROM accounts WHERE id = ?", [acct])
            if not was:
                db.execute("UPDATE accounts SET no_checks = 1 WHERE id = ?", [acct])
                audit.record(db, actor, "account.no_checks", f"account:{acct}",
                             before={"no_checks": 0}, after={"no_checks": 1,
                                                             "receipt": number})
        returned = sum(c["tendered_cents"] for c in checks)
        db.insert("nsf_returns", {
            "receipt_id": receipt["id"], "account_id": account_id,
            "check_numbers": ",".join(c["check_number"] or "" for c in checks),
            "amount_cents": returned, "reversal_journal_id": posted.journal_id,
            "fee_code": fee_code, "fee_cents": fee_cents, "fee_journal_id": fee_journal,
            "at": clock.stamp(), "clerk": actor.username, "override_by": approver})
        _finish(db, actor, receipt, "nsf", posted.journal_id, "NSF", reason, approver)
        view = receipt_view(db, receipt["id"])
    return NsfResult(view, posted.journal_id, returned, account_id, fee_code, fee_cents,
                     fee_journal, approver)
